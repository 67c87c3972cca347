"""PACE, Password Authenticated Connection Establishment (ICAO Doc 9303 Part 11 §4.4, BSI
TR-03110 Parts 2 and 3), the terminal's side: from the card's EF.CardAccess and a password
(the CAN printed on an ID card, or a passport's MRZ data) to the keys of a secure channel.

Generic mapping over elliptic curves (id-PACE-ECDH-GM-AES-CBC-CMAC-128/-192/-256) on the
standardized domain parameters 8 to 18, and over DH groups (id-PACE-DH-GM-AES-…) on parameter
0 (cardreader.pace_groups). The point addition the mapping needs (G' = s·G + H) is the `ecdsa`
package's; AES, CMAC and the hashes are `cryptography`'s and hashlib's."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from asn1crypto import core
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.cmac import CMAC
from ecdsa import curves

from cardreader import tlv
from cardreader.errors import (
    CardProtocolError,
    PasswordBlocked,
    PasswordRejected,
    PasswordSuspended,
    UnknownCard,
)
from cardreader.pace_groups import (
    RFC5114_1024_160,
    RFC5114_2048_224,
    RFC5114_2048_256,
    DhGroup,
    EcGroup,
    Group,
)

# password references of MSE:Set AT (TR-03110 Part 3, D.3.1)
MRZ, CAN, PIN, PUK = 1, 2, 3, 4

PACE_PREFIX = "0.4.0.127.0.7.2.2.4."
# id-PACE-ECDH-GM-AES-CBC-CMAC-128/-192/-256 and their session key lengths
ECDH_GM_AES = {
    PACE_PREFIX + "2.2": 16,
    PACE_PREFIX + "2.3": 24,
    PACE_PREFIX + "2.4": 32,
}
# id-PACE-DH-GM-AES-CBC-CMAC-128/-192/-256
DH_GM_AES = {
    PACE_PREFIX + "1.2": 16,
    PACE_PREFIX + "1.3": 24,
    PACE_PREFIX + "1.4": 32,
}
# standardized domain parameters (TR-03110 Part 3, A.2.1.1 / ICAO 9303-11 §9.5.1)
STANDARD_CURVES: dict[int, curves.Curve] = {
    8: curves.NIST192p,
    9: curves.BRAINPOOLP192r1,
    10: curves.NIST224p,
    11: curves.BRAINPOOLP224r1,
    12: curves.NIST256p,
    13: curves.BRAINPOOLP256r1,
    14: curves.BRAINPOOLP320r1,
    15: curves.NIST384p,
    16: curves.BRAINPOOLP384r1,
    17: curves.BRAINPOOLP512r1,
    18: curves.NIST521p,
}
# standardized DH domain parameters (TR-03110 Part 3, A.2.1.1): RFC 5114's MODP groups
STANDARD_DH: dict[int, DhGroup] = {
    0: DhGroup(*RFC5114_1024_160),
    1: DhGroup(*RFC5114_2048_224),
    2: DhGroup(*RFC5114_2048_256),
}
OK = 0x9000
Transmit = Callable[[bytes], tuple[bytes, int]]  # command APDU → (response data, status word)

# what reading a malformed answer raises below the protocol's own checks (a length the
# cipher refuses, an integer from nothing): the card's fault, never a rejected password
MALFORMED = (ValueError, IndexError, KeyError, TypeError, ArithmeticError, AssertionError)


@dataclass(frozen=True, slots=True)
class PaceInfo:
    """One PACEInfo of EF.CardAccess: the protocol, its version, the domain parameters."""

    protocol: str
    version: int
    parameter_id: int | None

    @property
    def supported(self) -> bool:
        if self.protocol in DH_GM_AES:
            return self.parameter_id in STANDARD_DH
        return self.protocol in ECDH_GM_AES and self.parameter_id in STANDARD_CURVES

    @property
    def key_bytes(self) -> int:
        return {**ECDH_GM_AES, **DH_GM_AES}[self.protocol]

    def group(self) -> Group:
        assert self.parameter_id is not None
        if self.protocol in DH_GM_AES:
            return STANDARD_DH[self.parameter_id]
        curve = STANDARD_CURVES[self.parameter_id]
        return EcGroup(curve, curve.generator)


def security_infos(card_access: bytes) -> list[tuple[str, list[tuple[int, bytes]]]]:
    """EF.CardAccess (a SET OF SecurityInfo) as (protocol OID, [(tag, contents) of the rest])."""
    try:
        _class, number, contents, _rest = tlv.decode(card_access)
        if number != 17:
            raise ValueError("EF.CardAccess is no SET")
        found = []
        for _c, _n, info in tlv.objects(contents):
            parts = list(tlv.objects(info))
            oid = core.ObjectIdentifier.load(tlv.encode(0, False, 6, parts[0][2])).dotted
            found.append((oid, [(tag, value) for _cls, tag, value in parts[1:]]))
        return found
    except MALFORMED as error:
        raise CardProtocolError(f"EF.CardAccess unreadable: {error}") from error


def pace_infos(card_access: bytes) -> list[PaceInfo]:
    """The PACEInfos of EF.CardAccess; the other SecurityInfos (terminal and chip
    authentication, PACE domain parameters) are passed over."""
    found = []
    for oid, rest in security_infos(card_access):
        if not oid.startswith(PACE_PREFIX) or oid.count(".") != PACE_PREFIX.count(".") + 1:
            continue
        if not rest or rest[0][0] != 2:  # PACEDomainParameterInfo has no version first
            continue
        version = int.from_bytes(rest[0][1], "big", signed=True)
        parameter = (
            int.from_bytes(rest[1][1], "big", signed=True)
            if len(rest) > 1 and rest[1][0] == 2
            else None
        )
        found.append(PaceInfo(oid, version, parameter))
    return found


def kdf(secret: bytes, counter: int, key_bytes: int) -> bytes:
    """TR-03110 Part 3 A.2.3: SHA-1 for 128-bit AES keys, SHA-256 for 192 and 256 bits."""
    digest = hashlib.sha1 if key_bytes == 16 else hashlib.sha256
    return digest(secret + counter.to_bytes(4, "big")).digest()[:key_bytes]


def password_secret(kind: int, password: str) -> bytes:
    """π: the CAN, PIN or PUK as its characters; for MRZ the SHA-1 of the document number,
    date of birth and date of expiry, each with its check digit (ICAO 9303-11 §9.7.3)."""
    if kind == MRZ:
        return hashlib.sha1(password.encode("ascii")).digest()
    return password.encode("latin-1")


def _aes_cbc_decrypt(key: bytes, data: bytes) -> bytes:
    decryptor = Cipher(algorithms.AES(key), modes.CBC(bytes(16))).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def auth_token(k_mac: bytes, protocol: str, public_key: bytes, tag: int = 0x06) -> bytes:
    """T = MAC(K_MAC, public key data object): CMAC over 7F49 { 06 OID, 86 point } (84 for a
    DH public value), 8 bytes."""
    oid = core.ObjectIdentifier(protocol).dump()
    data = tlv.encode(
        tlv.APPLICATION, True, 0x49, oid + tlv.encode(tlv.CONTEXT, False, tag, public_key)
    )
    mac = CMAC(algorithms.AES(k_mac))
    mac.update(data)
    return mac.finalize()[:8]


@dataclass(frozen=True, slots=True)
class PaceResult:
    """The secure channel's keys and what establishing it took."""

    k_enc: bytes
    k_mac: bytes
    chip_public_key: bytes  # PK_PICC of the key agreement (its hash identifies the chip)
    apdus: int
    bytes_sent: int
    bytes_received: int
    crypto_seconds: float


