"""The eMRTD application's files (ICAO Doc 9303 Part 10, the Logical Data Structure): selected
and read under secure messaging, a file at a time by its short file identifier, its length
taken from its own TLV header; and what the terminal reads out of them: EF.COM's list, DG1's
MRZ, DG2's face image (ISO/IEC 19794-5 inside the biometric templates), DG15's public key,
DG14's security infos, EF.SOD's signed hashes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from cardreader import tlv
from cardreader.errors import CardProtocolError
from cardreader.mrz import MrzData, MrzError, parse
from cardreader.pace import MALFORMED, OK, Transmit
from cardreader.secure_messaging import SecureChannel

EMRTD_AID = bytes.fromhex("A0000002471001")
SELECT_EMRTD = bytes.fromhex("00A4040C07") + EMRTD_AID
# a chunk that fits a short response under 3DES or AES secure messaging (data object,
# padding, status and MAC objects within 256 bytes)
CHUNK = 0xDF
FILE_NOT_FOUND = (0x6A82, 0x6A88)
ACCESS_DENIED = (0x6982, 0x6985)


class LdsFile(IntEnum):
    """Short file identifiers (Part 10 §4.6)."""

    COM = 0x1E
    DG1 = 0x01
    DG2 = 0x02
    DG11 = 0x0B
    DG14 = 0x0E
    DG15 = 0x0F
    SOD = 0x1D


# the data groups' tags as EF.COM lists them (Part 10 §4.6.1)
DG_TAGS = {0x61: 1, 0x75: 2, 0x63: 3, 0x76: 4, 0x65: 5, 0x66: 6, 0x67: 7, 0x68: 8, 0x69: 9}
DG_TAGS |= {0x6A: 10, 0x6B: 11, 0x6C: 12, 0x6D: 13, 0x6E: 14, 0x6F: 15, 0x70: 16}


class FileMissing(CardProtocolError):
    """The chip has no such file (an optional data group it does not carry)."""


class FileDenied(CardProtocolError):
    """The chip refuses the file to this terminal (DG3, DG4 need extended access control)."""


def secured(transmit: Transmit, channel: SecureChannel) -> Transmit:
    """A transmit for plain commands that go out protected and come back checked."""

    def protected(apdu: bytes) -> tuple[bytes, int]:
        data, status = transmit(channel.wrap(apdu))
        return channel.unwrap(data, status)

    return protected


def _total_length(head: bytes) -> int:
    """Header and contents of the TLV that `head` (its first bytes) starts."""
    tag_bytes = 2 if head[0] & 0x1F == 0x1F else 1
    first = head[tag_bytes]
    if first < 0x80:
        return tag_bytes + 1 + first
    count = first & 0x7F
    if count not in (1, 2, 3) or len(head) < tag_bytes + 1 + count:
        raise CardProtocolError(f"a file's length is coded in {count} bytes")
    length = int.from_bytes(head[tag_bytes + 1 : tag_bytes + 1 + count], "big")
    return tag_bytes + 1 + count + length


def read_file(transmit: Transmit, sfi: int) -> bytes:
    """The whole file with short file identifier `sfi`: its first bytes by SFI (which selects
    it), the rest by offset."""
    head, status = transmit(bytes([0x00, 0xB0, 0x80 | sfi, 0x00, 0x08]))
    if status in FILE_NOT_FOUND:
        raise FileMissing(f"file {sfi:02X}: not on the chip")
    if status in ACCESS_DENIED:
        raise FileDenied(f"file {sfi:02X}: refused to this terminal")
    if status not in (OK, 0x6282) or len(head) < 2:
        raise CardProtocolError(f"file {sfi:02X}: the chip answered {status:04X}")
    total = _total_length(head)
    content = bytearray(head[:total])
    while len(content) < total:
        offset = len(content)
        wanted = min(CHUNK, total - offset)
        data, status = transmit(_read_at(offset, wanted))
        if offset > 0x7FFF:
            data = _odd_answer(data, sfi)
        if status not in (OK, 0x6282) or not data:
            raise CardProtocolError(f"file {sfi:02X} at {offset}: the chip answered {status:04X}")
        content += data[:wanted]
    return bytes(content)


def _read_at(offset: int, wanted: int) -> bytes:
    """READ BINARY at `offset`: in P1-P2 up to 32 767; beyond, the odd instruction B1 with the
    offset in a data object 54 (ISO/IEC 7816-4 §11.3.3, for large face images)."""
    if offset <= 0x7FFF:
        return bytes([0x00, 0xB0, offset >> 8, offset & 0xFF, wanted])
    where = tlv.encode(tlv.APPLICATION, False, 0x14, offset.to_bytes(3, "big").lstrip(b"\x00"))
    # the answer comes in a data object 53: ask for its header too
    return bytes([0x00, 0xB1, 0x00, 0x00, len(where)]) + where + bytes([min(wanted + 4, 0xFF)])


def _odd_answer(data: bytes, sfi: int) -> bytes:
    try:
        class_, number, contents, _rest = tlv.decode(data)
    except MALFORMED as error:
        raise CardProtocolError(f"file {sfi:02X}: {error}") from error
    if (class_, number) != (tlv.APPLICATION, 0x13):
        raise CardProtocolError(f"file {sfi:02X}: the answer to B1 is no data object 53")
    return contents


def _inside(data: bytes, tag: int, what: str) -> bytes:
    """The contents of `data`, which must be the file's object with tag byte `tag`."""
    if not data or data[0] != tag:
        raise CardProtocolError(f"{what}: not the file's tag")
    try:
        return tlv.decode(data)[2]
    except MALFORMED as error:
        raise CardProtocolError(f"{what}: {error}") from error


