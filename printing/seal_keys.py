"""The authority's seal key: a PKCS#12 file (single seat) or a key on a PKCS#11 token (HSM).

One EC key seals both the PDF (PAdES, through pyHanko) and the printed Visible Digital Seal (raw
ECDSA r‖s). Passwords and PINs come from the secret store, never from settings files.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.sign import signers
from pyhanko.sign.pkcs11 import PKCS11Signer
from pyhanko_certvalidator.registry import SimpleCertificateStore

from printing.trust_list import certificate_reference as certificate_reference

_HASH_FOR_CURVE: dict[int, hashes.HashAlgorithm] = {
    224: hashes.SHA224(),
    256: hashes.SHA256(),
    384: hashes.SHA384(),
    521: hashes.SHA512(),
}


class SealKeyError(RuntimeError):
    """The seal key cannot be used; the message is for the clerk and the admin."""


def vds_hash(curve_bits: int) -> hashes.HashAlgorithm:
    """ICAO 9303-13: the hash length follows the curve (P-256 → SHA-256)."""
    try:
        return _HASH_FOR_CURVE[curve_bits]
    except KeyError as error:
        raise SealKeyError(f"unsupported curve size {curve_bits}") from error


class SealKey(Protocol):
    @property
    def certificate(self) -> x509.Certificate: ...

    def pdf_signer(self) -> signers.Signer:
        """A pyHanko signer for the PAdES signature."""
        ...

    def sign_raw(self, data: bytes) -> bytes:
        """ECDSA over `data` with the curve's hash, as r‖s (the VDS signature zone)."""
        ...

    def close(self) -> None: ...


def _raw_from_der(der_signature: bytes, curve_bits: int) -> bytes:
    r, s = decode_dss_signature(der_signature)
    size = (curve_bits + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


class _SealKeyBase:
    """What both kinds of key hold: the certificate and a pyHanko signer over the key."""

    _certificate: x509.Certificate
    _pdf_signer: signers.Signer

    @property
    def certificate(self) -> x509.Certificate:
        return self._certificate

    def pdf_signer(self) -> signers.Signer:
        return self._pdf_signer


class Pkcs12SealKey(_SealKeyBase):
    def __init__(self, path: Path, passphrase: str | None) -> None:
        try:
            content = path.read_bytes()
        except OSError as error:
            raise SealKeyError(f"Siegeldatei {path} nicht lesbar: {error.strerror}") from error
        password = passphrase.encode() if passphrase else None
        try:
            key, certificate, chain = pkcs12.load_key_and_certificates(content, password)
        except ValueError as error:
            raise SealKeyError(
                "Siegeldatei lässt sich nicht öffnen (falsches Kennwort?)"
            ) from error
        if not isinstance(key, ec.EllipticCurvePrivateKey) or certificate is None:
            raise SealKeyError("Die Siegeldatei enthält keinen EC-Schlüssel mit Zertifikat")
        self._key, self._certificate = key, certificate
        self._pdf_signer = signers.SimpleSigner(
            signing_cert=_asn1(certificate),
            signing_key=_asn1_private_key(key),
            cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
                [_asn1(c) for c in chain]
            ),
        )

    def sign_raw(self, data: bytes) -> bytes:
        bits = self._key.curve.key_size
        return _raw_from_der(self._key.sign(data, ec.ECDSA(vds_hash(bits))), bits)

    def close(self) -> None:
        return None


@dataclass(frozen=True, slots=True)
class Pkcs11Location:
    library: str
    token_label: str
    key_label: str


class Pkcs11SealKey(_SealKeyBase):
    """A key that never leaves the token. The certificate is given (from the trust list or a
    file): tokens often hold only the key pair. SoftHSM2 offers raw CKM_ECDSA only, so hashing
    happens here and the token signs the digest; that is what every HSM supports."""

    def __init__(self, location: Pkcs11Location, pin: str, certificate: x509.Certificate) -> None:
        import pkcs11
        from pkcs11 import KeyType, ObjectClass

        try:
            library = pkcs11.lib(location.library)
            token = library.get_token(token_label=location.token_label)
            self._session = token.open(user_pin=pin)
        except (pkcs11.PKCS11Error, RuntimeError) as error:
            raise SealKeyError(
                f"Siegel-Token {location.token_label!r} nicht erreichbar: {type(error).__name__}"
            ) from error
        try:
            self._key = self._session.get_key(
                object_class=ObjectClass.PRIVATE_KEY,
                key_type=KeyType.EC,
                label=location.key_label,
            )
        except pkcs11.PKCS11Error as error:
            self._session.close()
            raise SealKeyError(f"Schlüssel {location.key_label!r} nicht auf dem Token") from error
        self._certificate = certificate
        # One session serves both signers; PKCS#11 sessions are not for concurrent use.
        self._lock = threading.Lock()
        self._pdf_signer = PKCS11Signer(
            self._session,
            signing_cert=_asn1(certificate),
            key_label=location.key_label,
            use_raw_mechanism=True,
        )

    def sign_raw(self, data: bytes) -> bytes:
        from pkcs11 import Mechanism

        bits = self._certificate.public_key().curve.key_size  # type: ignore[union-attr]
        digest = hashes.Hash(vds_hash(bits))
        digest.update(data)
        with self._lock:
            signature: bytes = self._key.sign(  # type: ignore[attr-defined]
                digest.finalize(), mechanism=Mechanism.ECDSA
            )
        return signature

    def close(self) -> None:
        self._session.close()


def verify_raw(certificate: x509.Certificate, data: bytes, raw_signature: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    public_key = certificate.public_key()
    if not isinstance(public_key, ec.EllipticCurvePublicKey) or len(raw_signature) % 2:
        return False
    half = len(raw_signature) // 2
    der = encode_dss_signature(
        int.from_bytes(raw_signature[:half], "big"), int.from_bytes(raw_signature[half:], "big")
    )
    try:
        public_key.verify(der, data, ec.ECDSA(vds_hash(public_key.curve.key_size)))
    except InvalidSignature:
        return False
    return True


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    loaded = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
    # asn1crypto fills a name's `native` dict lazily, in place: seats issuing in several
    # threads share this certificate, and one read pyHanko's subject_name from a dict another
    # was still filling (KeyError 'organization_name'). Filled here, once, before sharing.
    loaded.subject.native  # noqa: B018
    loaded.issuer.native  # noqa: B018
    return loaded


def _asn1_private_key(key: ec.EllipticCurvePrivateKey) -> object:
    from asn1crypto import keys

    return keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
