"""Alt+letter on a real X display (Xvfb): select a received case, press Alt+B (Übernehmen),
then Alt+I (Identität geprüft…); print what happened as JSON."""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.domain.cases import CaseStatus
from app.integrations.settings import Settings
from app.wiring import build_core
from ui.main_window import MainWindow
from ui.tasks import TaskRunner

ALT = Qt.KeyboardModifier.AltModifier


def main() -> int:
    database, login = sys.argv[1], sys.argv[2]
    application = QApplication(["mnemonic_window"])
    core = build_core(Settings(database_url=f"sqlite:///{database}", login=login))
    runner = TaskRunner()
    window = MainWindow(core=core, runner=runner, login=login)
    window.show()
    window.begin()
    seen: dict[str, object] = {}

    def finish() -> None:
        print(json.dumps(seen), flush=True)
        if window.case_page.active_dialog is not None:
            window.case_page.active_dialog.reject()
        window.close()
        application.quit()

    def alt(key: Qt.Key) -> None:
        QTest.keyClick(QApplication.focusWidget() or window, key, ALT)

    def identity() -> None:
        alt(Qt.Key.Key_I)
        QTimer.singleShot(
            500,
            lambda: seen.update(dialog=type(window.case_page.active_dialog).__name__) or finish(),
        )

    def claimed(_case_id: int) -> None:
        window.case_page.shown.disconnect(claimed)
        seen["status"] = core.cases.get(window.case_page.case_id or 0).status.value
        QTimer.singleShot(300, identity)

    def chosen(_case_id: int) -> None:
        window.case_page.shown.disconnect(chosen)
        window.case_page.shown.connect(claimed)
        window.inbox.table.setFocus()
        alt(Qt.Key.Key_B)

    def ready() -> None:
        window.activateWindow()
        model = window.inbox.model
        row = next(
            r for r in range(model.rowCount()) if model.row_at(r).status is CaseStatus.RECEIVED
        )
        window.case_page.shown.connect(chosen)
        window.inbox.table.selectRow(row)

    window.ready.connect(lambda: QTimer.singleShot(300, ready))
    QTimer.singleShot(30_000, finish)
    try:
        return int(application.exec())
    finally:
        runner.shutdown()
        core.close()


if __name__ == "__main__":
    sys.exit(main())
