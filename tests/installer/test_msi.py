"""The MSI as msiinfo reads its tables: per machine, one stable UpgradeCode with a major
upgrade that refuses downgrades, every machine-wide setting a secure property written to HKLM
and remembered on upgrade, the Start-menu entry without a console, the database upgrade only
where DB_UPGRADE=1, no sandbox or test packages in the payload, the budget of 150 MB; signed,
it verifies; two stagings of the same commit give the same payload files."""

from __future__ import annotations

import dataclasses
import hashlib
import subprocess
from pathlib import Path

import pytest

from app.integrations.settings import Settings
from tests.installer.conftest import CACHE, BuiltMsi, build_msi


def table(msi: Path, name: str) -> list[dict[str, str]]:
    lines = subprocess.run(
        ["msiinfo", "export", str(msi), name], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    columns = lines[0].split("\t")
    return [dict(zip(columns, line.split("\t"), strict=False)) for line in lines[3:]]


@pytest.mark.slow
def test_the_msi_tables(built_msi: BuiltMsi) -> None:
    msi = built_msi.msi
    properties = {row["Property"]: row["Value"] for row in table(msi, "Property")}
    assert properties["UpgradeCode"] == "{6F3B2C1E-8E4A-4C55-9B39-2A5C0D7E9B41}"
    assert properties["ALLUSERS"] == "1"
    secure = set(properties["SecureCustomProperties"].split(";"))
    settings = [f.name for f in dataclasses.fields(Settings) if f.name != "login"]
    installer = {"DB_UPGRADE", "INTAKE_TASK_ACCOUNT", "OFFICE", "PRINTER"}
    assert {name.upper() for name in settings} | installer <= secure

    registry = {row["Name"]: row for row in table(msi, "Registry")}
    for name in settings:
        assert registry[name]["Key"] == "SOFTWARE\\BuergerbueroDesk"
        assert registry[name]["Value"] == f"[{name.upper()}]"
    searches = {row["Signature_"] for row in table(msi, "AppSearch")}
    assert {f"Find_{name}" for name in settings} <= searches
    sequence = {row["Action"]: row for row in table(msi, "InstallExecuteSequence")}
    remember = sequence["Remember_DATABASE_URL"]
    assert remember["Condition"] == "NOT DATABASE_URL AND DATABASE_URL_REMEMBERED"
    # every remembered value is taken after the registry search, before costing and writing
    for name in [*settings, "intake_task_account"]:
        place = int(sequence[f"Remember_{name.upper()}"]["Sequence"])
        assert int(sequence["AppSearch"]["Sequence"]) < place
        assert place < int(sequence["CostInitialize"]["Sequence"])
    assert sequence["UpgradeDatabase"]["Condition"] == 'DB_UPGRADE = "1" AND NOT REMOVE'
    alias = sequence["Alias_OFFICE"]  # OFFICE=WEI is OFFICE_CODE=WEI
    assert alias["Condition"] == "OFFICE AND NOT OFFICE_CODE"
    assert int(alias["Sequence"]) < int(sequence["Remember_OFFICE_CODE"]["Sequence"])
    # the intake's scheduled task: made after the files, removed before them, kept on upgrade
    register, remove = sequence["RegisterIntakeTask"], sequence["RemoveIntakeTask"]
    assert register["Condition"] == "INTAKE_TASK_ACCOUNT AND NOT REMOVE"
    assert "NOT UPGRADINGPRODUCTCODE" in remove["Condition"]
    assert int(register["Sequence"]) > int(sequence["InstallFiles"]["Sequence"])
    assert int(remove["Sequence"]) < int(sequence["RemoveFiles"]["Sequence"])
    actions = {row["Action"]: row for row in table(msi, "CustomAction")}
    assert actions["RegisterIntakeTask"]["Target"] == (
        '-m app.cli intake-task install --account "[INTAKE_TASK_ACCOUNT]"'
    )

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
    # Qt as far as the app uses it: no Quick, QML, Designer or their tools
    assert {"Qt6Core.dll", "Qt6Widgets.dll", "qwindows.dll", "QtPrintSupport.pyd"} <= files
    assert not {"Qt6Quick.dll", "Qt6Qml.dll", "designer.exe", "opengl32sw.dll"} & files
    assert msi.stat().st_size <= 150 * 1024 * 1024


@pytest.mark.slow
def test_the_signature_verifies(built_msi: BuiltMsi) -> None:
    msi, pem = built_msi.msi, built_msi.signer_pem
    verified = subprocess.run(
        ["osslsigncode", "verify", "-in", str(msi), "-CAfile", str(pem), "-ignore-crl"],
        capture_output=True,
        text=True,
    )
    assert "Signature verification: ok" in verified.stdout, verified.stdout


@pytest.mark.slow
def test_two_stagings_give_the_same_payload(built_msi: BuiltMsi, tmp_path: Path) -> None:
    def digests(payload: Path) -> dict[str, str]:
        return {
            str(path.relative_to(payload)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(payload.rglob("*"))
            if path.is_file()
        }

    first = digests(built_msi.msi.parent / "stage" / "payload")  # the built MSI's staging
    second = digests(build_msi.stage_payload(tmp_path / "again", CACHE))
    assert first == second and len(first) > 1000
