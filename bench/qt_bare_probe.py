"""The raw limit of a cold start: the interpreter, Qt and one empty main window shown, nothing
of ours. bench_inbox.py runs it beside the real start in the same run."""

from __future__ import annotations

import json
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView


def main() -> None:
    application = QApplication([])
    window = QMainWindow()
    window.setCentralWidget(QTableView())
    window.resize(1500, 900)
    window.show()
    QTimer.singleShot(0, application.quit)  # the first turn of the event loop: on screen
    application.exec()
    print(json.dumps({"event": "ready"}), flush=True)
    os._exit(0)


if __name__ == "__main__":
    main()
