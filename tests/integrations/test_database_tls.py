"""The central PostgreSQL over TLS, its certificate and name checked against the city's CA
(`database_ca_file`, sslmode=verify-full), on a private server that speaks TLS with a test
CA's certificate for 127.0.0.1: accepted and really encrypted; another CA, or a name the
certificate does not carry, refused in one line; a server elsewhere without a CA refused before
any connection; a server on this machine may still be reached without TLS."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from app.integrations.settings import Settings
from app.wiring import build_core
from sandbox.pgcluster import PostgresCluster
from sandbox.tls import TlsFiles, make_tls_files


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return make_tls_files(tmp_path_factory.mktemp("db-tls"))


@pytest.fixture(scope="module")
def central(tls: TlsFiles) -> Iterator[PostgresCluster]:
    with PostgresCluster(tls=tls) as cluster:
        yield cluster


def _command(*arguments: str, **settings: str) -> subprocess.CompletedProcess[str]:
    tool = Path(sys.executable).with_name("buergerbuero")
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("BUERGERBUERO_")},
        **{f"BUERGERBUERO_{name.upper()}": value for name, value in settings.items()},
    }
    return subprocess.run(
        [str(tool), *arguments], env=environment, capture_output=True, text=True, timeout=120
    )


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_the_city_ca_gives_an_encrypted_checked_connection(
    central: PostgresCluster, tls: TlsFiles, tmp_path: Path
) -> None:
    url = central.url("postgres")
    done = _command("db", "upgrade", database_url=url, database_ca_file=str(tls.ca))
    assert done.returncode == 0, done.stderr
    core = build_core(
        Settings(database_url=url, database_ca_file=str(tls.ca), data_dir=str(tmp_path))
    )
    with core.database.reading() as session:
        encrypted = session.execute(
            text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        ).scalar_one()
    assert encrypted is True
    core.database.engine.dispose()


def test_another_ca_or_another_name_is_refused_in_one_line(
    central: PostgresCluster, tls: TlsFiles, tmp_path: Path
) -> None:
    stranger = make_tls_files(tmp_path / "stranger")
    wrong_ca = _command(
        "db", "upgrade", database_url=central.url(), database_ca_file=str(stranger.ca)
    )
    assert "SSL error" in _one_line(wrong_ca)  # its signature is not the city CA's
    # the certificate names 127.0.0.1, not "localhost": verify-full checks the name too
    by_name = central.url().replace("127.0.0.1", "localhost")
    wrong_name = _command("db", "upgrade", database_url=by_name, database_ca_file=str(tls.ca))
    assert "localhost" in _one_line(wrong_name)


def test_a_server_elsewhere_without_the_ca_is_refused_before_connecting() -> None:
    refused = _command(
        "db", "upgrade", database_url="postgresql+psycopg://desk@db.stadt.example/buergerbuero"
    )
    line = _one_line(refused)
    assert "database_ca_file" in line and "db.stadt.example" in line
    missing = _command(
        "db",
        "upgrade",
        database_url="postgresql+psycopg://desk@db.stadt.example/buergerbuero",
        database_ca_file="/nonexistent/stadt-ca.pem",
    )
    assert "stadt-ca.pem" in _one_line(missing)


def test_a_server_on_this_machine_may_still_go_without(central: PostgresCluster) -> None:
    done = _command("db", "upgrade", database_url=central.url())
    assert done.returncode == 0, done.stderr