def data_groups_listed(ef_com: bytes) -> list[int]:
    """The data groups EF.COM says the chip has (its tag list, 5C)."""
    tags = tlv.find(_inside(ef_com, 0x60, "EF.COM"), tlv.APPLICATION, 0x1C) or b""
    return sorted(DG_TAGS[t] for t in tags if t in DG_TAGS)


def mrz_of(dg1: bytes) -> MrzData:
    """DG1: the document's MRZ as the chip holds it (5F1F)."""
    mrz = tlv.find(_inside(dg1, 0x61, "DG1"), tlv.APPLICATION, 0x1F)
    if mrz is None:
        raise CardProtocolError("DG1 holds no MRZ")
    try:
        return parse(mrz.decode("ascii"))
    except (MrzError, UnicodeDecodeError) as error:
        raise CardProtocolError(f"DG1: {error}") from error


@dataclass(frozen=True, slots=True)
class FaceImage:
    """DG2's first face image: its bytes as the chip holds them and what they are."""

    data: bytes
    kind: str  # jpeg | jp2
    width: int
    height: int


JPEG_SOI = b"\xff\xd8\xff"
JP2_SIGNATURE = bytes.fromhex("0000000C6A5020200D0A870A")
J2K_CODESTREAM = bytes.fromhex("FF4FFF51")


def face_of(dg2: bytes) -> FaceImage:
    """DG2: biometric information group (7F61) → template (7F60) → data block (5F2E or 7F2E)
    in ISO/IEC 19794-5: the facial record header, the face's information and feature points,
    the image's information, then the image."""
    try:
        group = _inside(dg2, 0x75, "DG2")
        template = tlv.find(group, tlv.APPLICATION, 0x61)
        biometric = tlv.find(template or b"", tlv.APPLICATION, 0x60)
        block = tlv.find(biometric or b"", tlv.APPLICATION, 0x2E)
        if block is None:
            raise CardProtocolError("DG2 holds no facial record")
        return _iso19794_5(block)
    except MALFORMED as error:
        raise CardProtocolError(f"DG2: {error}") from error


def _iso19794_5(block: bytes) -> FaceImage:
    if block[:4] != b"FAC\x00":
        raise CardProtocolError("DG2: the facial record does not start with FAC")
    record = block[14:]  # after the general header: format, version, length, face count
    features = int.from_bytes(record[4:6], "big")
    image_info = record[20 + 8 * features :]
    data_type = image_info[1]
    width = int.from_bytes(image_info[2:4], "big")
    height = int.from_bytes(image_info[4:6], "big")
    record_length = int.from_bytes(record[0:4], "big")
    image = image_info[12 : record_length - 20 - 8 * features]
    kind = "jp2" if data_type == 1 else "jpeg"
    if kind == "jpeg" and not image.startswith(JPEG_SOI):
        raise CardProtocolError("DG2: the face image is no JPEG")
    if kind == "jp2" and not image.startswith((JP2_SIGNATURE, J2K_CODESTREAM)):
        raise CardProtocolError("DG2: the face image is no JPEG 2000")
    return FaceImage(image, kind, width, height)


def public_key_of(dg15: bytes) -> bytes:
    """DG15: the chip's Active Authentication key, a SubjectPublicKeyInfo (DER)."""
    return _inside(dg15, 0x6F, "DG15")


def security_infos_of(dg14: bytes) -> bytes:
    """DG14: the SET OF SecurityInfo for Chip Authentication (and others), DER."""
    return _inside(dg14, 0x6E, "DG14")


def signed_object_of(sod: bytes) -> bytes:
    """EF.SOD: the CMS ContentInfo (SignedData) with the data groups' hashes, DER."""
    return _inside(sod, 0x77, "EF.SOD")
