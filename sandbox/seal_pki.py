"""A stand-in for the city's seal PKI: a CA, the authority's seal certificate (EC P-256) as a
PKCS#12 file or for a key on a token, a clerk's signing certificate, and the published trust
list. Used by the demo and the tests; a real city gets these from its trust service provider.

Certificates carry what a qualified seal certificate of a trust service provider carries: key
identifiers, the authority's `organizationIdentifier` (ETSI EN 319 412-1), non-repudiation key
usage, a fresh random serial, and, where a revocation service runs (`sandbox/revocation.py`),
the CRL distribution point and the OCSP responder a validator asks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID

from printing.trust_list import Signer, TrustList

AUTHORITY = "Stadt Siegen"
SIGNER_ID = "DESI"  # country DE, signer SI(egen)
# ETSI EN 319 412-1 5.1.4, a national scheme: the official municipality key (AGS) of Siegen
ORGANIZATION_IDENTIFIER = "AG:DE-05970040"


def _name(common_name: str, *, organization_identifier: bool = False) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, AUTHORITY),
    ]
    if organization_identifier:
        attributes.append(
            x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, ORGANIZATION_IDENTIFIER)
        )
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


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
    # where the revocation service answers (http://host:port); certificates issued while it is
    # set name its CRL and OCSP addresses
    revocation_url: str = ""
    issued: list[x509.Certificate] = field(default_factory=list)
    revoked: dict[int, dt.datetime] = field(default_factory=dict)

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
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
            .sign(key, hashes.SHA256())
        )
        return cls(key, certificate)

    def issue(
        self,
        public_key: ec.EllipticCurvePublicKey,
        common_name: str,
        *,
        serial: int | None = None,
        now: dt.datetime | None = None,
        days: int = 1095,
        seal: bool = False,
    ) -> x509.Certificate:
        """`serial` None: a fresh random one, as a trust service provider gives; `seal`: the
        authority's seal certificate (with its organizationIdentifier), not a person's."""
        now = now or dt.datetime.now(dt.UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name, organization_identifier=seal))
            .issuer_name(self.ca.subject)
            .public_key(public_key)
            .serial_number(serial if serial is not None else x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=days))
            .add_extension(
                _key_usage(digital_signature=True, content_commitment=True), critical=True
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.ca_key.public_key()),
                critical=False,
            )
        )
        certificate = self.with_revocation_sources(builder).sign(self.ca_key, hashes.SHA256())
        self.issued.append(certificate)
        return certificate

    def with_revocation_sources(self, builder: x509.CertificateBuilder) -> x509.CertificateBuilder:
        """The CRL and OCSP addresses, where the revocation service runs."""
        if self.revocation_url:
            builder = builder.add_extension(
                x509.CRLDistributionPoints(
                    [
                        x509.DistributionPoint(
                            [x509.UniformResourceIdentifier(f"{self.revocation_url}/ca.crl")],
                            None,
                            None,
                            None,
                        )
                    ]
                ),
                critical=False,
            ).add_extension(
                x509.AuthorityInformationAccess(
                    [
                        x509.AccessDescription(
                            AuthorityInformationAccessOID.OCSP,
                            x509.UniformResourceIdentifier(f"{self.revocation_url}/ocsp"),
                        )
                    ]
                ),
                critical=False,
            )
        return builder

    def pkcs12(
        self,
        path: Path,
        common_name: str,
        *,
        serial: int | None = None,
        passphrase: str,
        seal: bool = False,
    ) -> x509.Certificate:
        key = ec.generate_private_key(ec.SECP256R1())
        certificate = self.issue(key.public_key(), common_name, serial=serial, seal=seal)
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

    def revoke(self, certificate: x509.Certificate, at: dt.datetime | None = None) -> None:
        self.revoked[certificate.serial_number] = at or dt.datetime.now(dt.UTC)

    def crl(self, now: dt.datetime | None = None) -> bytes:
        """The CA's current CRL, DER."""
        now = now or dt.datetime.now(dt.UTC)
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.ca.subject)
            .last_update(now - dt.timedelta(minutes=5))
            .next_update(now + dt.timedelta(days=1))
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.ca_key.public_key()),
                critical=False,
            )
            .add_extension(x509.CRLNumber(len(self.revoked) + 1), critical=False)
        )
        for serial, at in self.revoked.items():
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(at).build()
            )
        return builder.sign(self.ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def ocsp(self, request_der: bytes, now: dt.datetime | None = None) -> bytes:
        """An OCSP response (RFC 6960) signed by the CA itself, DER."""
        from cryptography.x509 import ocsp

        now = now or dt.datetime.now(dt.UTC)
        try:
            request = ocsp.load_der_ocsp_request(request_der)
        except ValueError:
            return ocsp.OCSPResponseBuilder.build_unsuccessful(
                ocsp.OCSPResponseStatus.MALFORMED_REQUEST
            ).public_bytes(serialization.Encoding.DER)
        certificate = next(
            (c for c in self.issued if c.serial_number == request.serial_number), None
        )
        if certificate is None:
            return ocsp.OCSPResponseBuilder.build_unsuccessful(
                ocsp.OCSPResponseStatus.UNAUTHORIZED
            ).public_bytes(serialization.Encoding.DER)
        revoked_at = self.revoked.get(certificate.serial_number)
        builder = (
            ocsp.OCSPResponseBuilder()
            .add_response(
                cert=certificate,
                issuer=self.ca,
                algorithm=request.hash_algorithm,
                cert_status=ocsp.OCSPCertStatus.REVOKED if revoked_at else ocsp.OCSPCertStatus.GOOD,
                this_update=now - dt.timedelta(minutes=1),
                next_update=now + dt.timedelta(hours=12),
                revocation_time=revoked_at,
                revocation_reason=None,
            )
            .responder_id(ocsp.OCSPResponderEncoding.HASH, self.ca)
        )
        for extension in request.extensions:
            if isinstance(extension.value, x509.OCSPNonce):
                builder = builder.add_extension(extension.value, critical=False)
        return builder.sign(self.ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

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
            p12, "Stadt Siegen Dienstsiegel (Demo)", passphrase=passphrase, seal=True
        )
        trust.write_text(pki.trust_list([certificate]).to_json(), encoding="utf-8")
        pki.write_ca(directory / "siegel-ca.pem")
        passphrase_file.write_text(passphrase, encoding="utf-8")
        passphrase_file.chmod(0o600)
    arms = directory / "wappen.png"
    if not arms.exists():
        demo_coat_of_arms(arms)
    return {
        "BUERGERBUERO_SEAL_PKCS12_FILE": str(p12),
        "BUERGERBUERO_SEAL_TRUST_LIST_FILE": str(trust),
        "BUERGERBUERO_COAT_OF_ARMS_FILE": str(arms),
    }


def demo_coat_of_arms(path: Path) -> None:
    """A plain heraldic shield for the demo letterhead (a city sets its own arms)."""
    from PIL import Image, ImageDraw

    size = 400
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    shield = [(40, 20), (360, 20), (360, 200), (200, 380), (40, 200)]
    draw.polygon(shield, fill=(31, 78, 121, 255), outline=(20, 20, 20, 255), width=8)
    draw.polygon([(200, 20), (360, 20), (360, 200), (200, 380)], fill=(240, 240, 240, 255))
    draw.line([(200, 20), (200, 380)], fill=(20, 20, 20, 255), width=6)
    draw.line([*shield, shield[0]], fill=(20, 20, 20, 255), width=8)
    image.save(path)
