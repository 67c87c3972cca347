"""The `buergerbuero` command, run as a real process."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__
from app.store.database import head_revision


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "BUERGERBUERO_DATA_DIR": str(tmp_path),
        "BUERGERBUERO_LOGIN": "it.admin",
        "BUERGERBUERO_SETTINGS_FILE": str(tmp_path / "none.toml"),
    }
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


@pytest.mark.slow
def test_upgrade_demo_verify_and_tamper(tmp_path: Path) -> None:
    assert __version__ in run(tmp_path, "--version").stdout
    refused = run(tmp_path, "audit", "verify")
    assert refused.returncode == 2 and "db upgrade" in refused.stderr
    assert head_revision() in run(tmp_path, "db", "upgrade").stdout
    assert f"database: {head_revision()}" in run(tmp_path, "db", "current").stdout
    assert "50 cases" in run(tmp_path, "demo", "--cases", "50").stdout
    assert "0 cases" in run(tmp_path, "demo", "--cases", "50", "--if-empty").stdout
    assert "it.admin\tadmin" in run(tmp_path, "users", "list").stdout
    intact = run(tmp_path, "audit", "verify")
    assert intact.returncode == 0 and "intact" in intact.stdout
    with sqlite3.connect(tmp_path / "buergerbuero.sqlite3") as connection:
        connection.execute("UPDATE audit_records SET detail = 'x' WHERE seq = 7")
    broken = run(tmp_path, "audit", "verify")
    assert broken.returncode == 1 and "record 7" in broken.stdout and "BROKEN" in broken.stdout
