"""One signed MSI per test session, shared by the table checks and the wine install: building
it is the slow part (about 20 s with a warm wheel cache)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "installer"))
import build_msi  # noqa: E402

CACHE = Path.home() / ".cache" / "buergerbuero-msi"
SIGNING_PASSWORD = "test-signing"


@dataclass(frozen=True)
class BuiltMsi:
    msi: Path
    signer_pem: Path


def signing_key(folder: Path) -> tuple[Path, Path]:
    """A self-signed code-signing certificate (tests only) as PKCS#12, and its PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Buergerbuero Test Code Signing")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False)
        .sign(key, hashes.SHA256())
    )
    p12, pem = folder / "signing.p12", folder / "signing.pem"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"test",
            key,
            certificate,
            None,
            serialization.BestAvailableEncryption(SIGNING_PASSWORD.encode()),
        )
    )
    pem.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return p12, pem


@pytest.fixture(scope="session")
def built_msi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltMsi]:
    folder = tmp_path_factory.mktemp("msi")
    p12, pem = signing_key(folder)
    patch = pytest.MonkeyPatch()
    patch.setenv("SIGNING_PKCS12", str(p12))
    patch.setenv("SIGNING_PASSWORD", SIGNING_PASSWORD)
    try:
        yield BuiltMsi(build_msi.build(folder / "out", CACHE), pem)
    finally:
        patch.undo()
