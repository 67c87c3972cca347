"""The inbox table model without a window: paging, stale results, display roles."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.domain.cases import CaseStatus
from app.domain.inbox import InboxQuery
from app.wiring import Core
from ui.inbox_model import CASE_ID_ROLE, Column, InboxTableModel
from ui.tasks import TaskRunner


def make_model(core: Core, runner: TaskRunner, page_size: int = 10) -> InboxTableModel:
    return InboxTableModel(
        desk=core.desk,
        runner=runner,
        service_names=lambda sid: core.catalogue.service(sid).name("de"),
        office_codes=lambda oid: str(oid),
        page_size=page_size,
        now=core.clock.now,
    )


def test_pages_arrive_one_at_a_time(qtbot: QtBot, gui_core: Core, runner: TaskRunner) -> None:
    model = make_model(gui_core, runner)
    with qtbot.waitSignals([model.loaded, model.counted], timeout=10_000):
        model.set_query(InboxQuery())
    assert model.total == 120
    assert model.rowCount() == 10 and model.canFetchMore()
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.fetchMore()
    assert model.rowCount() == 20
    ids = [model.data(model.index(r, 0), CASE_ID_ROLE) for r in range(20)]
    assert len(set(ids)) == 20


def test_a_newer_query_wins_over_a_slower_older_one(
    qtbot: QtBot, gui_core: Core, runner: TaskRunner
) -> None:
    model = make_model(gui_core, runner)
    model.set_query(InboxQuery())
    with qtbot.waitSignal(model.counted, timeout=10_000) as counted:
        model.set_query(InboxQuery(statuses=frozenset({CaseStatus.CLOSED})))
    qtbot.waitUntil(lambda: runner.pending == 0)
    assert counted.args[0] == model.total < 120
    assert {model.row_at(r).status for r in range(model.rowCount())} == {CaseStatus.CLOSED}


def test_count_is_capped_and_paging_runs_to_the_end(
    qtbot: QtBot, gui_core: Core, runner: TaskRunner
) -> None:
    model = InboxTableModel(
        desk=gui_core.desk,
        runner=runner,
        service_names=str,
        office_codes=str,
        page_size=50,
        count_cap=100,
    )
    with qtbot.waitSignal(model.counted, timeout=10_000) as counted:
        model.set_query(InboxQuery())
    assert counted.args == [101]  # "more than 100"
    while model.canFetchMore():
        with qtbot.waitSignal(model.loaded, timeout=10_000):
            model.fetchMore()
    assert model.rowCount() == 120 and not model.canFetchMore()


def test_overdue_is_said_in_words_not_only_colour(
    qtbot: QtBot, gui_core: Core, runner: TaskRunner
) -> None:
    model = make_model(gui_core, runner, page_size=200)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_query(
            InboxQuery(statuses=frozenset({CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS}))
        )
    due_texts = [model.data(model.index(r, Column.DUE)) for r in range(model.rowCount())]
    overdue = [r for r in range(model.rowCount()) if model.row_at(r).due_at < gui_core.clock.now()]
    assert overdue, "demo data has overdue open cases"
    for row in overdue:
        assert "überfällig" in due_texts[row]
        assert model.data(model.index(row, Column.DUE), 9) is not None  # ForegroundRole
