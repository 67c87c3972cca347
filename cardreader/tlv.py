"""BER-TLV as cards speak it (ISO/IEC 7816-4): the tags PACE, secure messaging and the LDS
use are application and context-specific ones that no ASN.1 schema here names, so they are
read and written as (class, number, contents); written with asn1crypto's emitter."""

from __future__ import annotations

from collections.abc import Iterator

from asn1crypto import parser

UNIVERSAL, APPLICATION, CONTEXT = 0, 1, 2
PRIMITIVE, CONSTRUCTED = 0, 1


def encode(class_: int, constructed: bool, number: int, contents: bytes) -> bytes:
    return bytes(parser.emit(class_, CONSTRUCTED if constructed else PRIMITIVE, number, contents))


def decode(data: bytes) -> tuple[int, int, bytes, bytes]:
    """The first object: (class, tag number, contents, what follows it). ValueError for an
    object cut short or an indefinite length. Tag numbers below 31 in the long form (the
    LDS's 5F01) are taken as written: ICAO's data structures use them, strict BER parsers
    refuse them."""
    if len(data) < 2:
        raise ValueError("a TLV object has at least two bytes")
    first, index = data[0], 1
    number = first & 0x1F
    if number == 0x1F:
        number = 0
        while True:
            if index >= len(data):
                raise ValueError("the tag runs past the data")
            byte = data[index]
            index += 1
            number = (number << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
    if index >= len(data):
        raise ValueError("no length after the tag")
    length = data[index]
    index += 1
    if length == 0x80:
        raise ValueError("indefinite lengths are not used on cards")
    if length > 0x80:
        count = length & 0x7F
        if count > 4 or index + count > len(data):
            raise ValueError("the length runs past the data")
        length = int.from_bytes(data[index : index + count], "big")
        index += count
    end = index + length
    if end > len(data):
        raise ValueError(f"the contents need {length} bytes, {len(data) - index} are there")
    return first >> 6, number, bytes(data[index:end]), data[end:]


def objects(data: bytes) -> Iterator[tuple[int, int, bytes]]:
    """Every object of a sequence of TLVs: (class, tag number, contents)."""
    while data:
        class_, number, contents, data = decode(data)
        yield class_, number, contents


def find(data: bytes, class_: int, number: int) -> bytes | None:
    """The contents of the first object with that tag among `data`'s objects."""
    return next((contents for c, n, contents in objects(data) if (c, n) == (class_, number)), None)
