"""Key material of the sandbox: the service's own SET signing key, and the keys of the
destination it hosts for us (encryption and signature key pairs, handed to the subscriber)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from jwcrypto import jwk

KEY_SIZE = 4096  # FIT-Connect requires RSA keys of at least 4096 bits


def self_signed_certificate(key: jwk.JWK, name: str) -> str:
    """Base64 DER of a self-signed certificate for `key` (a real destination's chain leads to
    the administration PKI; the sandbox has none, so the chain is this one certificate)."""
    private = serialization.load_pem_private_key(
        key.export_to_pem(private_key=True, password=None), None
    )
    assert isinstance(private, rsa.RSAPrivateKey)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"FIT-Connect sandbox {name}")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .sign(private, hashes.SHA256())
    )
    return base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()


def public_jwk(key: jwk.JWK, ops: list[str], certificate: str) -> dict[str, Any]:
    exported: dict[str, Any] = json.loads(key.export_public())
    exported["key_ops"] = ops
    exported["alg"] = key.get("alg")
    exported["x5c"] = [certificate]
    return exported


class KeyRing:
    """Loads or creates the sandbox's keys under `directory` (private keys as JWK files)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.service_signing = self._load_or_create("service-signing", "PS512")
        self.destination_encryption = self._load_or_create("destination-encryption", "RSA-OAEP-256")
        self.destination_signing = self._load_or_create("destination-signing", "PS512")

    def encryption_kids(self) -> set[str]:
        return {str(self.destination_encryption.get("kid"))}

    def certificate(self, key: jwk.JWK) -> str:
        path = self.directory / f"{key.get('kid')}.cer.b64"
        if not path.exists():
            path.write_text(self_signed_certificate(key, str(key.get("kid"))), "ascii")
        return path.read_text("ascii")

    def public(self, key: jwk.JWK, ops: list[str]) -> dict[str, Any]:
        return public_jwk(key, ops, self.certificate(key))

    def _load_or_create(self, name: str, alg: str) -> jwk.JWK:
        path = self.directory / f"{name}.jwk.json"
        if path.exists():
            return jwk.JWK.from_json(path.read_text("utf-8"))
        key = jwk.JWK.generate(kty="RSA", size=KEY_SIZE, kid=str(uuid.uuid4()), alg=alg)
        path.write_text(key.export_private(), "utf-8")
        path.chmod(0o600)
        return key

    def subscriber_files(self) -> dict[str, Path]:
        """What the authority (our app) holds privately: decryption and SET signing keys."""
        encryption = self.directory / "subscriber-decryption.pem"
        signing = self.directory / "subscriber-signing.pem"
        if not encryption.exists():
            encryption.write_bytes(
                self.destination_encryption.export_to_pem(private_key=True, password=None)
            )
            encryption.chmod(0o600)
        if not signing.exists():
            signing.write_bytes(
                self.destination_signing.export_to_pem(private_key=True, password=None)
            )
            signing.chmod(0o600)
        return {"decryption": encryption, "signing": signing}
