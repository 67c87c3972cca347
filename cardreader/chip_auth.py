"""The clone check by Chip Authentication (ICAO Doc 9303 Part 11 §6.2, BSI TR-03110 Part 3
B.1), where DG14 offers it: the terminal agrees a key with the chip's static key that DG14 holds
(and EF.SOD signs), and secure messaging restarts with keys derived from it. Only the chip
that holds the private key derives the same keys: a copied chip answers the next command with
a MAC the terminal refuses. ECDH with AES (id-CA-ECDH-AES-CBC-CMAC-128/-192/-256) on a named
curve."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from cardreader import ec_keys, tlv
from cardreader.clone_check import CloneCheck
from cardreader.errors import CardProtocolError
from cardreader.lds import security_infos_of
from cardreader.pace import MALFORMED, OK, Transmit, kdf, security_infos
from cardreader.secure_messaging import AesSuite, SecureChannel

CA_PREFIX = "0.4.0.127.0.7.2.2.3.2."  # id-CA-ECDH
CA_AES = {CA_PREFIX + "2": 16, CA_PREFIX + "3": 24, CA_PREFIX + "4": 32}
PK_ECDH = "0.4.0.127.0.7.2.2.1.2"
READ_CHECK = bytes.fromhex("00B09E0001")  # one byte of EF.COM: the first command on new keys


@dataclass(frozen=True, slots=True)
class ChipAuthenticationInfo:
    protocol: str
    key: ec.EllipticCurvePublicKey
    key_id: int | None


def offered(dg14: bytes) -> ChipAuthenticationInfo | None:
    """DG14's ChipAuthenticationInfo with AES and its ECDH public key, or None."""
    try:
        infos = security_infos(security_infos_of(dg14))
    except (CardProtocolError, *MALFORMED):
        return None
    protocols = [(oid, rest) for oid, rest in infos if oid in CA_AES]
    keys = [rest for oid, rest in infos if oid == PK_ECDH]
    if not protocols or not keys:
        return None
    oid, rest = protocols[0]
    key_id = _key_id(rest[1:])
    for key_rest in keys:
        if _key_id(key_rest[1:]) not in (key_id, None) and key_id is not None:
            continue
        tag, contents = key_rest[0]
        try:
            key = ec_keys.public_key(tlv.encode(tlv.UNIVERSAL, True, tag, contents))
        except (ValueError, TypeError):
            return None
        if isinstance(key, ec.EllipticCurvePublicKey):
            return ChipAuthenticationInfo(oid, key, key_id)
    return None


def _key_id(rest: list[tuple[int, bytes]]) -> int | None:
    integers = [value for tag, value in rest if tag == 2]
    return int.from_bytes(integers[0], "big") if integers else None


def chip_authentication(
    transmit: Transmit, channel: SecureChannel, info: ChipAuthenticationInfo
) -> tuple[CloneCheck, SecureChannel]:
    """CA over the secure channel: MSE:Set AT and GENERAL AUTHENTICATE with an ephemeral key
    (answered under the old keys), then one command under the new ones. The clone check's
    outcome, and the channel to go on with (the new one where CA held)."""
    from cardreader.lds import secured

    old = secured(transmit, channel)
    ephemeral = ec.generate_private_key(info.key.curve)
    public = ephemeral.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    oid = _oid_contents(info.protocol)
    mse = tlv.encode(tlv.CONTEXT, False, 0, oid)
    if info.key_id is not None:
        mse += tlv.encode(tlv.CONTEXT, False, 4, info.key_id.to_bytes(1, "big"))
    _data, status = old(bytes([0x00, 0x22, 0x41, 0xA4, len(mse)]) + mse)
    if status != OK:
        raise CardProtocolError(f"Chip Authentication: MSE:Set AT refused ({status:04X})")
    body = tlv.encode(tlv.APPLICATION, True, 0x1C, tlv.encode(tlv.CONTEXT, False, 0, public))
    _data, status = old(bytes([0x00, 0x86, 0x00, 0x00, len(body)]) + body + b"\x00")
    if status != OK:
        return CloneCheck.FAILED, channel
    shared = ephemeral.exchange(ec.ECDH(), info.key)
    size = CA_AES[info.protocol]
    renewed = SecureChannel(AesSuite(kdf(shared, 1, size), kdf(shared, 2, size)))
    try:
        _data, status = secured(transmit, renewed)(READ_CHECK)
    except CardProtocolError:
        return CloneCheck.FAILED, renewed  # another key on the chip: a MAC we refuse
    return (CloneCheck.PASSED if status == OK else CloneCheck.FAILED), renewed


def _oid_contents(dotted: str) -> bytes:
    from asn1crypto import core

    return bytes(core.ObjectIdentifier(dotted).dump()[2:])
