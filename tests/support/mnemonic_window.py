"""Alt+letter on a real X display: select a received case, press Alt+M (Übernehmen), then
Alt+I (Identität prüfen…); print the case's status and the dialog that opened."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.domain.cases import CaseStatus
from tests.support.real_window import run_window
from ui.main_window import MainWindow

ALT = Qt.KeyboardModifier.AltModifier


def act(window: MainWindow, finish: Callable[[dict[str, object]], None]) -> None:
    seen: dict[str, object] = {}

    def alt(key: Qt.Key) -> None:
        QTest.keyClick(QApplication.focusWidget() or window, key, ALT)

    def identity() -> None:
        alt(Qt.Key.Key_I)
        QTimer.singleShot(
            500,
            lambda: finish({**seen, "dialog": type(window.case_page.active_dialog).__name__}),
        )

    def claimed(_case_id: int) -> None:
        window.case_page.shown.disconnect(claimed)
        seen["status"] = window.core.cases.get(window.case_page.case_id or 0).status.value
        QTimer.singleShot(300, identity)

    def chosen(_case_id: int) -> None:
        window.case_page.shown.disconnect(chosen)
        window.case_page.shown.connect(claimed)
        window.inbox.table.setFocus()
        alt(Qt.Key.Key_M)

    window.activateWindow()
    model = window.inbox.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).status is CaseStatus.RECEIVED)
    window.case_page.shown.connect(chosen)
    window.inbox.table.selectRow(row)


if __name__ == "__main__":
    sys.exit(run_window(act))
