"""Keyboard-only operation and screen-reader names (BITV 2.0 / WCAG 2.1 AA basics)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QTableView
from pytestqt.qtbot import QtBot

from app.domain.cases import CaseStatus
from ui.main_window import MainWindow


def test_every_input_has_an_accessible_name_or_text(qtbot: QtBot, window: MainWindow) -> None:
    row = next(
        r
        for r in range(window.inbox.model.rowCount())
        if window.inbox.model.row_at(r).status is CaseStatus.RECEIVED
    )
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        window.inbox.table.selectRow(row)
    unnamed = [
        widget.objectName() or type(widget).__name__
        for kind in (QLineEdit, QComboBox, QPlainTextEdit, QTableView, QAbstractButton)
        for widget in window.findChildren(kind)
        if widget.isVisible()
        and not widget.accessibleName()
        and not (isinstance(widget, QAbstractButton) and widget.text())
        and widget.parent() is not None
        and type(widget.parent()).__name__
        not in ("QComboBox", "QScrollBar", "QHeaderView", "QLineEdit")
    ]
    assert unnamed == []


def test_case_actions_have_keyboard_mnemonics(window: MainWindow) -> None:
    for key, button in window.case_page.view.buttons.items():
        assert "&" in button.text(), key
    for action in (window.new_action, window.refresh_action):
        assert not action.shortcut().isEmpty()


def test_keyboard_only_walk_in_and_search(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.inbox.search.hasFocus()
    qtbot.keyClick(window.inbox.search, Qt.Key.Key_Tab)
    assert window.inbox.status_filter.hasFocus()  # the filters follow the search field in tab order
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.walk_in.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
