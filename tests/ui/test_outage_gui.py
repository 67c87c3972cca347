"""The window through an outage of a real PostgreSQL server: signed in, the seat prepares its
journal; the server really stopped, the next read fails, the seat switches to its journal and
the offline banner says since when; the clerk goes on (walk-ins, a cash payment, a note, all
numbered from the seat's blocks); the server started again, the next check finds it, the
journal is merged once and the banner goes; the central database has every case once and an
intact audit chain. With SCREENSHOT_DIR set, the offline window is saved (make screenshots)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.domain.inbox import InboxQuery
from app.domain.outage import Series
from app.integrations.settings import Settings
from app.store.database import make_engine, upgrade
from app.wiring import Core, build_core, seed_demo
from app.wiring.outage import build_outage
from sandbox.pgcluster import PostgresCluster
from tests.conftest import FixedClock, meldebescheinigung_form
from tests.ui.conftest import LOGIN
from ui.i18n import set_language
from ui.main_window import MainWindow
from ui.tasks import TaskRunner


@pytest.fixture
def server() -> Iterator[PostgresCluster]:
    with PostgresCluster() as cluster:
        yield cluster


@pytest.fixture
def seat(server: PostgresCluster, tmp_path: Path, clock: FixedClock) -> Iterator[Core]:
    engine = make_engine(server.url())
    upgrade(engine)
    engine.dispose()
    settings = Settings(
        database_url=server.url(),
        database_timeout_ms=1000,
        data_dir=str(tmp_path / "seat"),
        till_counter="Theke-2",
    )
    core = build_core(settings, clock=clock)
    seed_demo(core, count=40, if_empty=False, login=LOGIN)
    yield core
    core.close()


def test_the_seat_works_through_a_stopped_server_and_merges_once(
    qtbot: QtBot, seat: Core, server: PostgresCluster, runner: TaskRunner
) -> None:
    set_language("de")
    desk, switch = build_outage(seat)
    window = MainWindow(core=seat, runner=runner, login=LOGIN, outage=(desk, switch))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=15_000):
        window.begin()
    window.resize(1500, 860)
    outage = window.outage
    assert outage is not None
    qtbot.waitUntil(lambda: outage._prepared, timeout=30_000)
    clerk = window.signed_in_user()
    blocks = {b.series: b for b in desk.blocks.blocks(desk.seat)}
    assert set(blocks) == set(Series)

    server.pause()
    window.refresh()  # the next read finds the server gone
    qtbot.waitUntil(lambda: outage.banner.isVisible(), timeout=20_000)
    assert "Offline-Betrieb seit" in outage.banner.text()
    qtbot.waitUntil(lambda: runner.pending == 0 and not window.banner.isVisible(), timeout=20_000)
    references = []
    for name in ("Ohnenetz", "Notbetrieb"):
        case = seat.desk.open_walk_in(
            user=clerk,
            service_id="meldebescheinigung_einfach",
            form=meldebescheinigung_form(family_name=name),
            claim=True,
        )
        references.append(case.reference)
    fees = seat.desk.fees
    assert fees is not None
    paid = fees.take(user=clerk, case_id=case.id, way="cash")
    seat.desk.add_note(user=clerk, case_id=case.id, text="während des Ausfalls")
    assert all(blocks[Series.CASE].holds(int(r.rsplit("-", 1)[1])) for r in references)
    window.refresh()
    qtbot.waitUntil(lambda: window.inbox.model.rowCount() >= 2, timeout=15_000)
    if folder := os.environ.get("SCREENSHOT_DIR"):
        qtbot.wait(100)
        window.grab().save(str(Path(folder) / "offline-banner.png"))

    server.resume()
    window.health.check_now()
    qtbot.waitUntil(lambda: not outage.banner.isVisible(), timeout=30_000)
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=20_000)
    assert "übertragen" in window.statusBar().currentMessage()
    assert not switch.offline
    for reference in references:
        rows = seat.desk.inbox_page(InboxQuery(search=reference), offset=0, limit=5)
        assert [r.reference for r in rows] == [reference]
    carried = seat.desk.inbox_page(InboxQuery(search=references[1]), offset=0, limit=1)[0]
    assert [n.text for n in seat.cases.notes(carried.id)] == ["während des Ausfalls"]
    assert seat.cases.get(carried.id).payment_reference == paid.payment_reference
    assert seat.audit.verify() == []


def test_a_supervisor_sees_the_conflicts_with_both_sides_and_records_a_decision(
    qtbot: QtBot, gui_core: Core, runner: TaskRunner, tmp_path: Path
) -> None:
    from app.store.database import Database

    set_language("de")
    engine = make_engine(f"sqlite:///{tmp_path / 'journal.sqlite3'}")
    upgrade(engine)
    desk, switch = build_outage(gui_core, Database(engine))
    supervisor = gui_core.users.by_login(LOGIN)
    assert supervisor is not None
    office = next(o for o in gui_core.users.offices() if o.id == supervisor.office_id)
    person = meldebescheinigung_form(family_name="Zweifach", given_names="Zoe")

    def walk_in() -> int:
        return gui_core.desk.open_walk_in(
            user=supervisor, service_id="meldebescheinigung_einfach", form=person, claim=True
        ).id

    copied = walk_in()
    desk.prepare(user=supervisor, office=office.code)
    switch.to_journal()
    walk_in()  # offline
    gui_core.desk.release(user=supervisor, case_id=copied)
    switch.to_central()
    walk_in()  # and centrally, meanwhile: the same person twice
    gui_core.desk.add_note(user=supervisor, case_id=copied, text="zentral geändert")
    gui_core.desk.release(user=supervisor, case_id=copied)
    outcome = desk.merge_back(by=supervisor.login, office_id=office.id)
    assert outcome.conflicts == 2

    window = MainWindow(core=gui_core, runner=runner, login=LOGIN, outage=(desk, switch))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=15_000):
        window.begin()
    outage = window.outage
    assert outage is not None
    window.show_page("page.health")
    assert outage.conflicts_button.isVisible()  # a supervisor's
    dialog = outage.open_conflicts()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=15_000)
    kinds = {dialog.table.item(r, 0).text() for r in range(2)}
    assert kinds == {"dieselbe Person zweimal aufgenommen", "auf beiden Seiten geändert"}
    rows = {dialog.table.item(r, 0).text(): r for r in range(2)}
    both = rows["auf beiden Seiten geändert"]
    assert "offline: " in dialog.table.item(both, 5).text()
    twice = rows["dieselbe Person zweimal aufgenommen"]
    assert dialog.table.item(twice, 4).text() != dialog.table.item(twice, 5).text()
    assert "In Bearbeitung · bei a.clerk" in dialog.table.item(twice, 5).text()
    if folder := os.environ.get("SCREENSHOT_DIR"):
        dialog.grab().save(str(Path(folder) / "outage-conflicts.png"))
    dialog.table.selectRow(0)
    dialog.decision.setText("Doppelter Vorgang storniert")
    dialog.resolve_button.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=15_000)
    assert len(desk.conflicts(user=supervisor)) == 1
    dialog.close()
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=20_000)
