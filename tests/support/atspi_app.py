"""The real window on a copy of the demo database, for the AT-SPI probe: started inside the
probe's D-Bus session on its own X display, with Qt's accessibility bridge switched on."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from app.integrations.settings import Settings
from app.wiring import build_core
from ui.i18n import set_language
from ui.main_window import MainWindow
from ui.tasks import TaskRunner


def main() -> int:
    database, login = sys.argv[1], sys.argv[2]
    application = QApplication(["atspi_app"])
    set_language("de")
    core = build_core(Settings(database_url=f"sqlite:///{database}", login=login))
    runner = TaskRunner()
    window = MainWindow(core=core, runner=runner, login=login)
    window.resize(1400, 900)
    window.show()
    window.begin()
    try:
        return int(application.exec())
    finally:
        runner.shutdown()
        core.close()


if __name__ == "__main__":
    sys.exit(main())
