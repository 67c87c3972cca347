"""Bad input to the `buergerbuero` command is one line on stderr and exit 2, never a traceback,
and something wrong is never reported as success. Each case here was found by running the
documented commands as a new user would; each runs the real entry point as a process."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.payment_platform.process import PlatformProcess
from sandbox.pgcluster import free_port, port_free
from sandbox.pickup_box.process import BoxProcess

ADMIN = "it.admin"


def buergerbuero(
    data: Path, *args: str, stdin: str = "", **environment: str
) -> subprocess.CompletedProcess[str]:
    """`buergerbuero ARGS` through the installed entry point's code (ui.main), as a user runs
    it: its own data folder, no settings file."""
    return subprocess.run(
        [sys.executable, "-m", "ui.main", *args],
        capture_output=True,
        text=True,
        timeout=120,
        input=stdin,
        env={
            **os.environ,
            "BUERGERBUERO_DATA_DIR": str(data),
            "BUERGERBUERO_LOGIN": ADMIN,
            "BUERGERBUERO_SETTINGS_FILE": str(data / "none.toml"),
            **environment,
        },
    )


def one_line_refusal(done: subprocess.CompletedProcess[str], *said: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for text in said:
        assert text in lines[0], lines[0]


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A data folder with an upgraded SQLite database, its offices and a supervisor."""
    data = tmp_path / "data"
    assert buergerbuero(data, "db", "upgrade").returncode == 0
    saved = buergerbuero(data, "users", "save", "--login", "sv", "--role", "supervisor")
    assert saved.returncode == 0, saved.stderr
    return data


def test_a_database_newer_than_the_application_is_said_not_migrated(database: Path) -> None:
    with sqlite3.connect(database / "buergerbuero.sqlite3") as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
    one_line_refusal(buergerbuero(database, "db", "upgrade"), "0099", "neuer")
    english = buergerbuero(database, "db", "upgrade", BUERGERBUERO_LANGUAGE="en")
    one_line_refusal(english, "0099", "newer than this version")


def test_stamping_a_revision_that_does_not_exist(database: Path) -> None:
    one_line_refusal(buergerbuero(database, "db", "stamp", "9999"), "9999")


