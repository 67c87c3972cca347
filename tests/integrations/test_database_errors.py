"""What an operator sees when the database is not as it should be: one line naming the
problem and exit 2, never a traceback; run as real processes against real databases."""

from __future__ import annotations

import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.domain.users import DEFAULT_OFFICES
from app.integrations.settings import Settings
from app.store.database import head_revision
from app.wiring import build_core
from sandbox.pgcluster import PostgresCluster
from tests.support.cli import run_cli


def run(tmp_path: Path, *args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    return run_cli(tmp_path, *args, **environment)


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    return line


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("postgresql+psycopg://desk:geheim@db.example:abc/desk", "port is no number"),
        ("postgres://desk:geheim@db.example/desk", "postgresql+psycopg://"),
        ("mysql://desk:geheim@db.example/desk", "'mysql' is no database"),
        ("desk-db", "database_url"),
    ],
)
def test_a_malformed_database_url_is_named_not_shown(tmp_path: Path, url: str, said: str) -> None:
    line = one_line(run(tmp_path, "audit", "verify", BUERGERBUERO_DATABASE_URL=url))
    assert "database_url" in line and said in line
    assert "geheim" not in line  # the password never appears


def test_tables_without_a_version_row_are_not_an_empty_database(tmp_path: Path) -> None:
    assert run(tmp_path, "db", "upgrade").returncode == 0
    with sqlite3.connect(tmp_path / "buergerbuero.sqlite3") as connection:
        connection.execute("DELETE FROM alembic_version")
    for command in (("audit", "verify"), ("db", "upgrade")):
        line = one_line(run(tmp_path, *command))
        assert "alembic_version" in line and f"db stamp {head_revision()}" in line
    stamped = run(tmp_path, "db", "stamp", head_revision())
    assert stamped.returncode == 0, stamped.stderr
    assert run(tmp_path, "audit", "verify").returncode == 0


@pytest.fixture
def read_only_url(pg_cluster: PostgresCluster) -> str:
    """A migrated database and a login that may read it but change nothing."""
    name, role = f"t_{uuid.uuid4().hex[:12]}", f"reader_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(pg_cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE bb_template")
        connection.exec_driver_sql(f"CREATE ROLE {role} LOGIN")
    admin.dispose()
    owner = build_core(Settings(database_url=pg_cluster.url(name)))
    for code, office in DEFAULT_OFFICES:
        owner.users.save_office(code, office, actor="setup", at=owner.clock.now())
    owner.close()
    database = sa.create_engine(pg_cluster.url(name), isolation_level="AUTOCOMMIT")
    with database.connect() as connection:
        connection.exec_driver_sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    database.dispose()
    return f"postgresql+psycopg://{role}@127.0.0.1:{pg_cluster.port}/{name}"


def test_a_read_only_database_user_gets_one_line(tmp_path: Path, read_only_url: str) -> None:
    url = {"BUERGERBUERO_DATABASE_URL": read_only_url}
    assert run(tmp_path, "audit", "verify", **url).returncode == 0  # reading is allowed
    for command in (
        ("users", "save", "--login", "c.neu", "--name", "C. Neu"),
        ("demo", "--cases", "5"),
        ("intake", "--once"),
    ):
        line = one_line(
            run(tmp_path, *command, BUERGERBUERO_FORM_FOLDER=str(tmp_path / "scans"), **url)
        )
        assert "permission denied" in line, command
