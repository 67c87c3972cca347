"""BER-TLV as cards speak it (ISO/IEC 7816-4), on asn1crypto's parser: the tags PACE and
secure messaging use are application and context-specific ones that no ASN.1 schema here
names, so they are read and written as (class, number, contents)."""

from __future__ import annotations

from collections.abc import Iterator

from asn1crypto import parser

UNIVERSAL, APPLICATION, CONTEXT = 0, 1, 2
PRIMITIVE, CONSTRUCTED = 0, 1


def encode(class_: int, constructed: bool, number: int, contents: bytes) -> bytes:
    return bytes(parser.emit(class_, CONSTRUCTED if constructed else PRIMITIVE, number, contents))


def decode(data: bytes) -> tuple[int, int, bytes, bytes]:
    """The first object: (class, tag number, contents, what follows it)."""
    class_, _method, number, header, contents, trailer = parser.parse(data, strict=False)
    length = len(header) + len(contents) + len(trailer)
    return class_, number, bytes(contents), data[length:]


def objects(data: bytes) -> Iterator[tuple[int, int, bytes]]:
    """Every object of a sequence of TLVs: (class, tag number, contents)."""
    while data:
        class_, number, contents, data = decode(data)
        yield class_, number, contents


def find(data: bytes, class_: int, number: int) -> bytes | None:
    """The contents of the first object with that tag among `data`'s objects."""
    return next((contents for c, n, contents in objects(data) if (c, n) == (class_, number)), None)
