"""A stand-in for the city's seal PKI: a CA, the authority's seal certificate (EC P-256) as a
PKCS#12 file or for a key on a token, a clerk's signing certificate, and the published trust
list. Used by the demo and the tests; a real city gets these from its trust service provider."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from printing.trust_list import Signer, TrustList

AUTHORITY = "Stadt Siegen"
SIGNER_ID = "DESI"  # country DE, signer SI(egen)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, AUTHORITY),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(**granted: bool) -> x509.KeyUsage:
    flags = dict.fromkeys(
        (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    return x509.KeyUsage(**{**flags, **granted})


@dataclass
class SealPki:
    ca_key: ec.EllipticCurvePrivateKey
    ca: x509.Certificate

    @classmethod
    def create(cls, now: dt.datetime | None = None) -> SealPki:
        now = now or dt.datetime.now(dt.UTC)
        key = ec.generate_private_key(ec.SECP256R1())
        certificate = (
            x509.CertificateBuilder()
            .subject_name(_name("Stadt Siegen Siegel-CA"))
            .issuer_name(_name("Stadt Siegen Siegel-CA"))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
            .sign(key, hashes.SHA256())
        )
        return cls(key, certificate)

    def issue(
        self,
        public_key: ec.EllipticCurvePublicKey,
        common_name: str,
        *,
        serial: int,
        now: dt.datetime | None = None,
        days: int = 1095,
    ) -> x509.Certificate:
        now = now or dt.datetime.now(dt.UTC)
        return (
            x509.CertificateBuilder()
            .subject_name(_name(common_name))
            .issuer_name(self.ca.subject)
            .public_key(public_key)
            .serial_number(serial)
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=days))
            .add_extension(
                _key_usage(digital_signature=True, content_commitment=True), critical=True
            )
            .add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
            )
            .sign(self.ca_key, hashes.SHA256())
        )

    def pkcs12(
        self, path: Path, common_name: str, *, serial: int, passphrase: str
    ) -> x509.Certificate:
        key = ec.generate_private_key(ec.SECP256R1())
        certificate = self.issue(key.public_key(), common_name, serial=serial)
        path.write_bytes(
            pkcs12.serialize_key_and_certificates(
                common_name.encode(),
                key,
                certificate,
                [self.ca],
                serialization.BestAvailableEncryption(passphrase.encode()),
            )
        )
        return certificate

    def trust_list(self, seal_certificates: list[x509.Certificate]) -> TrustList:
        return TrustList.of(
            AUTHORITY, [self.ca], [Signer(SIGNER_ID, cert) for cert in seal_certificates]
        )

    def write_ca(self, path: Path) -> None:
        path.write_bytes(self.ca.public_bytes(serialization.Encoding.PEM))


DEMO_PASSPHRASE_FILE = "seal-passphrase.txt"


def demo_seal(directory: Path) -> dict[str, str]:
    """The demo seat's seal: a PKI made once in `directory`, its seal key as PKCS#12, the trust
    list beside it. Returns the settings (as environment) that point a seat at them; the key's
    password is handed out by the demo keyring."""
    import secrets as random_secrets

    directory.mkdir(parents=True, exist_ok=True)
    p12, trust = directory / "seal.p12", directory / "vertrauensliste.json"
    passphrase_file = directory / DEMO_PASSPHRASE_FILE
    if not (p12.exists() and trust.exists() and passphrase_file.exists()):
        passphrase = random_secrets.token_urlsafe(16)
        pki = SealPki.create()
        certificate = pki.pkcs12(
            p12, "Stadt Siegen Dienstsiegel (Demo)", serial=0xDE30, passphrase=passphrase
        )
        trust.write_text(pki.trust_list([certificate]).to_json(), encoding="utf-8")
        pki.write_ca(directory / "siegel-ca.pem")
        passphrase_file.write_text(passphrase, encoding="utf-8")
        passphrase_file.chmod(0o600)
    return {
        "BUERGERBUERO_SEAL_PKCS12_FILE": str(p12),
        "BUERGERBUERO_SEAL_TRUST_LIST_FILE": str(trust),
    }
