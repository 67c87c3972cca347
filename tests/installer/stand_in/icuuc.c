/* A stand-in for Windows' icuuc.dll, which wine 8 lacks: only in the wine test prefix, never in
 * the payload (real Windows 10 1703+ has the DLL). Qt 6 imports these converter functions; a
 * converter that cannot be opened makes Qt fall back to its own codecs, which is all the smoke
 * test needs. */
#include <stddef.h>

typedef int UErrorCode;
#define U_FILE_ACCESS_ERROR 4

__declspec(dllexport) void *ucnv_open(const char *name, UErrorCode *error) {
    (void)name;
    if (error) *error = U_FILE_ACCESS_ERROR;
    return NULL;
}
__declspec(dllexport) int ucnv_countAvailable(void) { return 0; }
__declspec(dllexport) const char *ucnv_getAvailableName(int index) { (void)index; return NULL; }
__declspec(dllexport) const char *ucnv_getStandardName(const char *n, const char *s, UErrorCode *e) {
    (void)n; (void)s;
    if (e) *e = U_FILE_ACCESS_ERROR;
    return NULL;
}
#define NOTHING(name) __declspec(dllexport) int name(void) { return 0; }
NOTHING(ucnv_close)
NOTHING(ucnv_reset)
NOTHING(ucnv_getMaxCharSize)
NOTHING(ucnv_getName)
NOTHING(ucnv_getToUCallBack)
NOTHING(ucnv_getFromUCallBack)
NOTHING(ucnv_setToUCallBack)
NOTHING(ucnv_setFromUCallBack)
NOTHING(ucnv_cbToUWriteUChars)
NOTHING(ucnv_cbFromUWriteUChars)
NOTHING(ucnv_toUnicode)
NOTHING(ucnv_fromUnicode)
NOTHING(ucnv_toUCountPending)
NOTHING(ucnv_fromUCountPending)
NOTHING(UCNV_FROM_U_CALLBACK_SUBSTITUTE)
NOTHING(UCNV_TO_U_CALLBACK_SUBSTITUTE)
