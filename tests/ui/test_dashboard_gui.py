"""The supervisors' "Übersicht" in the real window on the demo data: a supervisor gets the page,
a clerk does not; the figures load on the database lane into charts and tables; Enter on an
SLA row opens the inbox filtered to that service's open cases; an export is written. With
SCREENSHOT_DIR set, the dashboard is saved there."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from app.domain.users import Role
from app.wiring import Core, build_reports
from tests.ui.conftest import LOGIN
from ui.i18n import set_language
from ui.main import render_report
from ui.main_window import MainWindow
from ui.tasks import TaskRunner


def opened(qtbot: QtBot, core: Core, runner: TaskRunner, login: str) -> MainWindow:
    set_language("de")
    window = MainWindow(
        core=core,
        runner=runner,
        login=login,
        reports=build_reports(core),
        render_report=lambda kind, report, tables: render_report(
            core.settings, kind, report, tables
        ),
    )
    qtbot.addWidget(window)
    window.resize(1500, 1000)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.begin()
    return window


@pytest.fixture
def supervisor_window(qtbot: QtBot, gui_core: Core, runner: TaskRunner) -> Iterator[MainWindow]:
    window = opened(qtbot, gui_core, runner, LOGIN)  # the demo's admin ranks above supervisor
    yield window
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=20_000)


def test_the_dashboard_loads_drills_down_and_exports(
    qtbot: QtBot, supervisor_window: MainWindow, tmp_path: Path
) -> None:
    page = supervisor_window.dashboard
    assert page is not None
    page.first.setDate(QDate(2026, 1, 1))
    page.last.setDate(QDate(2026, 11, 20))
    supervisor_window.show_page("page.dashboard")
    page.load()
    qtbot.waitUntil(
        lambda: page.report is not None and page.sla_table.rowCount() > 0, timeout=20_000
    )
    assert page.incoming_chart.series() and page.backlog_chart.series()
    assert page.backlog_table.rowCount() == 16  # four offices, four age buckets
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        supervisor_window.resize(1500, 1000)
        qtbot.wait(200)
        supervisor_window.grab().save(str(Path(folder) / "dashboard.png"))
    supervisor_window.resize(1280, 770)  # a 1280x800 screen, less the task bar
    qtbot.waitUntil(lambda: page.reflow.columns == 1, timeout=5_000)
    qtbot.wait(200)
    for table in (page.backlog_table, page.sla_table, page.processing_table):
        # every row and every figure (p50, p90) in sight: no table scrolled inside the page
        assert table.verticalScrollBar().maximum() == 0, table.rowCount()
        assert table.horizontalScrollBar().maximum() == 0
    if folder:
        supervisor_window.grab().save(str(Path(folder) / "dashboard-1280x800.png"))

    sla = page.report.sla  # type: ignore[union-attr]
    row = max(range(len(sla)), key=lambda r: sla[r]["open_overdue"])
    assert sla[row]["open_overdue"] > 0  # the demo has late cases: the filter has work
    page.sla_table.setFocus()
    page.sla_table.setCurrentCell(row, 0)
    qtbot.keyClick(page.sla_table, Qt.Key.Key_Return)
    assert supervisor_window.pages.currentWidget() is supervisor_window.splitter
    inbox = supervisor_window.inbox
    assert inbox.service_filter.currentData() == sla[row]["service"]
    assert inbox.status_filter.currentData() == "open"
    # the row's "davon überfällig", not all its open cases: the same calendar as the inbox's
    assert inbox.age_filter.currentText() == "überfällig (Frist)"
    qtbot.waitUntil(
        lambda: not inbox.model.loading and inbox.model.total is not None, timeout=10_000
    )
    overdue = sla[row]["open_overdue"]
    assert inbox.model.total == overdue
    rows = [inbox.model.row_at(r) for r in range(inbox.model.rowCount())]
    assert all(inbox.model._overdue(row) for row in rows)  # each marked "überfällig"

    target = tmp_path / "bericht.xlsx"
    page.export("xlsx", target)
    qtbot.waitUntil(target.exists, timeout=20_000)
    qtbot.waitUntil(lambda: "Gespeichert" in page.message.text(), timeout=10_000)


def test_a_clerk_has_no_dashboard(qtbot: QtBot, gui_core: Core, runner: TaskRunner) -> None:
    office = gui_core.users.offices()[0]
    gui_core.users.save_user(
        actor="setup",
        at=gui_core.clock.now(),
        login="t.clerk",
        display_name="T. Clerk",
        role=Role.CLERK,
        office_id=office.id,
        active=True,
    )
    window = opened(qtbot, gui_core, runner, "t.clerk")
    assert window.dashboard is None
    assert "page.dashboard" not in window.page_set.keys
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=20_000)
