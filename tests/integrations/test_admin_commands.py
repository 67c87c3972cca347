"""The commands an IT admin runs on a machine: `secrets` (into the OS keyring, values from
standard input, never shown), `settings show` (each setting with its source), and `db upgrade`
run by several seats at once (one migrates, the others wait and find the schema current)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.domain.users import DEFAULT_OFFICES
from app.integrations.secrets import SECRET_NAMES
from app.store.database import head_revision
from sandbox.pgcluster import PostgresCluster
from tests.support.cli import run_cli


def keyring_env(tmp_path: Path) -> dict[str, str]:
    return {
        "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring.FileKeyring",
        "BB_TEST_KEYRING_FILE": str(tmp_path / "keyring.json"),
    }


def test_secrets_are_set_from_stdin_and_listed_without_their_values(tmp_path: Path) -> None:
    environment = keyring_env(tmp_path)
    listed = run_cli(tmp_path, "secrets", "list", **environment)
    assert listed.returncode == 0
    boxes = {f"pickup-box-token-{code.lower()}" for code, _name in DEFAULT_OFFICES}
    assert {entry["name"] for entry in json.loads(listed.stdout)} == set(SECRET_NAMES) | boxes
    stored = subprocess.run(
        [sys.executable, "-m", "app.cli", "secrets", "set", "fitconnect-client-secret"],
        input="s3cr3t-Wert\n",
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **environment, "BUERGERBUERO_DATA_DIR": str(tmp_path)},
    )
    assert stored.returncode == 0 and "s3cr3t" not in stored.stdout + stored.stderr
    listed = run_cli(tmp_path, "secrets", "list", **environment)
    entries = {entry["name"]: entry for entry in json.loads(listed.stdout)}
    assert entries["fitconnect-client-secret"]["set"] is True
    assert entries["smtp-password"]["set"] is False
    assert "s3cr3t" not in listed.stdout
    unknown = run_cli(tmp_path, "secrets", "set", "root-password", **environment)
    assert unknown.returncode == 2 and "known:" in unknown.stderr
    removed = run_cli(tmp_path, "secrets", "delete", "fitconnect-client-secret", **environment)
    assert removed.returncode == 0
    listed = run_cli(tmp_path, "secrets", "list", **environment)
    assert not {e["name"]: e for e in json.loads(listed.stdout)}["fitconnect-client-secret"]["set"]


def test_settings_show_names_each_value_and_its_source(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text('printer_name = "Theke-3"\n')
    shown = run_cli(
        tmp_path,
        "settings",
        "show",
        BUERGERBUERO_SETTINGS_FILE=str(tmp_path / "settings.toml"),
        BUERGERBUERO_INTAKE_OFFICE_CODE="WEI",
        BUERGERBUERO_DATABASE_URL="postgresql+psycopg://desk:geheim@db.example/desk",
    )
    assert shown.returncode == 0, shown.stderr
    settings = json.loads(shown.stdout)
    assert settings["printer_name"] == {
        "value": "Theke-3",
        "from": f"file {tmp_path / 'settings.toml'}",
    }
    assert settings["intake_office_code"] == {"value": "WEI", "from": "environment"}
    assert settings["smtp_port"]["from"] == "default"
    assert "geheim" not in shown.stdout and "***" in settings["database_url"]["value"]


@pytest.mark.slow
def test_seats_upgrading_at_once_migrate_once(tmp_path: Path, pg_cluster: PostgresCluster) -> None:
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(pg_cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")  # empty: no schema yet
    admin.dispose()
    url = pg_cluster.url(name)
    seats = [
        subprocess.Popen(
            [sys.executable, "-m", "app.cli", "db", "upgrade"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={
                **os.environ,
                "BUERGERBUERO_DATABASE_URL": url,
                "BUERGERBUERO_DATA_DIR": str(tmp_path / f"seat{n}"),
                "BUERGERBUERO_SETTINGS_FILE": str(tmp_path / "none.toml"),
            },
        )
        for n in range(4)
    ]
    results = [(seat.wait(timeout=120), *seat.communicate()) for seat in seats]
    assert [code for code, _out, _err in results] == [0, 0, 0, 0], results
    assert all(head_revision() in out for _code, out, _err in results)
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        versions = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    engine.dispose()
    assert versions == [(head_revision(),)]