def test_a_mistyped_sqlite_path_is_not_made_into_an_empty_database(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "desk.sqlite3"
    done = buergerbuero(tmp_path, "db", "current", BUERGERBUERO_DATABASE_URL=f"sqlite:///{missing}")
    one_line_refusal(done, str(missing), "db upgrade")
    assert not missing.parent.exists()


def test_settings_the_calendar_or_the_box_rule_cannot_use(database: Path) -> None:
    sla = buergerbuero(
        database, "documents", "register", BUERGERBUERO_SLA_WORKING_DAYS="anmeldung=zwei"
    )
    one_line_refusal(sla, "sla_working_days", "anmeldung=zwei")
    box = buergerbuero(
        database, "documents", "register", BUERGERBUERO_BOX_SERVICES="ausweisabholung"
    )
    one_line_refusal(box, "box_services", "ausweisabholung")


def test_users_save_without_a_login(database: Path) -> None:
    one_line_refusal(buergerbuero(database, "users", "save", "--role", "clerk"), "--login")


def test_report_into_a_folder_that_is_not_there(database: Path) -> None:
    done = buergerbuero(
        database, "report", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "pdf",
        "--out", "/missing/dir/x.pdf",
    )  # fmt: skip
    one_line_refusal(done, "/missing/dir")


def test_report_for_an_office_that_does_not_exist_says_so(database: Path) -> None:
    assert (
        buergerbuero(database, "users", "save", "--login", "sv", "--role", "supervisor").returncode
        == 0
    )
    done = buergerbuero(
        database, "report", "--from", "2026-11-01", "--to", "2026-11-30", "--office", "XX",
        BUERGERBUERO_LOGIN="sv",
    )  # fmt: skip
    one_line_refusal(done, "XX")
    assert "supervisor" not in done.stderr.lower() and "Sachgebiet" not in done.stderr


def test_forms_with_an_unknown_service_or_folder(tmp_path: Path, database: Path) -> None:
    one_line_refusal(buergerbuero(tmp_path, "forms", "make", "--service", "nosuch"), "nosuch")
    one_line_refusal(buergerbuero(database, "forms", "import", "/no/such/folder"), "/no/such")


def test_intake_once_with_a_missing_scan_folder_is_no_success(database: Path) -> None:
    done = buergerbuero(
        database, "intake", "--once", BUERGERBUERO_FORM_FOLDER=str(database / "not-mounted")
    )
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "not-mounted" in done.stderr


def test_secrets_list_names_each_box_token(tmp_path: Path) -> None:
    done = buergerbuero(
        tmp_path,
        "secrets",
        "list",
        PYTHON_KEYRING_BACKEND="tests.support.file_keyring.FileKeyring",
        BB_TEST_KEYRING_FILE=str(tmp_path / "keyring.json"),
        BUERGERBUERO_PICKUP_BOXES="XY=http://box.invalid",
    )
    assert done.returncode == 0, done.stderr
    names = [entry["name"] for entry in json.loads(done.stdout)]
    for office in ("si", "we", "xy"):
        assert f"pickup-box-token-{office}" in names, names


def test_sandbox_submit_unknown_service_and_no_sandbox(tmp_path: Path) -> None:
    one_line_refusal(buergerbuero(tmp_path, "sandbox", "submit", "--service", "nosuch"), "nosuch")
    down = f"http://127.0.0.1:{free_port()}"
    one_line_refusal(
        buergerbuero(tmp_path, "sandbox", "submit", "--url", down, "--count", "1"), down
    )


def test_sandbox_card_without_a_reader_and_removing_none(tmp_path: Path) -> None:
    removed = buergerbuero(tmp_path, "sandbox", "card", "remove")
    assert removed.returncode == 0 and "Traceback" not in removed.stderr
    inserted = buergerbuero(
        tmp_path, "sandbox", "card", "insert", BB_SANDBOX_VPCD_PORT=str(free_port())
    )
    one_line_refusal(inserted, "no virtual reader")


def test_sandbox_secrets_that_begin_with_a_dash_reach_the_sandbox_whole(tmp_path: Path) -> None:
    """The demo makes its secrets with token_urlsafe, which may begin with "-": given as a
    separate argument, argparse took it for an option and the sandbox never started."""
    with BoxProcess(tmp_path / "box", boxes={"SI": 2}, token="-Xy_dash-first") as process:
        assert process.process is not None and process.process.poll() is None
    with PlatformProcess(tmp_path / "pay", client_secret="-Secret_dash") as platform:
        assert platform.process is not None and platform.process.poll() is None


@pytest.fixture
def box(tmp_path: Path) -> Iterator[BoxProcess]:
    with BoxProcess(tmp_path / "box", boxes={"SI": 24}, token="t") as process:
        yield process


def test_sandbox_box_actions_at_the_emulated_box(tmp_path: Path, box: BoxProcess) -> None:
    at_si = {"BUERGERBUERO_PICKUP_BOXES": f"SI={box.url('SI')}"}
    refused = buergerbuero(
        tmp_path, "sandbox", "box", "collect", "--code", "12345678",
        "--birth-date", "1985-03-15", **at_si,
    )  # fmt: skip
    assert refused.returncode == 1 and "Traceback" not in refused.stderr, refused.stderr
    assert json.loads(refused.stdout)["opened"] is None
    for action in (["offline"], ["online"], ["fault", "--kind", "tamper"]):
        done = buergerbuero(tmp_path, "sandbox", "box", *action, **at_si)
        assert done.returncode == 0, (action, done.stderr)
    down = {"BUERGERBUERO_PICKUP_BOXES": f"SI=http://127.0.0.1:{free_port()}/SI"}
    one_line_refusal(buergerbuero(tmp_path, "sandbox", "box", "offline", **down), "sandbox box")


def test_sandbox_serve_on_a_busy_port_and_stopped_by_sigterm(tmp_path: Path) -> None:
    port = free_port()
    environment = {
        **os.environ,
        "BUERGERBUERO_DATA_DIR": str(tmp_path),
        "BUERGERBUERO_SETTINGS_FILE": str(tmp_path / "none.toml"),
    }
    command = [sys.executable, "-m", "ui.main", "sandbox", "serve", "--port", str(port)]
    serving = subprocess.Popen(
        command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert serving.stdout is not None
        assert "FIT-Connect sandbox on" in serving.stdout.readline()
        one_line_refusal(
            subprocess.run(command, env=environment, capture_output=True, text=True, timeout=60),
            f"port {port} is in use",
        )
        serving.send_signal(signal.SIGTERM)
        assert serving.wait(timeout=30) == 0
        deadline = time.monotonic() + 10
        while not port_free(port):  # the server process went with it
            assert time.monotonic() < deadline, "the uvicorn child still listens"
            time.sleep(0.1)
    finally:
        if serving.poll() is None:
            serving.kill()
        serving.communicate()


def test_payment_till_and_finance_commands_with_bad_input(database: Path, tmp_path: Path) -> None:
    one_line_refusal(buergerbuero(database, "payment", "sync"), "no payment platform")
    one_line_refusal(buergerbuero(database, "payment", "status"), "reference")
    one_line_refusal(buergerbuero(database, "payment", "status", "XX-2026-9"), "no case")
    one_line_refusal(
        buergerbuero(database, "till", "status", "--counter", "T", "--office", "ZZ"), "no office ZZ"
    )
    one_line_refusal(
        buergerbuero(database, "till", "close", "--counter", "T", "--counted", "zwölf"),
        "not an amount",
    )
    one_line_refusal(
        buergerbuero(database, "till", "status", "--counter", "T", "--day", "gestern"), "--day"
    )
    one_line_refusal(buergerbuero(database, "finance", "export"), "--out")
    one_line_refusal(
        buergerbuero(
            database,
            "finance",
            "export",
            "--out",
            str(tmp_path / "x.csv"),
            BUERGERBUERO_FINANCE_EXPORT_COLUMNS="datum,betrag",
        ),
        "known: date",
    )
    empty = buergerbuero(database, "till", "status", "--counter", "Theke-9")
    assert empty.returncode == 0 and json.loads(empty.stdout)["state"] == "open"
    nobody = buergerbuero(database, "till", "close", "--counter", "Theke-9", "--counted", "0")
    one_line_refusal(nobody, "it.admin is no user here")
    closed = buergerbuero(
        database,
        "till",
        "close",
        "--counter",
        "Theke-9",
        "--counted",
        "0",
        BUERGERBUERO_LOGIN="sv",
    )
    assert closed.returncode == 0 and json.loads(closed.stdout)["state"] == "closed"
    own = buergerbuero(database, "till", "confirm", "--counter", "Theke-9", BUERGERBUERO_LOGIN="sv")
    assert own.returncode == 1 and "Vier-Augen" in own.stderr  # sv closed it
    assert "Traceback" not in own.stderr and len(own.stderr.strip().splitlines()) == 1


def test_a_receipt_is_printed_again_or_said_missing(database: Path, tmp_path: Path) -> None:
    one_line_refusal(
        buergerbuero(database, "receipt", "SI-Q-2026-999999", "--out", str(tmp_path / "q.pdf")),
        "no receipt SI-Q-2026-999999",
    )
    one_line_refusal(
        buergerbuero(database, "receipt", "SI-Q-1", "--out", str(tmp_path / "nix" / "q.pdf")),
        "no such folder",
    )
