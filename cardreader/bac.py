"""Basic Access Control (ICAO Doc 9303 Part 11 §4.3, Appendix D.3), the terminal's side: for
passports whose chip offers no PACE. From the MRZ information to the 3DES keys of a secure
channel: GET CHALLENGE, EXTERNAL AUTHENTICATE with the encrypted and MACed challenge
response, the chip's key share, the session keys and the send sequence counter."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, modes

from cardreader.errors import CardProtocolError, PasswordRejected
from cardreader.mrz import AccessKey
from cardreader.pace import OK, Transmit
from cardreader.secure_messaging import SecureChannel, TdesSuite, pad

GET_CHALLENGE = bytes.fromhex("0084000008")
ENC, MAC = 1, 2


def _with_parity(key: bytes) -> bytes:
    """DES keys carry odd parity in each byte's lowest bit (the worked example's keys do)."""
    return bytes((b & 0xFE) | (bin(b >> 1).count("1") + 1) % 2 for b in key)


def derive(seed: bytes, counter: int) -> bytes:
    """Part 11 §9.7.1: SHA-1 over the seed and a 32-bit counter, 16 bytes, parity adjusted."""
    return _with_parity(hashlib.sha1(seed + counter.to_bytes(4, "big")).digest()[:16])


def _encrypt(key: bytes, data: bytes) -> bytes:
    encryptor = Cipher(TripleDES(key[:16] + key[:8]), modes.CBC(bytes(8))).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def _decrypt(key: bytes, data: bytes) -> bytes:
    decryptor = Cipher(TripleDES(key[:16] + key[:8]), modes.CBC(bytes(8))).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def establish(
    transmit: Transmit,
    key: AccessKey,
    *,
    random: Callable[[int], bytes] = secrets.token_bytes,
) -> SecureChannel:
    """BAC with the MRZ information of `key`; PasswordRejected when the chip refuses it (the
    data typed are not this document's); CardProtocolError for an answer BAC does not allow.
    `random(n)`: the terminal's RND.IFD and K.IFD (the worked example's in tests)."""
    k_enc, k_mac = derive(key.seed, ENC), derive(key.seed, MAC)
    challenge, status = transmit(GET_CHALLENGE)
    if status != OK or len(challenge) != 8:
        raise CardProtocolError(f"GET CHALLENGE: {status:04X}, {len(challenge)} bytes")
    rnd_ifd, k_ifd = random(8), random(16)
    encrypted = _encrypt(k_enc, rnd_ifd + challenge + k_ifd)
    mac = TdesSuite(k_enc, k_mac).mac(pad(encrypted, 8))
    answer, status = transmit(bytes.fromhex("0082000028") + encrypted + mac + b"\x28")
    if status in (0x6300, 0x6982, 0x6985, 0x6A80) or status & 0xFFF0 == 0x63C0:
        raise PasswordRejected(status)
    if status != OK or len(answer) != 40:
        raise CardProtocolError(f"EXTERNAL AUTHENTICATE: {status:04X}, {len(answer)} bytes")
    chip_encrypted, chip_mac = answer[:32], answer[32:]
    if not hmac.compare_digest(TdesSuite(k_enc, k_mac).mac(pad(chip_encrypted, 8)), chip_mac):
        raise CardProtocolError("EXTERNAL AUTHENTICATE: wrong MAC on the chip's answer")
    plain = _decrypt(k_enc, chip_encrypted)
    rnd_ic, echoed, k_ic = plain[:8], plain[8:16], plain[16:]
    if rnd_ic != challenge or echoed != rnd_ifd:
        raise CardProtocolError("EXTERNAL AUTHENTICATE: the chip did not answer our challenge")
    seed = bytes(a ^ b for a, b in zip(k_ifd, k_ic, strict=True))
    ssc = int.from_bytes(rnd_ic[4:] + rnd_ifd[4:], "big")
    return SecureChannel(TdesSuite(derive(seed, ENC), derive(seed, MAC)), ssc=ssc)
