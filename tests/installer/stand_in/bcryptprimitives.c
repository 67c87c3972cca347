/* A stand-in for Windows' bcryptprimitives.dll, which wine 8 lacks: only in the wine test
 * prefix, never in the payload. The Rust standard library in `cryptography` draws its random
 * bytes from ProcessPrng; RtlGenRandom (advapi32's SystemFunction036) gives the same. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
