"""The chip of a German ID card (nPA) or electronic residence permit (eAT) as a terminal meets
it without any authorisation, after BSI TR-03110 and ICAO Doc 9303 Part 11: EF.CardAccess,
PACE with CAN or PIN (generic mapping, brainpoolP256r1, AES-128), the PIN's retry counter and
the CAN-before-PIN rule once it is down to one, secure messaging, the PIN change, and the eID
data groups refused (6982) because no terminal authentication is possible here.

The chip's side is written here on its own, from the specifications, not from the terminal
code in cardreader/: a test of that code against this chip is a test of two readings of the
same texts. Tests and the demo only."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.cmac import CMAC
from ecdsa import VerifyingKey, curves

PACE_ECDH_GM_AES_128 = bytes.fromhex("04007F00070202040202")  # 0.4.0.127.0.7.2.2.4.2.2
BRAINPOOL_P256R1 = 13
CURVE = curves.BRAINPOOLP256r1
FIELD_BYTES = 32
# EF.CardAccess: PACEInfo (ECDH-GM-AES-128, version 2, brainpoolP256r1) and, as on the real
# card, a TerminalAuthenticationInfo (id-TA, version 2) and a ChipAuthenticationInfo
EF_CARD_ACCESS = bytes.fromhex(
    "3134"
    "3012 060A 04007F00070202040202 020102 02010D"
    "300D 0608 04007F0007020202 020102"
    "300F 060A 04007F00070202030202 020102"
)
EID_AID = bytes.fromhex("E80704007F00070302")
ESIGN_AID = bytes.fromhex("A000000167455349474E")
EPASS_AID = bytes.fromhex("A0000002471001")
# EF.DIR: the card's applications (ISO/IEC 7816-4 application templates), as a real nPA lists them
EF_DIR = b"".join(
    bytes([0x61, len(aid) + 2, 0x4F, len(aid)]) + aid for aid in (EID_AID, ESIGN_AID, EPASS_AID)
)
# the master file's transparent files: by short file identifier and by file identifier
MF_FILES = {0x1C: EF_CARD_ACCESS, 0x1E: EF_DIR}
MF_FIDS = {b"\x01\x1c": 0x1C, b"\x2f\x00": 0x1E}
ATR = bytes.fromhex("3B8A80018031F873F741E082900075")  # a real nPA's (contactless readers vary)
MRZ, CAN, PIN, PUK = 1, 2, 3, 4
PIN_TRIES = 3

SW_OK = b"\x90\x00"
SW_SECURITY = b"\x69\x82"  # security status not satisfied
SW_CONDITIONS = b"\x69\x85"
SW_WRONG_DATA = b"\x6a\x80"
SW_NOT_FOUND = b"\x6a\x82"
SW_INS = b"\x6d\x00"
SW_CLASS = b"\x6e\x00"
SW_SM_OBJECTS = b"\x69\x88"  # secure messaging data objects incorrect
SW_AUTH_FAILED = b"\x63\x00"


def _tlv(tag: bytes, value: bytes) -> bytes:
    length = len(value)
    encoded = bytes([length]) if length < 0x80 else bytes([0x81, length])
    return tag + encoded + value


def _tlvs(data: bytes) -> dict[int, bytes]:
    """Simple BER-TLV with one- or two-byte tags (7F49, 7F4C) and short lengths."""
    found: dict[int, bytes] = {}
    index = 0
    while index < len(data):
        tag = data[index]
        index += 1
        if tag & 0x1F == 0x1F:
            tag = (tag << 8) | data[index]
            index += 1
        length = data[index]
        index += 1
        if length == 0x81:
            length, index = data[index], index + 1
        found[tag] = data[index : index + length]
        index += length
    return found


def _kdf(secret: bytes, counter: int) -> bytes:
    return hashlib.sha1(secret + counter.to_bytes(4, "big")).digest()[:16]


def _point(point: Any) -> bytes:
    x, y = int(point.x()), int(point.y())
    return b"\x04" + x.to_bytes(FIELD_BYTES, "big") + y.to_bytes(FIELD_BYTES, "big")


def _mac(key: bytes, data: bytes) -> bytes:
    mac = CMAC(algorithms.AES(key))
    mac.update(data)
    return mac.finalize()


def _pad(data: bytes) -> bytes:
    data += b"\x80"
    return data + bytes(-len(data) % 16)


@dataclass
class Personality:
    """What one card is: its kind, CAN, PIN and how many PIN tries are left."""

    # npa | eat: the same eID application; which one only its data groups say, and those
    # need terminal authentication (refused here, as to every terminal without a certificate)
    kind: str = "npa"
    can: str = "123456"
    pin: str = "123456"
    pin_tries: int = PIN_TRIES
    # READ BINARY with Le=00 (as many as there are) on a file shorter than 256 bytes: a real
    # nPA answers 9000; some cards warn 6282 (end of file reached), which terminals also take
    short_read_warning: bool = False


@dataclass
class _Pace:
    password: int
    nonce: int = 0
    map_key: int = 0
    mapped: Any = None
    ephemeral_key: int = 0
    ephemeral_public: bytes = b""
    terminal_public: bytes = b""
    suspended: bool = False
    k_enc: bytes = b""
    k_mac: bytes = b""
    step: int = 0


@dataclass
class Chip:
    personality: Personality = field(default_factory=Personality)
    selected_eid: bool = False
    current_file: int | None = None  # the MF file selected by its identifier
    pace: _Pace | None = None
    # secure messaging after PACE: keys and the send sequence counter
    sm_keys: tuple[bytes, bytes] | None = None
    ssc: int = 0
    pace_with: int = 0  # the password the current channel was opened with
    can_verified: bool = False  # the CAN unlocks the PIN's last try

    def reset(self) -> None:
        """Power off, on or reset: every session state is gone, the card's data stays."""
        self.selected_eid, self.pace, self.sm_keys, self.ssc = False, None, None, 0
        self.current_file = None
        self.pace_with, self.can_verified = 0, False

    # --- the command dispatcher --------------------------------------------------------------

    def respond(self, apdu: bytes) -> bytes:
        if len(apdu) < 4:
            return SW_WRONG_DATA
        if apdu[0] == 0xFF:  # a pseudo-APDU for the reader (PC/SC part 10), not for the card
            return SW_CLASS
        if apdu[0] & 0x0C == 0x0C:
            return self._secure(apdu)
        if self.sm_keys is not None and apdu[1] != 0x86 and apdu[1] != 0x22:
            self.sm_keys = None  # a plain command ends the secure channel (TR-03110 F.3)
        return self._plain(apdu)

    def _plain(self, apdu: bytes) -> bytes:
        cla, ins, p1, p2 = apdu[:4]
        data = apdu[5 : 5 + apdu[4]] if len(apdu) > 5 else b""
        if ins == 0xA4:
            return self._select(p1, p2, data)
        if ins == 0xB0:
            return self._read_binary(p1, p2, apdu[4] if len(apdu) == 5 else 0)
        if ins == 0x22 and (p1, p2) == (0xC1, 0xA4):
            return self._mse_set_at(data)
        if ins == 0x86:
            return self._general_authenticate(cla, data)
        return SW_INS

    def _select(self, p1: int, _p2: int, data: bytes) -> bytes:
        if p1 == 0x04:
            self.selected_eid = data == EID_AID
            return SW_OK if self.selected_eid else SW_NOT_FOUND
        if p1 in (0x00, 0x02) and data in (b"", b"\x3f\x00"):
            self.selected_eid, self.current_file = False, None
            return SW_OK
        if p1 in (0x00, 0x02) and data in MF_FIDS and not self.selected_eid:
            self.current_file = MF_FIDS[data]
            return SW_OK
        return SW_NOT_FOUND

    def _read_binary(self, p1: int, p2: int, length: int) -> bytes:
        chosen: int | None
        if p1 & 0x80:  # short file identifier in P1
            if self.selected_eid:
                return SW_SECURITY  # eID data groups: only after terminal authentication
            chosen, offset = p1 & 0x1F, p2
            self.current_file = chosen  # reading by SFI selects the file (ISO/IEC 7816-4)
        else:
            if self.selected_eid:
                return SW_SECURITY
            chosen, offset = self.current_file, (p1 << 8) | p2
        content = MF_FILES.get(chosen) if chosen is not None else None
        if content is None:
            return SW_NOT_FOUND
        if offset > len(content):
            return b"\x6b\x00"  # wrong offset
        wanted = length or 256
        chunk = content[offset : offset + wanted]
        if len(chunk) == wanted:
            return chunk + SW_OK
        # fewer bytes than asked: with Le=00 (as many as there are) a real nPA says 9000; a
        # definite Le the end of the file cut short is 6282 (ISO/IEC 7816-4), as is the variant's
        warn = length != 0 or self.personality.short_read_warning
        return chunk + (b"\x62\x82" if warn else SW_OK)

    # --- PACE ---------------------------------------------------------------------------------

    def _mse_set_at(self, data: bytes) -> bytes:
        objects = _tlvs(data)
        if objects.get(0x80) != PACE_ECDH_GM_AES_128:
            return SW_WRONG_DATA
        reference = objects.get(0x83, b"\x00")[0]
        if reference not in (CAN, PIN):
            return SW_WRONG_DATA
        self.pace = _Pace(password=reference)
        if reference == PIN:
            tries = self.personality.pin_tries
            if tries == 0:
                self.pace = None
                return b"\x63\xc0"  # blocked: only the PUK would help
            if tries == 1 and not self.can_verified:
                self.pace.suspended = True  # suspended: PACE with the CAN first
            if tries < PIN_TRIES:
                return bytes([0x63, 0xC0 | tries])
        return SW_OK

    def _password(self) -> bytes:
        assert self.pace is not None
        return (
            self.personality.can if self.pace.password == CAN else self.personality.pin
        ).encode()

    def _general_authenticate(self, cla: int, data: bytes) -> bytes:
        pace = self.pace
        if pace is None or pace.suspended:
            self.pace = None
            return SW_CONDITIONS
        if not data.startswith(b"\x7c"):
            return SW_WRONG_DATA
        objects = _tlvs(_tlvs(data)[0x7C])
        chained = cla & 0x10 == 0x10
        generator, order = CURVE.generator, CURVE.order
        if pace.step == 0 and not objects and chained:
            nonce = os.urandom(16)
            pace.nonce = int.from_bytes(nonce, "big")
            key = _kdf(self._password(), 3)
            encryptor = Cipher(algorithms.AES(key), modes.CBC(bytes(16))).encryptor()
            pace.step = 1
            return (
                _tlv(b"\x7c", _tlv(b"\x80", encryptor.update(nonce) + encryptor.finalize())) + SW_OK
            )
        if pace.step == 1 and 0x81 in objects and chained:
            terminal_map = self._decode(objects[0x81])
            if terminal_map is None:
                return SW_WRONG_DATA
            pace.map_key = secrets.randbelow(order - 1) + 1
            pace.mapped = generator * pace.nonce + terminal_map * pace.map_key
            pace.step = 2
            return _tlv(b"\x7c", _tlv(b"\x82", _point(generator * pace.map_key))) + SW_OK
        if pace.step == 2 and 0x83 in objects and chained:
            terminal_ephemeral = self._decode(objects[0x83])
            if terminal_ephemeral is None:
                return SW_WRONG_DATA
            pace.ephemeral_key = secrets.randbelow(order - 1) + 1
            pace.ephemeral_public = _point(pace.mapped * pace.ephemeral_key)
            if pace.ephemeral_public == objects[0x83]:
                return SW_WRONG_DATA
            shared = int((terminal_ephemeral * pace.ephemeral_key).x())
            secret = shared.to_bytes(FIELD_BYTES, "big")
            pace.k_enc, pace.k_mac = _kdf(secret, 1), _kdf(secret, 2)
            pace.terminal_public = objects[0x83]
            pace.step = 3
            return _tlv(b"\x7c", _tlv(b"\x84", pace.ephemeral_public)) + SW_OK
        if pace.step == 3 and 0x85 in objects and not chained:
            expected = self._token(pace.k_mac, pace.ephemeral_public)
            self.pace = None
            if objects[0x85] != expected:
                return self._wrong_password(pace.password)
            if pace.password == PIN:
                self.personality.pin_tries = PIN_TRIES
            if pace.password == CAN:
                self.can_verified = True
            self.sm_keys, self.ssc, self.pace_with = (pace.k_enc, pace.k_mac), 0, pace.password
            token = self._token(pace.k_mac, pace.terminal_public)
            return _tlv(b"\x7c", _tlv(b"\x86", token)) + SW_OK
        self.pace = None
        return SW_CONDITIONS

    def _wrong_password(self, password: int) -> bytes:
        if password != PIN:
            return SW_AUTH_FAILED
        self.personality.pin_tries = max(0, self.personality.pin_tries - 1)
        return bytes([0x63, 0xC0 | self.personality.pin_tries])

    @staticmethod
    def _token(k_mac: bytes, public: bytes) -> bytes:
        oid = b"\x06" + bytes([len(PACE_ECDH_GM_AES_128)]) + PACE_ECDH_GM_AES_128
        return _mac(k_mac, _tlv(b"\x7f\x49", oid + _tlv(b"\x86", public)))[:8]

    @staticmethod
    def _decode(data: bytes) -> Any:
        try:
            return VerifyingKey.from_string(data, curve=CURVE).pubkey.point
        except Exception:  # not a point of the curve: the terminal gets 6A80
            return None

    # --- secure messaging -------------------------------------------------------------------

    def _secure(self, apdu: bytes) -> bytes:
        if self.sm_keys is None:
            return SW_SM_OBJECTS
        k_enc, k_mac = self.sm_keys
        self.ssc += 1
        ssc = self.ssc.to_bytes(16, "big")
        header, body = apdu[:4], apdu[5 : 5 + apdu[4]] if len(apdu) > 5 else b""
        objects = _tlvs(body)
        mac_input = b""
        for tag in (0x87, 0x97):
            if tag in objects:
                mac_input += _tlv(bytes([tag]), objects[tag])
        if _mac(k_mac, _pad(ssc + _pad(header) + mac_input))[:8] != objects.get(0x8E):
            self.sm_keys = None  # a wrong MAC ends the channel
            return SW_SM_OBJECTS
        data = b""
        if 0x87 in objects:
            iv = self._iv(k_enc, ssc)
            decryptor = Cipher(algorithms.AES(k_enc), modes.CBC(iv)).decryptor()
            padded = decryptor.update(objects[0x87][1:]) + decryptor.finalize()
            data = padded.rstrip(b"\x00")[:-1]
        le = objects.get(0x97)
        plain = bytes([header[0] & ~0x0C & 0xFF]) + header[1:]
        if data:
            plain += bytes([len(data)]) + data
        if le is not None:
            plain += le
        answer = self._inside(plain)
        return self._protect(answer[:-2], answer[-2:])

    def _inside(self, apdu: bytes) -> bytes:
        """A command that came under secure messaging."""
        ins, p1, p2 = apdu[1], apdu[2], apdu[3]
        if ins == 0x2C and (p1, p2) == (0x02, 0x03):  # RESET RETRY COUNTER: the new PIN
            if self.pace_with != PIN:
                return SW_SECURITY
            self.personality.pin = apdu[5 : 5 + apdu[4]].decode()
            return SW_OK
        return self._plain(apdu)

    def _protect(self, data: bytes, status: bytes) -> bytes:
        assert self.sm_keys is not None
        k_enc, k_mac = self.sm_keys
        self.ssc += 1
        ssc = self.ssc.to_bytes(16, "big")
        objects = b""
        if data:
            encryptor = Cipher(algorithms.AES(k_enc), modes.CBC(self._iv(k_enc, ssc))).encryptor()
            objects += _tlv(b"\x87", b"\x01" + encryptor.update(_pad(data)) + encryptor.finalize())
        objects += _tlv(b"\x99", status)
        mac = _mac(k_mac, _pad(ssc + objects))[:8]
        return objects + _tlv(b"\x8e", mac) + status

    @staticmethod
    def _iv(k_enc: bytes, ssc: bytes) -> bytes:
        encryptor = Cipher(algorithms.AES(k_enc), modes.ECB()).encryptor()
        return encryptor.update(ssc) + encryptor.finalize()
