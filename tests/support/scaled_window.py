"""The real window at a large scale factor on a real (virtual) X screen: prints the screen's
and the window's geometry once the inbox is shown, as JSON, and exits."""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.integrations.settings import Settings
from app.wiring import build_core
from ui.main_window import MainWindow
from ui.tasks import TaskRunner


def main() -> int:
    database, login = sys.argv[1], sys.argv[2]
    application = QApplication(["scaled_window"])
    core = build_core(Settings(database_url=f"sqlite:///{database}", login=login))
    runner = TaskRunner()
    window = MainWindow(core=core, runner=runner, login=login)
    window.resize(1500, 900)  # the window's own first size, in logical pixels
    window.show()
    window.begin()

    def report() -> None:
        screen = window.screen().availableGeometry()
        frame = window.frameGeometry()
        print(
            json.dumps(
                {
                    "scale": window.devicePixelRatioF(),
                    "screen": [screen.x(), screen.y(), screen.width(), screen.height()],
                    "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
                    "minimum": [
                        window.minimumSizeHint().width(),
                        window.minimumSizeHint().height(),
                    ],
                }
            ),
            flush=True,
        )
        window.close()
        application.quit()

    window.ready.connect(lambda: QTimer.singleShot(200, report))
    try:
        return int(application.exec())
    finally:
        runner.shutdown()
        core.close()


if __name__ == "__main__":
    sys.exit(main())
