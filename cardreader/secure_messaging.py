"""Secure messaging (ISO/IEC 7816-4 §10, ICAO Doc 9303 Part 11 §9.8, BSI TR-03110 Part 3 F):
every command after PACE (or BAC) is encrypted and MACed, every response checked and
decrypted, with a send sequence counter that advances before each command and each response.

AES (after PACE): CBC with IV = E(K_enc, SSC), CMAC truncated to 8 bytes. 3DES (after a
passport's BAC): CBC with a zero IV, the retail MAC (ISO/IEC 9797-1 MAC algorithm 3). Both
pad with ISO/IEC 9797-1 method 2, also before the MAC. Short APDUs only (Lc, Le ≤ 255)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.cmac import CMAC

from cardreader import tlv
from cardreader.errors import CardProtocolError

# status words a card sends unprotected: secure messaging itself failed
SM_FAILURES = (0x6987, 0x6988)


def pad(data: bytes, block: int) -> bytes:
    """ISO/IEC 9797-1 padding method 2: 80, then zeros to the block size."""
    padded = data + b"\x80"
    return padded + bytes(-len(padded) % block)


def unpad(data: bytes) -> bytes:
    stripped = data.rstrip(b"\x00")
    if not stripped.endswith(b"\x80"):
        raise CardProtocolError("secure messaging: bad padding in the card's answer")
    return stripped[:-1]


class Suite(Protocol):
    block: int

    def encrypt(self, ssc: bytes, data: bytes) -> bytes: ...

    def decrypt(self, ssc: bytes, data: bytes) -> bytes: ...

    def mac(self, data: bytes) -> bytes: ...


class AesSuite:
    block = 16

    def __init__(self, k_enc: bytes, k_mac: bytes) -> None:
        self.k_enc, self.k_mac = k_enc, k_mac

    def _iv(self, ssc: bytes) -> bytes:
        encryptor = Cipher(algorithms.AES(self.k_enc), modes.ECB()).encryptor()
        return encryptor.update(ssc) + encryptor.finalize()

    def encrypt(self, ssc: bytes, data: bytes) -> bytes:
        encryptor = Cipher(algorithms.AES(self.k_enc), modes.CBC(self._iv(ssc))).encryptor()
        return encryptor.update(data) + encryptor.finalize()

    def decrypt(self, ssc: bytes, data: bytes) -> bytes:
        decryptor = Cipher(algorithms.AES(self.k_enc), modes.CBC(self._iv(ssc))).decryptor()
        return decryptor.update(data) + decryptor.finalize()

    def mac(self, data: bytes) -> bytes:
        mac = CMAC(algorithms.AES(self.k_mac))
        mac.update(data)
        return mac.finalize()[:8]


class TdesSuite:
    block = 8

    def __init__(self, k_enc: bytes, k_mac: bytes) -> None:
        # two-key 3DES (K1 K2 K1), given as three keys: the library no longer takes two
        self.k_enc, self.k_mac = k_enc[:16] + k_enc[:8], k_mac

    def encrypt(self, _ssc: bytes, data: bytes) -> bytes:
        encryptor = Cipher(TripleDES(self.k_enc), modes.CBC(bytes(8))).encryptor()
        return encryptor.update(data) + encryptor.finalize()

    def decrypt(self, _ssc: bytes, data: bytes) -> bytes:
        decryptor = Cipher(TripleDES(self.k_enc), modes.CBC(bytes(8))).decryptor()
        return decryptor.update(data) + decryptor.finalize()

    def mac(self, data: bytes) -> bytes:
        """Retail MAC: single-DES CBC with K1 over the (padded) data, the last block then
        decrypted with K2 and encrypted with K1 again (3DES with keys K1|K1|K1 is DES)."""
        k1, k2 = self.k_mac[:8], self.k_mac[8:16]
        chained = Cipher(TripleDES(k1 * 3), modes.CBC(bytes(8))).encryptor()
        last = (chained.update(data) + chained.finalize())[-8:]
        undo = Cipher(TripleDES(k2 * 3), modes.ECB()).decryptor()
        redo = Cipher(TripleDES(k1 * 3), modes.ECB()).encryptor()
        return redo.update(undo.update(last) + undo.finalize()) + redo.finalize()


@dataclass
class SecureChannel:
    """One secure-messaging session; `ssc` as the protocol left it (0 after PACE)."""

    suite: Suite
    ssc: int = 0

    def _next_ssc(self) -> bytes:
        self.ssc += 1
        return self.ssc.to_bytes(self.suite.block, "big")

    def wrap(self, apdu: bytes) -> bytes:
        """A plain short command APDU as its protected form."""
        header, data, le = _parse_command(apdu)
        ssc = self._next_ssc()
        block = self.suite.block
        protected_header = bytes([header[0] | 0x0C]) + header[1:]
        objects = b""
        if data:
            encrypted = self.suite.encrypt(ssc, pad(data, block))
            objects += tlv.encode(tlv.CONTEXT, False, 7, b"\x01" + encrypted)
        if le is not None:
            objects += tlv.encode(tlv.CONTEXT, False, 0x17, bytes([le]))
        mac = self.suite.mac(pad(ssc + pad(protected_header, block) + objects, block))
        body = objects + tlv.encode(tlv.CONTEXT, False, 0x0E, mac)
        return protected_header + bytes([len(body)]) + body + b"\x00"

    def unwrap(self, response: bytes, status: int) -> tuple[bytes, int]:
        """The card's protected response as (plain data, status word); CardProtocolError for a
        wrong MAC or a response without its protection."""
        ssc = self._next_ssc()
        if status in SM_FAILURES and not response:
            raise CardProtocolError(f"secure messaging failed on the card ({status:04X})")
        try:
            found = {(c, n): contents for c, n, contents in tlv.objects(response)}
        except ValueError as error:
            raise CardProtocolError(
                f"secure messaging: the answer is not protected ({error})"
            ) from error
        encrypted = found.get((tlv.CONTEXT, 7))
        inner_status = found.get((tlv.CONTEXT, 0x19))
        mac = found.get((tlv.CONTEXT, 0x0E))
        if inner_status is None or mac is None or len(inner_status) != 2:
            raise CardProtocolError("secure messaging: the answer is not protected")
        covered = b""
        if encrypted is not None:
            covered += tlv.encode(tlv.CONTEXT, False, 7, encrypted)
        covered += tlv.encode(tlv.CONTEXT, False, 0x19, inner_status)
        if self.suite.mac(pad(ssc + covered, self.suite.block)) != mac:
            raise CardProtocolError("secure messaging: wrong MAC on the card's answer")
        plain = b""
        if encrypted is not None:
            if encrypted[:1] != b"\x01":
                raise CardProtocolError("secure messaging: unknown padding indicator")
            plain = unpad(self.suite.decrypt(ssc, encrypted[1:]))
        return plain, int.from_bytes(inner_status, "big")


def _parse_command(apdu: bytes) -> tuple[bytes, bytes, int | None]:
    """(header, data, Le) of a short command APDU (ISO/IEC 7816-3 cases 1 to 4)."""
    if len(apdu) < 4:
        raise ValueError("a command APDU has at least four bytes")
    header, body = apdu[:4], apdu[4:]
    if not body:
        return header, b"", None
    if len(body) == 1:
        return header, b"", body[0]
    length = body[0]
    data = body[1 : 1 + length]
    if len(data) != length or len(body) > 2 + length:
        raise ValueError("command APDU length does not match Lc")
    le = body[1 + length] if len(body) == 2 + length else None
    return header, data, le
