"""The MSI as msiinfo reads its tables: per machine, one stable UpgradeCode with a major
upgrade that refuses downgrades, every machine-wide setting a secure property written to HKLM
and remembered on upgrade, the Start-menu entry without a console, the database upgrade only
where DB_UPGRADE=1, no sandbox or test packages in the payload, the budget of 150 MB; signed,
it verifies; two stagings of the same commit give the same payload files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from app.integrations.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "installer"))
import build_msi  # noqa: E402

CACHE = Path.home() / ".cache" / "buergerbuero-msi"
SIGNING_PASSWORD = "test-signing"


def table(msi: Path, name: str) -> list[dict[str, str]]:
    lines = subprocess.run(
        ["msiinfo", "export", str(msi), name], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    columns = lines[0].split("\t")
    return [dict(zip(columns, line.split("\t"), strict=False)) for line in lines[3:]]


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


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("msi")
    p12, pem = signing_key(folder)
    patch = pytest.MonkeyPatch()
    patch.setenv("SIGNING_PKCS12", str(p12))
    patch.setenv("SIGNING_PASSWORD", SIGNING_PASSWORD)
    try:
        yield build_msi.build(folder / "out", CACHE), pem
    finally:
        patch.undo()


@pytest.mark.slow
def test_the_msi_tables(signed: tuple[Path, Path]) -> None:
    msi, _pem = signed
    properties = {row["Property"]: row["Value"] for row in table(msi, "Property")}
    assert properties["UpgradeCode"] == "{6F3B2C1E-8E4A-4C55-9B39-2A5C0D7E9B41}"
    assert properties["ALLUSERS"] == "1"
    secure = set(properties["SecureCustomProperties"].split(";"))
    settings = [f.name for f in dataclasses.fields(Settings) if f.name != "login"]
    assert {name.upper() for name in settings} | {"DB_UPGRADE"} <= secure

    registry = {row["Name"]: row for row in table(msi, "Registry")}
    for name in settings:
        assert registry[name]["Key"] == "SOFTWARE\\BuergerbueroDesk"
        assert registry[name]["Value"] == f"[{name.upper()}]"
    searches = {row["Signature_"] for row in table(msi, "AppSearch")}
    assert {f"Find_{name}" for name in settings} <= searches
    sequence = {row["Action"]: row for row in table(msi, "InstallExecuteSequence")}
    remember = sequence["Remember_DATABASE_URL"]
    assert remember["Condition"] == "NOT DATABASE_URL AND DATABASE_URL_REMEMBERED"
    assert int(remember["Sequence"]) > int(sequence["AppSearch"]["Sequence"])
    assert sequence["UpgradeDatabase"]["Condition"] == 'DB_UPGRADE = "1" AND NOT REMOVE'

    (shortcut,) = table(msi, "Shortcut")
    assert shortcut["Target"] == "[INSTALLDIR]pythonw.exe" and shortcut["Arguments"] == "-m ui.main"
    upgrades = table(msi, "Upgrade")
    assert {row["ActionProperty"] for row in upgrades} == {
        "WIX_UPGRADE_DETECTED",
        "WIX_DOWNGRADE_DETECTED",
    }

    files = {row["FileName"].split("|")[-1] for row in table(msi, "File")}
    assert {"python.exe", "pythonw.exe", "python311.dll"} <= files
    assert not {"fastapi", "uvicorn", "pytest", "openapi_core"} & {
        name.split(".")[0] for name in files
    }
    assert msi.stat().st_size <= 150 * 1024 * 1024


@pytest.mark.slow
def test_the_signature_verifies(signed: tuple[Path, Path]) -> None:
    msi, pem = signed
    verified = subprocess.run(
        ["osslsigncode", "verify", "-in", str(msi), "-CAfile", str(pem), "-ignore-crl"],
        capture_output=True,
        text=True,
    )
    assert "Signature verification: ok" in verified.stdout, verified.stdout


@pytest.mark.slow
def test_two_stagings_give_the_same_payload(tmp_path: Path) -> None:
    def digests(payload: Path) -> dict[str, str]:
        return {
            str(path.relative_to(payload)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(payload.rglob("*"))
            if path.is_file()
        }

    first = digests(build_msi.stage_payload(tmp_path / "one", CACHE))
    second = digests(build_msi.stage_payload(tmp_path / "two", CACHE))
    assert first == second and len(first) > 1000
