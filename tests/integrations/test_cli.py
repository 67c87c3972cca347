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
from tests.support.cli import run_cli


def run(tmp_path: Path, *args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    return run_cli(tmp_path, *args, **environment)


@pytest.mark.slow
def test_upgrade_demo_verify_and_tamper(tmp_path: Path) -> None:
    assert __version__ in run(tmp_path, "--version").stdout
    refused = run(tmp_path, "audit", "verify")
    assert refused.returncode == 2 and "db upgrade" in refused.stderr
    assert head_revision() in run(tmp_path, "db", "upgrade").stdout
    assert f"database: {head_revision()}" in run(tmp_path, "db", "current").stdout
    assert "50 cases" in run(tmp_path, "demo", "--cases", "50").stdout
    assert "0 cases" in run(tmp_path, "demo", "--cases", "50", "--if-empty").stdout
    listed = run(tmp_path, "users", "list").stdout
    assert "it.admin\tadmin\t" in listed and "\tclerk\tSI\tactive" in listed  # office codes
    intact = run(tmp_path, "audit", "verify")
    assert intact.returncode == 0 and "intact" in intact.stdout
    with sqlite3.connect(tmp_path / "buergerbuero.sqlite3") as connection:
        connection.execute("UPDATE audit_records SET detail = 'x' WHERE seq = 7")
    broken = run(tmp_path, "audit", "verify")
    assert broken.returncode == 1 and "record 7" in broken.stdout and "BROKEN" in broken.stdout


def test_help_names_every_command(tmp_path: Path) -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "ui.main", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "BUERGERBUERO_SETTINGS_FILE": str(tmp_path / "none.toml")},
    )
    assert shown.returncode == 0
    for command in ("gui", "demo", "db", "audit", "intake", "users", "documents"):
        assert command in shown.stdout
    for command in ("forms", "verify", "verify-seal", "sandbox"):
        assert f"    {command}" in shown.stdout, command


def test_unknown_settings_are_named_not_dropped(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text('printer_nmae = "Theke 2"\n', "utf-8")
    shown = subprocess.run(
        [sys.executable, "-m", "app.cli", "db", "upgrade"],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "BUERGERBUERO_DATA_DIR": str(tmp_path),
            "BUERGERBUERO_SETTINGS_FILE": str(tmp_path / "settings.toml"),
            "BUERGERBUERO_INTAKE_INTERVALL": "60",
        },
    )
    assert shown.returncode == 0
    assert "printer_nmae" in shown.stderr and "settings.toml" in shown.stderr
    assert "intake_intervall" in shown.stderr and "environment" in shown.stderr


def test_document_register_lists_every_number_as_json(tmp_path: Path) -> None:
    import json
    import shutil

    shutil.copy(
        Path(__file__).parent.parent / "fixtures" / "schema-0004.sqlite3",
        tmp_path / "buergerbuero.sqlite3",
    )
    assert run(tmp_path, "db", "upgrade").returncode == 0
    listed = run(tmp_path, "documents", "register", "--year", "2026")
    assert listed.returncode == 0, listed.stderr
    entries = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(e["number"], e["state"]) for e in entries] == [("2026-000001", "issued")]
