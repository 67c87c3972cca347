"""The window on a 1280x800 screen (the offices' older PCs) and on a 1600x1000 one: nothing
cut off or scrolled out of sight. The case's buttons go three a row where four do not fit;
the inbox hides its least-needed columns, says which, and shows them again when wider."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.domain.cases import CaseStatus
from tests.ui.test_main_window import select_case
from ui.inbox_model import Column
from ui.main_window import MainWindow

ESSENTIAL = (Column.REFERENCE, Column.APPLICANT, Column.SERVICE, Column.STATUS, Column.DUE)


def buttons_in_sight(window: MainWindow) -> list[str]:
    """The visible case buttons that stick out of the case pane's visible width."""
    view = window.case_page.view
    viewport = view.body_scroll.viewport()
    cut = []
    for key, button in view.buttons.items():
        if isinstance(button, QPushButton) and button.isVisible():
            right = button.mapTo(viewport, button.rect().topRight()).x()
            if right > viewport.width():
                cut.append(key)
    return cut


def status_bar_overlaps(window: MainWindow) -> list[tuple[str, str]]:
    """Pairs of visible status-bar widgets drawn over each other, or past the bar's end."""
    bar = window.statusBar()
    shown = [w for w in bar.findChildren(QWidget) if w.isVisible() and w.parent() is bar]
    clashes = [(type(w).__name__, "end") for w in shown if w.geometry().right() > bar.width()]
    for i, one in enumerate(shown):
        for other in shown[i + 1 :]:
            if one.geometry().intersects(other.geometry()):
                clashes.append((type(one).__name__, type(other).__name__))
    return clashes


def test_on_a_1280_screen_nothing_is_cut_off(qtbot: QtBot, window: MainWindow) -> None:
    select_case(qtbot, window, CaseStatus.RECEIVED)
    window.resize(1280, 770)
    view, inbox = window.case_page.view, window.inbox
    qtbot.waitUntil(lambda: view.body_scroll.viewport().width() < 520, timeout=5_000)
    qtbot.wait(100)
    assert view.button_rows.columns in (2, 3)  # as many as fit: never a column cut off
    assert buttons_in_sight(window) == []
    assert view.body_scroll.horizontalScrollBar().maximum() == 0
    assert inbox.table.horizontalScrollBar().maximum() == 0
    assert not any(inbox.table.isColumnHidden(column) for column in ESSENTIAL)
    assert inbox.columns.hidden  # some made way, and the header says which
    assert "Kanal" in inbox.header().toolTip()
    assert status_bar_overlaps(window) == []

    window.resize(1600, 1000)
    qtbot.waitUntil(lambda: view.button_rows.columns >= 3, timeout=5_000)
    qtbot.waitUntil(lambda: len(inbox.columns.hidden) <= 1, timeout=5_000)
    assert buttons_in_sight(window) == []
    assert inbox.table.horizontalScrollBar().maximum() == 0

    window.resize(1900, 1000)  # a full-HD screen: every column
    qtbot.waitUntil(lambda: not inbox.columns.hidden, timeout=5_000)
    assert not any(inbox.table.isColumnHidden(column) for column in Column)
    assert inbox.header().toolTip() == ""