def mse_set_at(protocol: str, kind: int) -> bytes:
    oid = core.ObjectIdentifier(protocol).dump()[2:]
    data = tlv.encode(tlv.CONTEXT, False, 0, oid) + tlv.encode(tlv.CONTEXT, False, 3, bytes([kind]))
    return bytes([0x00, 0x22, 0xC1, 0xA4, len(data)]) + data


def general_authenticate(data: bytes, *, last: bool) -> bytes:
    """GENERAL AUTHENTICATE with a dynamic authentication data object (7C); all but the last
    are chained (CLA 10)."""
    body = tlv.encode(tlv.APPLICATION, True, 0x1C, data)
    return bytes([0x00 if last else 0x10, 0x86, 0x00, 0x00, len(body)]) + body + b"\x00"


class Counted:
    """A transmit that counts the APDUs and bytes it carried."""

    def __init__(self, transmit: Transmit) -> None:
        self.transmit, self.apdus, self.sent, self.received = transmit, 0, 0, 0

    def __call__(self, apdu: bytes) -> tuple[bytes, int]:
        data, status = self.transmit(apdu)
        self.apdus, self.sent, self.received = (
            self.apdus + 1,
            self.sent + len(apdu),
            self.received + len(data) + 2,
        )
        return data, status


def _response_object(data: bytes, status: int, number: int, step: str) -> bytes:
    if status != OK:
        raise CardProtocolError(f"{step}: the card answered {status:04X}")
    try:
        class_, tag, contents, rest = tlv.decode(data)
        if (class_, tag) != (tlv.APPLICATION, 0x1C):
            raise ValueError("no dynamic authentication data")
        if rest:
            raise ValueError(f"{len(rest)} bytes after the dynamic authentication data")
        found = tlv.find(contents, tlv.CONTEXT, number)
    except MALFORMED as error:
        raise CardProtocolError(f"{step}: {error}") from error
    if found is None:
        raise CardProtocolError(f"{step}: the card's answer lacks object 8{number:X}")
    return found


