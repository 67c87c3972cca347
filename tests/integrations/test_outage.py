"""The outage commands as IT runs them, as real processes on a real SQLite central database:
`outage prepare` reserves the seat's blocks and copies its office's open cases; work on the
journal shows in `outage status`; `outage merge` carries it once, also when it is killed
halfway and run again; `outage drill` rehearses the whole on a scratch database."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.inbox import InboxQuery
from app.domain.users import Role
from app.integrations.settings import Settings
from app.store.database import make_engine, upgrade
from app.store.models import MergedItemRow
from app.wiring import Core, build_core
from app.wiring.outage import build_outage
from tests.conftest import DEFAULT_OFFICES, meldebescheinigung_form
from tests.support.cli import run_cli

SEAT = "Theke-7"


@pytest.fixture
def central(tmp_path: Path) -> Iterator[Core]:
    url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    core = build_core(
        Settings(database_url=url, data_dir=str(tmp_path / "data"), till_counter=SEAT)
    )
    for code, name in DEFAULT_OFFICES:
        core.users.save_office(code, name, actor="setup", at=core.clock.now())
    office = {o.code: o.id for o in core.users.offices()}["SI"]
    for login, role in (
        ("it.admin", Role.ADMIN),
        ("t.leitung", Role.SUPERVISOR),
        ("a.becker", Role.CLERK),
    ):
        core.users.save_user(
            actor="setup",
            at=core.clock.now(),
            login=login,
            display_name=login,
            role=role,
            office_id=office,
            active=True,
        )
    yield core
    core.close()


def run(central: Core, *args: str, login: str = "it.admin") -> subprocess.CompletedProcess[str]:
    return run_cli(
        Path(central.settings.data_dir),
        "outage",
        *args,
        BUERGERBUERO_DATABASE_URL=central.settings.database_url,
        BUERGERBUERO_TILL_COUNTER=SEAT,
        BUERGERBUERO_LOGIN=login,
    )


def offline_walk_ins(central: Core, count: int) -> list[str]:
    """`count` walk-ins on the seat's journal, as the seat makes them while the central
    database is gone."""
    _desk, switch = build_outage(central)
    clerk = central.users.by_login("it.admin")
    assert clerk is not None
    switch.to_journal()
    try:
        return [
            central.desk.open_walk_in(
                user=clerk,
                service_id="meldebescheinigung_einfach",
                form=meldebescheinigung_form(family_name=f"Offline{'ABCDEFGHIJ'[n % 10]}"),
                claim=True,
            ).reference
            for n in range(count)
        ]
    finally:
        switch.to_central()
        switch.journal.dispose()


def test_prepare_status_merge_and_conflicts_by_command(central: Core) -> None:
    prepared = run(central, "prepare")
    assert prepared.returncode == 0, prepared.stderr
    shown = json.loads(prepared.stdout)
    assert shown["seat"] == SEAT and {b["series"] for b in shown["blocks"]} == {
        "case",
        "document",
        "receipt",
    }
    again = json.loads(run(central, "prepare").stdout)
    assert again["reserved_now"] == [] and again["blocks"] == shown["blocks"]
    assert run(central, "status").returncode == 0
    references = offline_walk_ins(central, 3)
    status = run(central, "status")
    assert status.returncode == 1 and json.loads(status.stdout)["offline_work"]["cases"] == 3
    merged = run(central, "merge")
    assert merged.returncode == 0, merged.stderr
    assert json.loads(merged.stdout)["cases"] == 3
    rows = central.desk.inbox_page(InboxQuery(), offset=0, limit=50)
    assert sorted(r.reference for r in rows) == sorted(references)
    assert run(central, "status").returncode == 0  # nothing left offline
    conflicts = run(central, "conflicts", login="t.leitung")
    assert conflicts.returncode == 0 and json.loads(conflicts.stdout) == []
    refused = run(central, "conflicts", login="a.becker")  # a clerk is no supervisor
    assert refused.returncode == 2 and "\n" not in refused.stderr.strip()
    unknown = run(central, "prepare", "--office", "XX")
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1


def test_a_merge_killed_halfway_runs_again_and_carries_each_case_once(central: Core) -> None:
    assert run(central, "prepare").returncode == 0
    references = offline_walk_ins(central, 390)
    merging = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "outage", "merge"],
        env={
            **os.environ,
            "BUERGERBUERO_DATA_DIR": central.settings.data_dir,
            "BUERGERBUERO_SETTINGS_FILE": str(Path(central.settings.data_dir) / "none.toml"),
            "BUERGERBUERO_DATABASE_URL": central.settings.database_url,
            "BUERGERBUERO_TILL_COUNTER": SEAT,
            "BUERGERBUERO_LOGIN": "it.admin",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def carried() -> int:
        with central.database.reading() as session:
            cases = select(func.count()).where(MergedItemRow.item.like("case:%"))
            return int(session.scalar(cases) or 0)

    deadline = time.monotonic() + 120
    while carried() < 1 and time.monotonic() < deadline and merging.poll() is None:
        time.sleep(0.01)
    merging.send_signal(signal.SIGKILL)
    merging.wait(timeout=30)
    halfway = carried()
    assert 0 < halfway < 390, halfway  # killed in the middle
    resumed = run(central, "merge")
    assert resumed.returncode == 0, resumed.stderr
    report = json.loads(resumed.stdout)
    assert report["cases"] + report["already_merged"] == 390
    assert report["already_merged"] >= 1
    rows = central.desk.inbox_page(InboxQuery(), offset=0, limit=1000)
    assert sorted(r.reference for r in rows) == sorted(references)
    assert central.audit.verify() == []


def test_the_drill_rehearses_the_whole_outage(tmp_path: Path) -> None:
    drill = run_cli(tmp_path / "data", "outage", "drill")
    assert drill.returncode == 0, drill.stderr
    shown = json.loads(drill.stdout)
    assert shown["ok"] and len(shown["steps"]) == 12
    assert drill.stderr.count("ok ") == 12 and "FAILED" not in drill.stderr
