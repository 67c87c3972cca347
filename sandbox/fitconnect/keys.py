"""Key material of the sandbox: the service's own SET signing key, and the keys of the
destination it hosts for us (encryption and signature key pairs, handed to the subscriber)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from jwcrypto import jwk

KEY_SIZE = 4096  # FIT-Connect requires RSA keys of at least 4096 bits


def public_jwk(key: jwk.JWK, ops: list[str]) -> dict[str, Any]:
    exported: dict[str, Any] = json.loads(key.export_public())
    exported["key_ops"] = ops
    exported["alg"] = key.get("alg")
    exported["x5c"] = []  # a real destination key carries its certificate chain here
    return exported


class KeyRing:
    """Loads or creates the sandbox's keys under `directory` (private keys as JWK files)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.service_signing = self._load_or_create("service-signing", "PS512")
        self.destination_encryption = self._load_or_create("destination-encryption", "RSA-OAEP-256")
        self.destination_signing = self._load_or_create("destination-signing", "PS512")

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
