"""The chip of an ICAO 9303 eMRTD (a passport, or an ID card that follows 9303) as a terminal
meets it: EF.CardAccess with PACE (CAN or MRZ; generic mapping, brainpoolP256r1, AES-128)
where the document has it, Basic Access Control (3DES) where it has it, the eMRTD
application's files behind either under secure messaging, and Active Authentication (RSA,
ISO/IEC 9796-2 scheme 1 with SHA-1) where DG15 carries its key.

Written from ICAO Doc 9303 Parts 10 and 11 on its own, not from the terminal code in
cardreader/. PACE's chip side is the ID card's (`chip.Chip`), with the MRZ as one more
password. Tests, the demo and benchmarks only."""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass, field

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.ciphers import Cipher, modes

from sandbox.virtual_card.chip import (
    CAN,
    EPASS_AID,
    MRZ,
    PACE_ECDH_GM_AES_128,
    SW_AUTH_FAILED,
    SW_CONDITIONS,
    SW_INS,
    SW_NOT_FOUND,
    SW_OK,
    SW_SECURITY,
    SW_SM_OBJECTS,
    SW_WRONG_DATA,
    Chip,
    Personality,
    _kdf,
    _Pace,
    _tlv,
    _tlvs,
)

# the files' short identifiers (Part 10 §4.6); their file identifiers are 01 and the SFI
SFI = {"COM": 0x1E, "DG1": 0x01, "DG2": 0x02, "DG14": 0x0E, "DG15": 0x0F, "SOD": 0x1D}
# EF.CardAccess of a passport: PACEInfo only (no terminal authentication of an eID)
CA_ECDH_AES_128_CONTENTS = bytes.fromhex("04007F0007020203 0202".replace(" ", ""))
PASSPORT_CARD_ACCESS = bytes.fromhex("3114 3012 060A 04007F00070202040202 020102 02010D")


@dataclass
class PassportPersonality:
    files: dict[str, bytes]  # COM, DG1, DG2, [DG15], SOD: as the issuer wrote them
    mrz_information: str  # document number, birth, expiry, each with its check digit
    can: str = "123456"
    pace: bool = True
    bac: bool = True
    # the key the chip signs with; a cloned chip has the data but another key than DG15's
    active_authentication: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = None
    # the chip's static key for Chip Authentication (its public half in DG14)
    chip_authentication: ec.EllipticCurvePrivateKey | None = None
    read_chunk_limit: int = 0xE7  # the most a READ BINARY returns


def _des3(key: bytes) -> TripleDES:
    return TripleDES(key[:16] + key[:8])


def _retail_mac(key: bytes, data: bytes) -> bytes:
    """ISO/IEC 9797-1 MAC algorithm 3 with DES over `data` (already padded)."""
    k1, k2 = key[:8], key[8:16]
    state = bytes(8)
    for start in range(0, len(data), 8):
        block = bytes(a ^ b for a, b in zip(state, data[start : start + 8], strict=True))
        encryptor = Cipher(TripleDES(k1 * 3), modes.ECB()).encryptor()
        state = encryptor.update(block) + encryptor.finalize()
    decryptor = Cipher(TripleDES(k2 * 3), modes.ECB()).decryptor()
    middle = decryptor.update(state) + decryptor.finalize()
    encryptor = Cipher(TripleDES(k1 * 3), modes.ECB()).encryptor()
    return encryptor.update(middle) + encryptor.finalize()


def _pad8(data: bytes) -> bytes:
    data += b"\x80"
    return data + bytes(-len(data) % 8)


