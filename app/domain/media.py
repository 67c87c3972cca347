"""What a file is: its type from its first bytes, and a file name where a sender gave none.
Senders name attachments and declare their types; neither is always right or present."""

from __future__ import annotations

import mimetypes

# magic numbers of what citizens attach (proofs: scans, photos, PDFs, office documents)
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"BM", "image/bmp"),
    (b"PK\x03\x04", "application/zip"),  # also .docx/.odt: zip containers
)
_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/tiff": ".tif",
    "image/bmp": ".bmp",
    "application/json": ".json",
    "application/xml": ".xml",
    "text/xml": ".xml",
    "text/plain": ".txt",
}
# declared types whose content is a zip container
_ZIP_BASED = ("application/vnd.openxmlformats", "application/vnd.oasis.opendocument", "zip")


def sniff(content: bytes) -> str | None:
    """The type the bytes say they are, where their first bytes tell (None otherwise)."""
    for signature, media_type in _SIGNATURES:
        if content.startswith(signature):
            return media_type
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return None


def agrees(declared: str, content: bytes) -> bool:
    """Whether the declared type fits the content (unknown content is given the benefit)."""
    found = sniff(content)
    if found is None:
        return True
    declared = declared.split(";")[0].strip().lower()
    if found == "application/zip":
        return any(part in declared for part in _ZIP_BASED)
    return declared == found or (declared == "image/jpg" and found == "image/jpeg")


def extension_for(media_type: str) -> str:
    media_type = media_type.split(";")[0].strip().lower()
    return _EXTENSIONS.get(media_type) or mimetypes.guess_extension(media_type) or ".bin"


def file_name(given: str, media_type: str, content: bytes, *, stem: str) -> str:
    """The sender's file name, else `stem` with the extension of what the bytes are (or of
    the declared type): never `.bin` for a type anyone knows."""
    if given.strip():
        return given.strip()
    return stem + extension_for(sniff(content) or media_type)
