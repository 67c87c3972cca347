"""The trust list the city publishes: its seal CA and the seal certificates, each with the signer
identifier and certificate reference printed seals name it by, its SHA-256 fingerprint and key
identifier (how a PDF's signing certificate is recognised as the seal), and the period the city
used it for sealing. A certificate that merely chains to the CA (a clerk's personal one) is not
the authority's seal. A checker needs nothing else, and no network."""

from __future__ import annotations

import datetime as dt
import hashlib
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


def fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 over the DER certificate, lower-case hex (as `openssl x509 -fingerprint`)."""
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def key_identifier(certificate: x509.Certificate) -> str:
    """The subject key identifier, hex; computed from the key where the extension is absent."""
    try:
        extension = certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
        return extension.value.digest.hex()
    except x509.ExtensionNotFound:
        return x509.SubjectKeyIdentifier.from_public_key(certificate.public_key()).digest.hex()


@dataclass(frozen=True, slots=True)
class Signer:
    """A seal certificate and the days the city sealed with it (by default its validity)."""

    signer_id: str
    certificate: x509.Certificate
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    @property
    def reference(self) -> str:
        return certificate_reference(self.certificate)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.certificate)

    @property
    def key_identifier(self) -> str:
        return key_identifier(self.certificate)

    @property
    def first_day(self) -> dt.date:
        return max(filter(None, (self.valid_from, self.certificate.not_valid_before_utc.date())))

    @property
    def last_day(self) -> dt.date:
        return min(filter(None, (self.valid_until, self.certificate.not_valid_after_utc.date())))

    def sealed_within(self, day: dt.date) -> bool:
        return self.first_day <= day <= self.last_day


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

    def seal_signer(self, certificate: x509.Certificate) -> Signer | None:
        """The list's entry for a PDF's signing certificate, if it is one of the seal's: the
        very certificate (fingerprint), or the same key re-certified (key identifier) by the
        same issuer."""
        wanted = fingerprint(certificate)
        for signer in self.signers:
            if signer.fingerprint == wanted:
                return signer
        kid = key_identifier(certificate)
        for signer in self.signers:
            if (
                signer.key_identifier == kid
                and signer.certificate.issuer == certificate.issuer
                and signer.certificate.public_key() == certificate.public_key()
            ):
                return signer
        return None

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
                        "sha256": signer.fingerprint,
                        "key_identifier": signer.key_identifier,
                        "valid_from": signer.first_day.isoformat(),
                        "valid_until": signer.last_day.isoformat(),
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
                signers=tuple(_signer(entry) for entry in document["signers"]),
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


def _signer(entry: dict[str, str]) -> Signer:
    certificate = _load(entry["certificate"])
    if "sha256" in entry and entry["sha256"].lower() != fingerprint(certificate):
        raise TrustListError(
            f"Eintrag {entry['signer_id']}/{entry.get('certificate_reference', '?')}: "
            "Fingerabdruck passt nicht zum Zertifikat"
        )
    return Signer(
        entry["signer_id"],
        certificate,
        _date(entry.get("valid_from")),
        _date(entry.get("valid_until")),
    )


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def _load(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode())
