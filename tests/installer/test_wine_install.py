"""The MSI installed for real, under Debian's wine with its own prefix: a silent install with
properties, the app's own Python reading them from HKLM; an upgrade without properties keeps
them, one with a new value changes only that one; a downgrade is refused; uninstall leaves
nothing behind. The figures (install seconds) are printed for the benchmark notes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "installer"))
import build_msi  # noqa: E402

CACHE = Path.home() / ".cache" / "buergerbuero-msi"
WINE = shutil.which("wine")
INSTALLED = "drive_c/Program Files/BuergerbueroDesk"
KEY = "HKLM\\SOFTWARE\\BuergerbueroDesk"


class Prefix:
    def __init__(self, path: Path) -> None:
        self.path = path
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
        started = time.monotonic()
        done = self.run("msiexec", *arguments, "/qn")
        return done.returncode, time.monotonic() - started

    def registry(self) -> dict[str, str]:
        done = self.run("reg", "query", KEY)
        values = {}
        for line in done.stdout.splitlines():
            parts = line.split(None, 2)
            if len(parts) == 3 and parts[1] == "REG_SZ":
                values[parts[0]] = parts[2].strip()
        return values

    def app(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        return self.run("python.exe", "-m", "app.cli", *arguments, cwd=self.path / INSTALLED)


@pytest.mark.slow
@pytest.mark.skipif(WINE is None, reason="wine not installed (scripts/bootstrap.sh)")
def test_install_upgrade_downgrade_and_uninstall(tmp_path: Path) -> None:
    msi = {
        version: build_msi.build(tmp_path / version, CACHE, version)
        for version in ("0.9.0", "0.9.1", "0.9.2")
    }
    prefix = Prefix(tmp_path / "prefix")
    assert prefix.run("wineboot", "--init").returncode == 0

    code, seconds = prefix.msiexec(
        "/i",
        str(msi["0.9.0"]),
        "INTAKE_OFFICE_CODE=WEI",
        "PRINTER_NAME=Theke-1",
        "DATABASE_URL=sqlite:///C:/bb/desk.sqlite3",
    )
    assert code == 0
    print(f"\nsilent install under wine: {seconds:.1f} s")
    values = prefix.registry()
    assert values["intake_office_code"] == "WEI" and values["printer_name"] == "Theke-1"
    assert (prefix.path / INSTALLED / "pythonw.exe").exists()
    shown = prefix.app("settings", "show")
    assert shown.returncode == 0, shown.stderr
    assert '"WEI"' in shown.stdout and "HKLM" in shown.stdout
    assert "buergerbuero 0.1.0" in prefix.app("--version").stdout

    code, seconds = prefix.msiexec("/i", str(msi["0.9.1"]))  # no properties: all kept
    assert code == 0
    print(f"upgrade without properties: {seconds:.1f} s")
    values = prefix.registry()
    assert values["intake_office_code"] == "WEI" and values["printer_name"] == "Theke-1"
    assert values["database_url"] == "sqlite:///C:/bb/desk.sqlite3"

    code, _seconds = prefix.msiexec("/i", str(msi["0.9.2"]), "PRINTER_NAME=Theke-2")
    assert code == 0
    values = prefix.registry()
    assert values["printer_name"] == "Theke-2" and values["intake_office_code"] == "WEI"

    code, _seconds = prefix.msiexec("/i", str(msi["0.9.0"]))  # a downgrade
    assert code != 0
    assert prefix.registry()["printer_name"] == "Theke-2"

    code, seconds = prefix.msiexec("/x", str(msi["0.9.2"]))
    assert code == 0
    print(f"uninstall: {seconds:.1f} s")
    assert not (prefix.path / INSTALLED / "python.exe").exists()
    assert prefix.registry() == {}
