"""The trust list the city publishes: its seal CA and the signer certificates that printed seals
refer to by (signer id, certificate reference). A checker needs nothing else, and no network."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization


def certificate_reference(certificate: x509.Certificate) -> str:
    """The VDS certificate reference: the serial number in upper-case hex."""
    return f"{certificate.serial_number:X}"


FORMAT = "buergerbuero-trust-list/1"


class TrustListError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Signer:
    signer_id: str
    certificate: x509.Certificate

    @property
    def reference(self) -> str:
        return certificate_reference(self.certificate)


@dataclass(frozen=True, slots=True)
class TrustList:
    authority: str
    roots: tuple[x509.Certificate, ...]
    signers: tuple[Signer, ...]

    def signer(self, signer_id: str, reference: str) -> Signer | None:
        wanted = reference.lstrip("0")
        return next(
            (
                signer
                for signer in self.signers
                if signer.signer_id == signer_id and signer.reference.lstrip("0") == wanted
            ),
            None,
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "authority": self.authority,
                "published": dt.date.today().isoformat(),
                "roots": [_pem(root) for root in self.roots],
                "signers": [
                    {
                        "signer_id": signer.signer_id,
                        "certificate_reference": signer.reference,
                        "certificate": _pem(signer.certificate),
                    }
                    for signer in self.signers
                ],
            },
            indent=2,
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> TrustList:
        try:
            document = json.loads(text)
            if document.get("format") != FORMAT:
                raise TrustListError("keine Vertrauensliste dieses Formats")
            return cls(
                authority=document["authority"],
                roots=tuple(_load(pem) for pem in document["roots"]),
                signers=tuple(
                    Signer(entry["signer_id"], _load(entry["certificate"]))
                    for entry in document["signers"]
                ),
            )
        except (ValueError, KeyError, TypeError) as error:
            if isinstance(error, TrustListError):
                raise
            raise TrustListError(f"Vertrauensliste unlesbar: {error}") from error

    @classmethod
    def load(cls, path: Path) -> TrustList:
        try:
            return cls.from_json(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise TrustListError(f"Vertrauensliste {path} nicht lesbar") from error

    @classmethod
    def of(
        cls, authority: str, roots: Sequence[x509.Certificate], signers: Sequence[Signer]
    ) -> TrustList:
        return cls(authority, tuple(roots), tuple(signers))


def _pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def _load(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode())
