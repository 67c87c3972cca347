"""The clone check by Active Authentication (ICAO Doc 9303 Part 11 §6.1): the chip signs the
terminal's random challenge with the private key whose public half DG15 holds (and EF.SOD
signs DG15). A copy of the chip's data passes passive authentication; a copied chip cannot
sign, because the private key never leaves the original.

RSA signatures follow ISO/IEC 9796-2 digital signature scheme 1 (partial message recovery,
the trailer naming the hash); ECDSA signatures are plain r||s (BSI TR-03111) with the hash of
DG14's ActiveAuthenticationInfo, SHA-256 where it names none."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from enum import StrEnum

from asn1crypto import core
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from cardreader import ec_keys
from cardreader.errors import CardProtocolError
from cardreader.lds import public_key_of, security_infos_of
from cardreader.pace import MALFORMED, OK, Transmit, security_infos

# ISO/IEC 10118-3 hash identifiers of the two-byte trailer (xx CC)
TRAILER_HASHES = {0x33: "sha1", 0x34: "sha256", 0x35: "sha512", 0x36: "sha384", 0x38: "sha224"}


class CloneCheck(StrEnum):
    PASSED = "passed"  # the chip signed with the key of DG15: it is the original chip
    FAILED = "failed"  # it could not: a copied chip, or a chip that lies
    NOT_OFFERED = "not_offered"  # the document has no DG15 (older passports)


ACTIVE_AUTHENTICATION = "2.23.136.1.1.5"
# ecdsa-plain-signatures (BSI TR-03111): the hash of an EC key's Active Authentication
ECDSA_PLAIN = {
    "0.4.0.127.0.7.1.1.4.1.1": "sha1",
    "0.4.0.127.0.7.1.1.4.1.2": "sha224",
    "0.4.0.127.0.7.1.1.4.1.3": "sha256",
    "0.4.0.127.0.7.1.1.4.1.4": "sha384",
    "0.4.0.127.0.7.1.1.4.1.5": "sha512",
}


def aa_hash(dg14: bytes | None) -> str:
    """The hash DG14's ActiveAuthenticationInfo names for an EC key (SHA-256 if none)."""
    if dg14 is None:
        return "sha256"
    try:
        infos = security_infos(security_infos_of(dg14))
    except (CardProtocolError, *MALFORMED):
        return "sha256"
    for oid, rest in infos:
        if oid == ACTIVE_AUTHENTICATION:
            named = [value for tag, value in rest if tag == 6]
            if named:
                dotted = core.ObjectIdentifier.load(b"\x06" + bytes([len(named[0])]) + named[0])
                return ECDSA_PLAIN.get(dotted.dotted, "sha256")
    return "sha256"


def internal_authenticate(challenge: bytes) -> bytes:
    return bytes([0x00, 0x88, 0x00, 0x00, len(challenge)]) + challenge + b"\x00"


def active_authentication(
    transmit: Transmit, dg15: bytes, *, hash_name: str = "sha256", challenge: bytes = b""
) -> CloneCheck:
    """INTERNAL AUTHENTICATE with a fresh challenge over `transmit` (the secure channel), the
    signature checked with DG15's key."""
    challenge = challenge or secrets.token_bytes(8)
    try:
        key = ec_keys.public_key(public_key_of(dg15))
    except (*MALFORMED, ValueError):
        return CloneCheck.FAILED
    signature, status = transmit(internal_authenticate(challenge))
    if status != OK or not signature:
        return CloneCheck.FAILED
    if isinstance(key, rsa.RSAPublicKey):
        return CloneCheck.PASSED if _iso9796_2(key, signature, challenge) else CloneCheck.FAILED
    if isinstance(key, ec.EllipticCurvePublicKey):
        half = len(signature) // 2
        der = encode_dss_signature(
            int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")
        )
        algorithm = {
            "sha1": hashes.SHA1(),
            "sha224": hashes.SHA224(),
            "sha384": hashes.SHA384(),
            "sha512": hashes.SHA512(),
        }.get(hash_name, hashes.SHA256())
        try:
            key.verify(der, challenge, ec.ECDSA(algorithm))
        except InvalidSignature:
            return CloneCheck.FAILED
        return CloneCheck.PASSED
    return CloneCheck.FAILED


def _iso9796_2(key: rsa.RSAPublicKey, signature: bytes, challenge: bytes) -> bool:
    numbers = key.public_numbers()
    size = (numbers.n.bit_length() + 7) // 8
    value = int.from_bytes(signature, "big")
    if len(signature) != size or value >= numbers.n:
        return False
    recovered = pow(value, numbers.e, numbers.n)
    if recovered % 16 != 0xC:  # a signature of the other representative (n - F)
        recovered = numbers.n - recovered
    message = recovered.to_bytes(size, "big")
    if message[-1] == 0xBC:
        name, trailer = "sha1", 1
    elif message[-1] == 0xCC:
        name, trailer = TRAILER_HASHES.get(message[-2], ""), 2
    else:
        return False
    if not name:
        return False
    length = hashlib.new(name).digest_size
    body = message[: size - trailer]
    start = _recoverable_start(body)
    if start is None or len(body) - length < start:
        return False
    m1, digest = body[start:-length], body[-length:]
    return hmac.compare_digest(hashlib.new(name, m1 + challenge).digest(), digest)


def _recoverable_start(body: bytes) -> int | None:
    """Where M1 begins: right after the header 6A (partial recovery, no padding), or after
    padding nibbles B ending in A (header 6B, then BB…, BA); None for any other header."""
    if body[0] == 0x6A:
        return 1
    if body[0] != 0x6B:
        return None
    index = 1
    while index < len(body) and body[index] == 0xBB:
        index += 1
    return index + 1 if index < len(body) and body[index] == 0xBA else None
