"""The MSI installed for real, under Debian's wine with its own prefix: a silent install with
properties (short aliases too), the app's own Python reading them from HKLM, the main window
built offscreen from the installed payload, the intake's scheduled task registered under the
account given; an upgrade without properties keeps them, one with a new value changes only that
one; a downgrade is refused; uninstall leaves nothing behind. The upgrades install the same
built MSI with only its version and product code changed (msibuild), so one build serves all.
The figures (install seconds) are printed for the benchmark notes."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from tests.installer.conftest import BuiltMsi

WINE = shutil.which("wine")
MINGW = shutil.which("x86_64-w64-mingw32-gcc")
STAND_INS = Path(__file__).resolve().parent / "stand_in"
INSTALLED = "drive_c/Program Files/BuergerbueroDesk"
KEY = "HKLM\\SOFTWARE\\BuergerbueroDesk"
TASK = "drive_c/windows/system32/tasks/BuergerbueroDesk Intake"
GUI_CHECK = (
    "import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'; "  # wine drops QT_* variables
    "import ui.dashboard_page; "  # QtCharts from the trimmed add-ons loads too
    "from ui.main import main; sys.exit(main(['gui', '--check']))"
)


def revised(msi: Path, version: str, folder: Path) -> Path:
    """The same MSI as another product version: what a later build of the app would be."""
    copy = folder / f"BuergerbueroDesk-{version}-x64.msi"
    shutil.copyfile(msi, copy)
    code = "'{6F3B2C1E-8E4A-4C55-9B39-2A5C0D7E9B41}'"
    columns = "(`UpgradeCode`, `VersionMin`, `VersionMax`, `Attributes`, `ActionProperty`)"
    subprocess.run(
        [
            "msibuild",
            str(copy),
            "-q",
            f"UPDATE `Property` SET `Value` = '{version}' WHERE `Property` = 'ProductVersion'",
            "-q",  # the major upgrade's bounds are the product's version (primary key columns)
            "DELETE FROM `Upgrade` WHERE `Attributes` = 1",  # libmsi: one row per DELETE
            "-q",
            "DELETE FROM `Upgrade` WHERE `Attributes` = 2",
            "-q",
            f"INSERT INTO `Upgrade` {columns} VALUES ({code}, '', '{version}', 1, "
            "'WIX_UPGRADE_DETECTED')",
            "-q",
            f"INSERT INTO `Upgrade` {columns} VALUES ({code}, '{version}', '', 2, "
            "'WIX_DOWNGRADE_DETECTED')",
            "-q",
            f"UPDATE `Property` SET `Value` = '{{{str(uuid.uuid4()).upper()}}}' "
            "WHERE `Property` = 'ProductCode'",
            "-s",
            "Installation Database",
            "Stadt Siegen",
            "x64;1033",
            f"{{{str(uuid.uuid4()).upper()}}}",  # the package code: a different package
        ],
        check=True,
    )
    return copy


class Prefix:
    def __init__(self, path: Path) -> None:
        self.path, self.runs = path, 0
        self.env = {
            **os.environ,
            "WINEPREFIX": str(path),
            "WINEDEBUG": "-all",
            "WINEDLLOVERRIDES": "winemenubuilder.exe=d;mscoree=;mshtml=",
            "DISPLAY": "",
        }

    def run(self, *command: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["wine", *command], env=self.env, capture_output=True, text=True, timeout=300, cwd=cwd
        )

    def msiexec(self, *arguments: str) -> tuple[int, float]:
        """The exit code and the seconds taken; each run's verbose log stays in the prefix."""
        self.runs += 1
        log = self.path / f"msiexec-{self.runs}.log"
        started = time.monotonic()
        done = self.run("msiexec", *arguments, "/qn", "/l*v", str(log))
        return done.returncode, time.monotonic() - started

    def registry(self) -> dict[str, str]:
        done = self.run("reg", "query", KEY)
        values: dict[str, str] = {}
        for line in done.stdout.splitlines():
            parts = line.split(None, 2)
            if len(parts) == 3 and parts[1] == "REG_SZ":
                values[parts[0]] = parts[2].strip()
        return values

    def app(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        return self.run("python.exe", "-m", "app.cli", *arguments, cwd=self.path / INSTALLED)

    def stand_in_dlls(self) -> None:
        """The two DLLs wine 8 lacks and Windows 10 has, built into this prefix only."""
        system32 = self.path / "drive_c" / "windows" / "system32"
        for source, library in (("icuuc.c", "-lkernel32"), ("bcryptprimitives.c", "-ladvapi32")):
            target = system32 / source.replace(".c", ".dll")
            subprocess.run(
                [
                    str(MINGW),
                    "-shared",
                    "-O2",
                    "-s",
                    "-o",
                    str(target),
                    str(STAND_INS / source),
                    library,
                ],
                check=True,
            )


@pytest.mark.slow
@pytest.mark.skipif(WINE is None or MINGW is None, reason="wine, mingw: scripts/bootstrap.sh")
def test_install_upgrade_downgrade_and_uninstall(built_msi: BuiltMsi, tmp_path: Path) -> None:
    first = built_msi.msi
    later = {version: revised(first, version, tmp_path) for version in ("99.0.1", "99.0.2")}
    prefix = Prefix(tmp_path / "prefix")
    assert prefix.run("wineboot", "--init").returncode == 0
    prefix.stand_in_dlls()

    code, seconds = prefix.msiexec(
        "/i",
        str(first),
        "OFFICE=WEI",  # the alias of OFFICE_CODE
        "INTAKE_OFFICE_CODE=WEI",
        "PRINTER_NAME=Theke-1",
        "DATABASE_URL=sqlite:///C:/bb/desk.sqlite3",
        "INTAKE_TASK_ACCOUNT=NetworkService",
    )
    assert code == 0
    print(f"\nsilent install under wine: {seconds:.1f} s")
    values = prefix.registry()
    assert values["intake_office_code"] == "WEI" and values["printer_name"] == "Theke-1"
    assert values["office_code"] == "WEI"
    assert (prefix.path / INSTALLED / "pythonw.exe").exists()
    shown = prefix.app("settings", "show")
    assert shown.returncode == 0, shown.stderr
    assert '"WEI"' in shown.stdout and "HKLM" in shown.stdout
    assert "buergerbuero 0.1.0" in prefix.app("--version").stdout
    started = time.monotonic()
    window = prefix.run("python.exe", "-c", GUI_CHECK, cwd=prefix.path / INSTALLED)
    assert window.returncode == 0, window.stderr
    assert '"platform": "offscreen"' in window.stdout and '"visible": true' in window.stdout
    print(f"main window built offscreen under wine: {time.monotonic() - started:.1f} s")
    # registered under its name from our definition; wine's task service keeps only part of a
    # definition (no triggers, principal or command: test_intake_task.py reads ours in full)
    task = (prefix.path / TASK).read_text(encoding="utf-8-sig")
    assert "Online-Anträge abholen (buergerbuero intake --loop)" in task

    code, seconds = prefix.msiexec("/i", str(later["99.0.1"]))  # no properties: all kept
    assert code == 0
    print(f"upgrade without properties: {seconds:.1f} s")
    values = prefix.registry()
    assert values["intake_office_code"] == "WEI" and values["printer_name"] == "Theke-1"
    assert values["database_url"] == "sqlite:///C:/bb/desk.sqlite3"
    assert (prefix.path / TASK).exists()

    code, _seconds = prefix.msiexec("/i", str(later["99.0.2"]), "PRINTER=Theke-2")
    assert code == 0
    values = prefix.registry()
    assert values["printer_name"] == "Theke-2" and values["intake_office_code"] == "WEI"

    code, _seconds = prefix.msiexec("/i", str(first))  # a downgrade
    assert code != 0
    assert prefix.registry()["printer_name"] == "Theke-2"

    code, seconds = prefix.msiexec("/x", str(later["99.0.2"]))
    assert code == 0
    print(f"uninstall: {seconds:.1f} s")
    assert not (prefix.path / INSTALLED / "python.exe").exists()
    assert prefix.registry() == {}
    assert not (prefix.path / TASK).exists()
