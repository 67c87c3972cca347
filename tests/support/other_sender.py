"""A second FIT-Connect sender, written apart from `sandbox/fitconnect/sender.py` and with other
tools (the JWE built by hand with `cryptography`, no jwcrypto), in the habits of third-party
portals: the JWE `kid` is the RFC 7638 thumbprint of the destination's key (or absent), the
payload is DEFLATE-compressed (`zip: DEF`), a PDF attachment is announced as `cty:
application/json`, attachments carry no filename, the metadata has no `publicServiceType` and an
extra `submissionDate`. Our intake must take all of it."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import uuid
import zlib
from typing import Any

import requests
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

METADATA = "https://schema.fitko.de/fit-connect/metadata/1.0.0/metadata.schema.json"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def rsa_public_key(jwk: dict[str, Any]) -> rsa.RSAPublicKey:
    numbers = rsa.RSAPublicNumbers(
        int.from_bytes(unb64(jwk["e"]), "big"), int.from_bytes(unb64(jwk["n"]), "big")
    )
    return numbers.public_key()


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638: SHA-256 over the required members in lexicographic order, no white space."""
    canonical = json.dumps({"e": jwk["e"], "kty": "RSA", "n": jwk["n"]}, separators=(",", ":"))
    return b64(hashlib.sha256(canonical.encode()).digest())


def compact_jwe(
    plaintext: bytes,
    key: rsa.RSAPublicKey,
    *,
    kid: str | None,
    cty: str = "application/json",
    deflate: bool = True,
    extra_header: dict[str, Any] | None = None,
) -> str:
    """RFC 7516 compact serialisation, RSA-OAEP-256 + A256GCM, built step by step."""
    header: dict[str, Any] = {"alg": "RSA-OAEP-256", "enc": "A256GCM", "cty": cty}
    header.update(extra_header or {})
    if kid is not None:
        header["kid"] = kid
    if deflate:
        header["zip"] = "DEF"
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw DEFLATE (RFC 1951)
        plaintext = compressor.compress(plaintext) + compressor.flush()
    protected = b64(json.dumps(header, separators=(",", ":")).encode())
    cek, iv = os.urandom(32), os.urandom(12)
    wrapped = key.encrypt(
        cek,
        padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None),
    )
    sealed = AESGCM(cek).encrypt(iv, plaintext, protected.encode("ascii"))
    ciphertext, tag = sealed[:-16], sealed[-16:]
    return ".".join((protected, b64(wrapped), b64(iv), b64(ciphertext), b64(tag)))


class OtherSender:
    def __init__(
        self, base_url: str, destination_id: str, client_id: str, client_secret: str
    ) -> None:
        self.base_url, self.destination_id = base_url.rstrip("/"), destination_id
        self.http = requests.Session()
        granted = self.http.post(
            f"{self.base_url}/token",
            data={
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": client_secret,
                "scope": f"send:destination:{destination_id}",
            },
            timeout=30,
        )
        granted.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {granted.json()['access_token']}"
        destination = self._json("GET", f"/v1/destinations/{destination_id}")
        self.jwk = self._json(
            "GET", f"/v1/destinations/{destination_id}/keys/{destination['encryptionKid']}"
        )
        self.key = rsa_public_key(self.jwk)

    def _json(self, method: str, path: str, **options: Any) -> Any:
        response = self.http.request(method, self.base_url + path, timeout=30, **options)
        response.raise_for_status()
        return response.json() if response.content else None

    def send(
        self,
        *,
        service_identifier: str,
        service_name: str,
        schema_uri: str,
        form: dict[str, str],
        pdf: bytes,
        kid: str | None = "thumbprint",
        key: rsa.RSAPublicKey | None = None,
        data: bytes | None = None,
        metadata_header: dict[str, Any] | None = None,
    ) -> str:
        """One application; `kid` "thumbprint" (the default habit), None (no kid) or a value.
        `data`: the form data's bytes as sent (default: `form` as JSON); `metadata_header`:
        more protected header parameters on the metadata's JWE."""
        key = key or self.key
        key_id = thumbprint(self.jwk) if kid == "thumbprint" else kid
        attachment_id = str(uuid.uuid4())
        created = self._json(
            "POST",
            "/v1/submissions",
            json={
                "destinationId": self.destination_id,
                "announcedAttachments": [attachment_id],
                "serviceType": {"name": service_name, "identifier": service_identifier},
            },
        )
        submission_id = str(created["submissionId"])
        data = json.dumps(form).encode() if data is None else data
        metadata = {
            "$schema": METADATA,
            "contentStructure": {
                "data": {
                    "hash": {"type": "sha512", "content": hashlib.sha512(data).hexdigest()},
                    "submissionSchema": {"schemaUri": schema_uri, "mimeType": "application/json"},
                },
                "attachments": [
                    {
                        "hash": {"type": "sha512", "content": hashlib.sha512(pdf).hexdigest()},
                        "purpose": "attachment",
                        "mimeType": "application/pdf",
                        "attachmentId": attachment_id,
                    }
                ],
            },
            "submissionDate": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        self.http.put(
            f"{self.base_url}/v1/submissions/{submission_id}/attachments/{attachment_id}",
            data=compact_jwe(pdf, key, kid=key_id, cty="application/json"),
            headers={"Content-Type": "application/jose"},
            timeout=30,
        ).raise_for_status()
        self._json(
            "PUT",
            f"/v1/submissions/{submission_id}",
            json={
                "encryptedMetadata": compact_jwe(
                    json.dumps(metadata).encode(), key, kid=key_id, extra_header=metadata_header
                ),
                "encryptedData": compact_jwe(data, key, kid=key_id),
            },
        )
        return submission_id