@dataclass
class PassportChip(Chip):
    passport: PassportPersonality = field(
        default_factory=lambda: PassportPersonality(files={}, mrz_information="")
    )
    applet: bool = False  # the eMRTD application is selected
    challenge: bytes = b""  # RND.IC of a BAC under way
    tdes: bool = False  # the channel is BAC's (3DES, 8-byte counter), else PACE's (AES)
    in_channel: bool = False  # the command being answered came under secure messaging
    ca_selected: bool = False  # MSE:Set AT named Chip Authentication
    renewed_keys: tuple[bytes, bytes] | None = None  # CA's keys, used after this answer

    @classmethod
    def of(cls, passport: PassportPersonality) -> PassportChip:
        return cls(personality=Personality(can=passport.can), passport=passport)

    def reset(self) -> None:
        super().reset()
        self.applet, self.challenge, self.tdes, self.in_channel = False, b"", False, False
        self.ca_selected, self.renewed_keys = False, None

    def respond(self, apdu: bytes) -> bytes:
        if len(apdu) >= 4 and apdu[0] & 0x0C == 0x0C and self.tdes:
            answer = self._secure_tdes(apdu)
        else:
            answer = super().respond(apdu)
        if self.renewed_keys is not None:  # CA: the answer went under the old keys
            self.sm_keys, self.ssc, self.tdes = self.renewed_keys, 0, False
            self.renewed_keys = None
        return answer

    # --- plain commands ----------------------------------------------------------------------

    def _plain(self, apdu: bytes) -> bytes:
        ins = apdu[1]
        data = apdu[5 : 5 + apdu[4]] if len(apdu) > 5 else b""
        if ins == 0xA4:
            return self._select_passport(apdu[2], data)
        if ins == 0xB0:
            return self._read(apdu[2], apdu[3], apdu[4] if len(apdu) == 5 else 0)
        if ins == 0xB1:
            return self._read_odd(data, apdu[5 + apdu[4]] if len(apdu) > 5 + apdu[4] else 0)
        if ins == 0x84 and self.passport.bac:
            self.challenge = os.urandom(8)
            return self.challenge + SW_OK
        if ins == 0x82 and self.passport.bac:
            return self._external_authenticate(data)
        if ins == 0x88:
            return self._internal_authenticate(data)
        if ins == 0x22 and apdu[2:4] == b"\x41\xa4":
            return self._ca_set(data)
        if ins == 0x86 and self.ca_selected:
            return self._ca_authenticate(data)
        if ins in (0x22, 0x86) and not self.passport.pace:
            return SW_INS
        return super()._plain(apdu)

    def _select_passport(self, p1: int, data: bytes) -> bytes:
        if p1 == 0x04:
            self.applet = data == EPASS_AID
            self.current_file = None
            return SW_OK if self.applet else SW_NOT_FOUND
        if p1 in (0x00, 0x02) and self.applet and len(data) == 2 and data[0] == 0x01:
            names = {sfi: name for name, sfi in SFI.items()}
            if data[1] in names and names[data[1]] in self.passport.files:
                self.current_file = data[1]
                return SW_OK
            return SW_NOT_FOUND
        if p1 in (0x00, 0x02) and data in (b"", b"\x3f\x00"):
            self.applet, self.current_file = False, None
            return SW_OK
        if p1 in (0x00, 0x02) and data == b"\x01\x1c" and self.passport.pace:
            self.current_file = 0x1C
            return SW_OK
        return SW_NOT_FOUND

    def _content(self, sfi: int | None) -> bytes | None:
        if sfi == 0x1C and not self.applet:
            return PASSPORT_CARD_ACCESS if self.passport.pace else None
        if not self.applet:
            return None
        name = next((n for n, s in SFI.items() if s == sfi), None)
        return self.passport.files.get(name) if name else None

    def _read(self, p1: int, p2: int, length: int) -> bytes:
        sfi: int | None = p1 & 0x1F if p1 & 0x80 else self.current_file
        offset = p2 if p1 & 0x80 else (p1 << 8) | p2
        if self.applet and not self.in_channel:
            return SW_SECURITY  # the application's files: only under secure messaging
        content = self._content(sfi)
        if content is None:
            return SW_NOT_FOUND
        self.current_file = sfi
        if offset > len(content):
            return b"\x6b\x00"
        wanted = min(length or 256, self.passport.read_chunk_limit)
        chunk = content[offset : offset + wanted]
        return chunk + (SW_OK if len(chunk) == (length or len(chunk)) else b"\x62\x82")

    def _read_odd(self, data: bytes, length: int) -> bytes:
        """READ BINARY B1: the offset in a data object 54, the data in a 53 (large files)."""
        offset_object = _tlvs(data).get(0x54)
        if offset_object is None:
            return SW_WRONG_DATA
        offset = int.from_bytes(offset_object, "big")
        if self.applet and not self.in_channel:
            return SW_SECURITY
        content = self._content(self.current_file)
        if content is None:
            return SW_NOT_FOUND
        header_room = 4 if length > 0x83 else 2
        chunk = content[
            offset : offset + min(length or 256, self.passport.read_chunk_limit) - header_room
        ]
        return _tlv(b"\x53", chunk) + SW_OK

    # --- BAC ----------------------------------------------------------------------------------

    def _external_authenticate(self, data: bytes) -> bytes:
        challenge, self.challenge = self.challenge, b""
        if not challenge or len(data) != 40:
            return SW_CONDITIONS
        seed = hashlib.sha1(self.passport.mrz_information.encode()).digest()[:16]
        k_enc, k_mac = _kdf(seed, 1), _kdf(seed, 2)  # 9303-11 §9.7.1; DES ignores parity
        encrypted, mac = data[:32], data[32:]
        if not hmac.compare_digest(_retail_mac(k_mac, _pad8(encrypted)), mac):
            return SW_AUTH_FAILED
        decryptor = Cipher(_des3(k_enc), modes.CBC(bytes(8))).decryptor()
        plain = decryptor.update(encrypted) + decryptor.finalize()
        rnd_ifd, echoed, k_ifd = plain[:8], plain[8:16], plain[16:]
        if echoed != challenge:
            return SW_AUTH_FAILED
        k_ic = os.urandom(16)
        encryptor = Cipher(_des3(k_enc), modes.CBC(bytes(8))).encryptor()
        answer = encryptor.update(challenge + rnd_ifd + k_ic) + encryptor.finalize()
        session = bytes(a ^ b for a, b in zip(k_ifd, k_ic, strict=True))
        self.sm_keys = (_kdf(session, 1), _kdf(session, 2))
        self.ssc = int.from_bytes(challenge[4:] + rnd_ifd[4:], "big")
        self.tdes = True
        return answer + _retail_mac(k_mac, _pad8(answer)) + SW_OK

    def _secure_tdes(self, apdu: bytes) -> bytes:
        if self.sm_keys is None:
            return SW_SM_OBJECTS
        k_enc, k_mac = self.sm_keys
        self.ssc += 1
        ssc = self.ssc.to_bytes(8, "big")
        header, body = apdu[:4], apdu[5 : 5 + apdu[4]] if len(apdu) > 5 else b""
        objects = _tlvs(body)
        covered = b"".join(_tlv(bytes([t]), objects[t]) for t in (0x87, 0x97) if t in objects)
        if _retail_mac(k_mac, _pad8(ssc + _pad8(header) + covered)) != objects.get(0x8E):
            self.sm_keys, self.tdes = None, False
            return SW_SM_OBJECTS
        data = b""
        if 0x87 in objects:
            decryptor = Cipher(_des3(k_enc), modes.CBC(bytes(8))).decryptor()
            padded = decryptor.update(objects[0x87][1:]) + decryptor.finalize()
            data = padded.rstrip(b"\x00")[:-1]
        plain = bytes([header[0] & ~0x0C & 0xFF]) + header[1:]
        if data:
            plain += bytes([len(data)]) + data
        if 0x97 in objects:
            plain += objects[0x97]
        answer = self._inside(plain)
        self.ssc += 1
        ssc = self.ssc.to_bytes(8, "big")
        reply = b""
        if answer[:-2]:
            encryptor = Cipher(_des3(k_enc), modes.CBC(bytes(8))).encryptor()
            encrypted = encryptor.update(_pad8(answer[:-2])) + encryptor.finalize()
            reply += _tlv(b"\x87", b"\x01" + encrypted)
        reply += _tlv(b"\x99", answer[-2:])
        return reply + _tlv(b"\x8e", _retail_mac(k_mac, _pad8(ssc + reply))) + answer[-2:]

    def _inside(self, apdu: bytes) -> bytes:
        self.in_channel = True
        try:
            return self._plain(apdu)
        finally:
            self.in_channel = False

    # --- PACE with the MRZ --------------------------------------------------------------------

    def _mse_set_at(self, data: bytes) -> bytes:
        objects = _tlvs(data)
        reference = objects.get(0x83, b"\x00")[0]
        if objects.get(0x80) != PACE_ECDH_GM_AES_128 or reference not in (MRZ, CAN):
            return SW_WRONG_DATA
        self.pace = _Pace(password=reference)  # no retry counter: neither is a PIN
        return SW_OK

    def _password(self) -> bytes:
        assert self.pace is not None
        if self.pace.password == MRZ:
            return hashlib.sha1(self.passport.mrz_information.encode()).digest()
        return self.passport.can.encode()

    # --- Chip Authentication ------------------------------------------------------------------

    def _ca_set(self, data: bytes) -> bytes:
        if self.passport.chip_authentication is None or not self.in_channel:
            return SW_WRONG_DATA
        if _tlvs(data).get(0x80) != CA_ECDH_AES_128_CONTENTS:
            return SW_WRONG_DATA
        self.ca_selected = True
        return SW_OK

    def _ca_authenticate(self, data: bytes) -> bytes:
        """The terminal's ephemeral key in 7C/80; the shared secret's keys replace the
        channel's once this answer is sent (TR-03110 Part 3 B.1)."""
        self.ca_selected = False
        key = self.passport.chip_authentication
        assert key is not None
        try:
            terminal = ec.EllipticCurvePublicKey.from_encoded_point(
                key.curve, _tlvs(_tlvs(data)[0x7C])[0x80]
            )
        except (KeyError, ValueError):
            return SW_WRONG_DATA
        shared = key.exchange(ec.ECDH(), terminal)
        self.renewed_keys = (_kdf(shared, 1), _kdf(shared, 2))
        return b"\x7c\x00" + SW_OK

    # --- Active Authentication ----------------------------------------------------------------

    def _internal_authenticate(self, challenge: bytes) -> bytes:
        key = self.passport.active_authentication
        if key is None or not self.in_channel:
            return SW_INS if key is None else SW_SECURITY
        if len(challenge) != 8:
            return SW_WRONG_DATA
        if isinstance(key, ec.EllipticCurvePrivateKey):  # ecdsa-plain-SHA256 (TR-03111)
            r, s = decode_dss_signature(key.sign(challenge, ec.ECDSA(hashes.SHA256())))
            size = (key.curve.key_size + 7) // 8
            return r.to_bytes(size, "big") + s.to_bytes(size, "big") + SW_OK
        numbers = key.private_numbers()
        size = (numbers.public_numbers.n.bit_length() + 7) // 8
        m1 = os.urandom(size - 22)
        digest = hashlib.sha1(m1 + challenge).digest()
        message = int.from_bytes(b"\x6a" + m1 + digest + b"\xbc", "big")
        signature = pow(message, numbers.d, numbers.public_numbers.n)
        return signature.to_bytes(size, "big") + SW_OK