def establish(
    transmit: Transmit,
    info: PaceInfo,
    password: str,
    *,
    kind: int = CAN,
    private_key: Callable[[int], int] | None = None,
) -> PaceResult:
    """Run PACE with `password` over `transmit`. PasswordRejected only when the chip says so
    by its status word (for a CAN: it is not this card's); CardProtocolError for any answer the
    protocol does not allow: malformed objects, lengths, points, a chip whose own token is
    wrong. `private_key(order)` gives the terminal's ephemeral private keys (random; the worked
    example's in tests)."""
    try:
        return _establish(transmit, info, password, kind=kind, private_key=private_key)
    except MALFORMED as error:
        raise CardProtocolError(f"PACE: the card's answer is malformed ({error})") from error


def _establish(
    transmit: Transmit,
    info: PaceInfo,
    password: str,
    *,
    kind: int,
    private_key: Callable[[int], int] | None,
) -> PaceResult:
    if not info.supported or info.parameter_id is None:
        raise UnknownCard(f"PACE {info.protocol} with parameters {info.parameter_id}")
    random_key = private_key or (lambda order: secrets.randbelow(order - 1) + 1)
    group = info.group()
    key_bytes = info.key_bytes
    card = Counted(transmit)
    crypto = 0.0

    _data, status = card(mse_set_at(info.protocol, kind))
    if status == 0x63C0:
        raise PasswordBlocked(status, 0)
    # 63C2, 63C3: a warning, tries left; 63C1: one left, and the chip wants the CAN first
    # unless it was given in this session (then PACE goes on; otherwise the chip refuses it)
    suspended = status == 0x63C1
    if status != OK and status & 0xFFF0 != 0x63C0:
        raise CardProtocolError(f"MSE:Set AT refused: {status:04X}")

    data, status = card(general_authenticate(b"", last=False))
    if suspended and status in (0x6985, 0x6982):
        raise PasswordSuspended(status, 1)
    encrypted_nonce = _response_object(data, status, 0, "encrypted nonce")
    if not encrypted_nonce or len(encrypted_nonce) % 16:
        raise CardProtocolError(
            f"encrypted nonce: {len(encrypted_nonce)} bytes, not whole AES blocks"
        )
    started = time.perf_counter()
    k_pi = kdf(password_secret(kind, password), 3, key_bytes)
    nonce = int.from_bytes(_aes_cbc_decrypt(k_pi, encrypted_nonce), "big")
    map_key = random_key(group.order)
    map_public = group.public(map_key)
    crypto += time.perf_counter() - started

    data, status = card(
        general_authenticate(tlv.encode(tlv.CONTEXT, False, 1, map_public), last=False)
    )
    chip_map = _response_object(data, status, 2, "mapping")
    started = time.perf_counter()
    mapped = group.mapped(nonce, chip_map, map_key)  # G' = s·G + H, or g' = g^s · h
    ephemeral_key = random_key(group.order)
    ephemeral_public = mapped.public(ephemeral_key)
    crypto += time.perf_counter() - started

    data, status = card(
        general_authenticate(tlv.encode(tlv.CONTEXT, False, 3, ephemeral_public), last=False)
    )
    chip_ephemeral = _response_object(data, status, 4, "key agreement")
    if chip_ephemeral == ephemeral_public:
        raise CardProtocolError("key agreement: the card echoed the terminal's key")
    started = time.perf_counter()
    secret = mapped.agree(chip_ephemeral, ephemeral_key)
    k_enc, k_mac = kdf(secret, 1, key_bytes), kdf(secret, 2, key_bytes)
    token = auth_token(k_mac, info.protocol, chip_ephemeral, group.public_tag)
    expected = auth_token(k_mac, info.protocol, ephemeral_public, group.public_tag)
    crypto += time.perf_counter() - started

    data, status = card(general_authenticate(tlv.encode(tlv.CONTEXT, False, 5, token), last=True))
    if status == 0x6300 or status & 0xFFF0 == 0x63C0 or status in (0x6982, 0x6983, 0x6984):
        retries = status & 0x0F if status & 0xFFF0 == 0x63C0 else None
        raise PasswordRejected(status, retries)
    chip_token = _response_object(data, status, 6, "mutual authentication")
    if len(chip_token) != len(expected) or chip_token != expected:
        raise CardProtocolError("mutual authentication: the chip's token is wrong")
    return PaceResult(
        k_enc=k_enc,
        k_mac=k_mac,
        chip_public_key=chip_ephemeral,
        apdus=card.apdus,
        bytes_sent=card.sent,
        bytes_received=card.received,
        crypto_seconds=crypto,
    )
