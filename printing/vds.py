"""Visible Digital Seal (BSI TR-03137 Part 1, ICAO Doc 9303-13): the bytes of a printed 2D seal.

A seal is a header (magic 0xDC, version, issuing country, signer and certificate reference, issue
and signature dates, feature-definition reference, document type category), a message zone of
TLV features, and a signature zone (tag 0xFF, DER length, raw ECDSA r‖s over everything before).
This module knows the byte layout only; which features a document carries is `seal_profile`'s job,
and who signs is the caller's (a `RawSigner`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

MAGIC = 0xDC
SIGNATURE_TAG = 0xFF
# The version byte is the version number minus one: 0x02 is version 3, 0x03 is version 4.
VERSION_3 = 0x02
VERSION_4 = 0x03

RawSigner = Callable[[bytes], bytes]
"""Signs the given bytes (header and message zone) and returns the raw ECDSA signature r‖s."""


class VdsError(ValueError):
    """The bytes are not a well-formed seal; the message says where."""


# --- C40 ----------------------------------------------------------------------------------------

_C40_SHIFT1 = 0
_C40_SPACE = 3
_C40_SINGLE_CHARACTER = 0xFE


def _c40_value(character: str) -> int:
    if character in (" ", "<"):  # ICAO: the filler '<' is encoded as a space
        return _C40_SPACE
    if "0" <= character <= "9":
        return ord(character) - ord("0") + 4
    if "A" <= character <= "Z":
        return ord(character) - ord("A") + 14
    raise VdsError(f"C40 has no character {character!r} (only space, 0-9, A-Z)")


def _c40_character(value: int) -> str:
    if value == _C40_SPACE:
        return " "
    if 4 <= value <= 13:
        return chr(ord("0") + value - 4)
    if 14 <= value <= 39:
        return chr(ord("A") + value - 14)
    raise VdsError(f"C40 value {value} is not a character")


def c40_encode(text: str) -> bytes:
    out = bytearray()
    whole = len(text) - len(text) % 3
    for start in range(0, whole, 3):
        out += _c40_pack(*(_c40_value(c) for c in text[start : start + 3]))
    rest = text[whole:]
    if len(rest) == 2:
        out += _c40_pack(_c40_value(rest[0]), _c40_value(rest[1]), _C40_SHIFT1)
    elif len(rest) == 1:
        _c40_value(rest)  # refuse what C40 cannot carry, even here
        out += bytes((_C40_SINGLE_CHARACTER, ord(rest) + 1))
    return bytes(out)


def _c40_pack(first: int, second: int, third: int) -> bytes:
    return (1600 * first + 40 * second + third + 1).to_bytes(2, "big")


def c40_decode(data: bytes) -> str:
    if len(data) % 2:
        raise VdsError("C40 data has an odd number of bytes")
    characters: list[str] = []
    for index in range(0, len(data), 2):
        if data[index] == _C40_SINGLE_CHARACTER:
            characters.append(chr(data[index + 1] - 1))
            continue
        value = int.from_bytes(data[index : index + 2], "big") - 1
        first, rest = divmod(value, 1600)
        second, third = divmod(rest, 40)
        characters.append(_c40_character(first))
        characters.append(_c40_character(second))
        if third != _C40_SHIFT1:
            characters.append(_c40_character(third))
    return "".join(characters)


def c40_length(characters: int) -> int:
    """Bytes that `characters` C40 characters take."""
    return (characters + 2) // 3 * 2


# --- dates and lengths --------------------------------------------------------------------------


def encode_date(day: dt.date) -> bytes:
    """MMDDYYYY read as a decimal number, in three bytes (25 March 1957 → 0x319EF5)."""
    return int(day.strftime("%m%d%Y")).to_bytes(3, "big")


def decode_date(data: bytes) -> dt.date:
    digits = f"{int.from_bytes(data, 'big'):08d}"
    try:
        return dt.date(int(digits[4:]), int(digits[:2]), int(digits[2:4]))
    except ValueError as error:
        raise VdsError(f"not a date: {data.hex()}") from error


def der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes((length,))
    size = (length.bit_length() + 7) // 8
    return bytes((0x80 | size,)) + length.to_bytes(size, "big")


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.position = data, 0

    def take(self, count: int, what: str) -> bytes:
        end = self.position + count
        if end > len(self.data):
            raise VdsError(f"seal ends inside the {what} (byte {self.position})")
        chunk = self.data[self.position : end]
        self.position = end
        return chunk

    def byte(self, what: str) -> int:
        return self.take(1, what)[0]

    def length(self, what: str) -> int:
        first = self.byte(what)
        if first < 0x80:
            return first
        size = first & 0x7F
        if not 1 <= size <= 3:
            raise VdsError(f"unsupported length form in the {what}")
        return int.from_bytes(self.take(size, what), "big")

    @property
    def done(self) -> bool:
        return self.position >= len(self.data)


# --- header and seal ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VdsHeader:
    issuing_country: str  # three letters, ICAO style ('D<<' for Germany)
    signer_id: str  # four characters: country and signer, e.g. 'DESI'
    certificate_reference: str  # hex digits of the signer certificate's serial number
    issue_date: dt.date
    signature_date: dt.date
    feature_reference: int
    document_type: int
    version: int = VERSION_4

    def encode(self) -> bytes:
        if len(self.signer_id) != 4:
            raise VdsError("the signer identifier has four characters")
        if self.version == VERSION_3:
            if len(self.certificate_reference) != 5:
                raise VdsError("a version 3 seal has a five-character certificate reference")
            signer = self.signer_id + self.certificate_reference
        elif self.version == VERSION_4:
            if not 0 < len(self.certificate_reference) < 256:
                raise VdsError("the certificate reference has 1 to 255 characters")
            signer = (
                f"{self.signer_id}{len(self.certificate_reference):02X}{self.certificate_reference}"
            )
        else:
            raise VdsError(f"unsupported seal version byte {self.version:#04x}")
        return (
            bytes((MAGIC, self.version))
            + c40_encode(self.issuing_country)
            + c40_encode(signer)
            + encode_date(self.issue_date)
            + encode_date(self.signature_date)
            + bytes((self.feature_reference, self.document_type))
        )

    @classmethod
    def read(cls, reader: _Reader) -> VdsHeader:
        if reader.byte("header") != MAGIC:
            raise VdsError("not a Visible Digital Seal (no 0xDC at the start)")
        version = reader.byte("header")
        country = c40_decode(reader.take(2, "issuing country"))
        if version == VERSION_3:
            signer = c40_decode(reader.take(6, "signer"))
            signer_id, reference = signer[:4], signer[4:]
        elif version == VERSION_4:
            start = c40_decode(reader.take(4, "signer"))
            try:
                reference_length = int(start[4:6], 16)
            except ValueError as error:
                raise VdsError("the certificate reference length is not hex") from error
            remaining = c40_length(6 + reference_length) - 4
            reference = (start + c40_decode(reader.take(remaining, "signer")))[6:]
            signer_id = start[:4]
            if len(reference) != reference_length:
                raise VdsError("the certificate reference has the wrong length")
        else:
            raise VdsError(f"unsupported seal version byte {version:#04x}")
        issue_date = decode_date(reader.take(3, "issue date"))
        signature_date = decode_date(reader.take(3, "signature date"))
        feature_reference = reader.byte("feature reference")
        document_type = reader.byte("document type")
        return cls(
            issuing_country=country,
            signer_id=signer_id,
            certificate_reference=reference,
            issue_date=issue_date,
            signature_date=signature_date,
            feature_reference=feature_reference,
            document_type=document_type,
            version=version,
        )


Feature = tuple[int, bytes]


@dataclass(frozen=True, slots=True)
class VisibleDigitalSeal:
    header: VdsHeader
    features: tuple[Feature, ...]
    signature: bytes

    @property
    def signed_bytes(self) -> bytes:
        return encode_unsigned(self.header, self.features)

    def encode(self) -> bytes:
        return (
            self.signed_bytes
            + bytes((SIGNATURE_TAG,))
            + der_length(len(self.signature))
            + self.signature
        )

    def feature(self, tag: int) -> bytes | None:
        return next((value for feature_tag, value in self.features if feature_tag == tag), None)

    @classmethod
    def decode(cls, data: bytes) -> VisibleDigitalSeal:
        reader = _Reader(data)
        header = VdsHeader.read(reader)
        features: list[Feature] = []
        while True:
            if reader.done:
                raise VdsError("the seal has no signature zone")
            tag = reader.byte("message zone")
            length = reader.length("message zone")
            value = reader.take(length, f"feature {tag:#04x}")
            if tag == SIGNATURE_TAG:
                if not reader.done:
                    raise VdsError("bytes after the signature zone")
                return cls(header, tuple(features), value)
            features.append((tag, value))


def split(data: bytes) -> tuple[VisibleDigitalSeal, ...]:
    """Seals written one after another (a two-part seal as the register stores it): each ends
    with its signature zone, so the bytes divide without a separator."""
    seals: list[VisibleDigitalSeal] = []
    reader = _Reader(data)
    while not reader.done:
        start = reader.position
        VdsHeader.read(reader)
        while True:
            tag = reader.byte("message zone")
            reader.take(reader.length("message zone"), f"feature {tag:#04x}")
            if tag == SIGNATURE_TAG:
                break
            if reader.done:
                raise VdsError("the seal has no signature zone")
        seals.append(VisibleDigitalSeal.decode(data[start : reader.position]))
    if not seals:
        raise VdsError("no seal in the data")
    return tuple(seals)


def encode_unsigned(header: VdsHeader, features: tuple[Feature, ...]) -> bytes:
    message = bytearray()
    for tag, value in features:
        if tag == SIGNATURE_TAG:
            raise VdsError("0xFF is the signature tag, not a feature tag")
        message += bytes((tag,)) + der_length(len(value)) + value
    return header.encode() + bytes(message)


def seal(header: VdsHeader, features: tuple[Feature, ...], sign: RawSigner) -> VisibleDigitalSeal:
    return VisibleDigitalSeal(header, features, sign(encode_unsigned(header, features)))
