"""The real window on a copy of the demo database, on whatever display Qt was given (Xvfb in
the tests that need a real one). `run_window(act)` calls `act(window, finish)` once the inbox
is shown; `finish(result)` prints the result as JSON and ends the application."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_window(act: Callable[..., None], *, size: tuple[int, int] | None = None) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.integrations.settings import Settings
    from app.wiring import build_core
    from ui.main_window import MainWindow
    from ui.tasks import TaskRunner

    database, login = sys.argv[1], sys.argv[2]
    application = QApplication([Path(sys.argv[0]).stem])
    core = build_core(Settings(database_url=f"sqlite:///{database}", login=login))
    runner = TaskRunner()
    window = MainWindow(core=core, runner=runner, login=login)
    if size is not None:
        window.resize(*size)
    window.show()
    window.begin()

    def finish(result: dict[str, object]) -> None:
        print(json.dumps(result), flush=True)
        if window.case_page.active_dialog is not None:
            window.case_page.active_dialog.reject()
        window.close()
        application.quit()

    window.ready.connect(lambda: QTimer.singleShot(300, lambda: act(window, finish)))
    QTimer.singleShot(30_000, lambda: finish({"error": "timed out"}))
    try:
        return int(application.exec())
    finally:
        runner.shutdown()
        core.close()


def on_x(module: str, database: Path, login: str, **environment: str) -> dict[str, object]:
    """Run `python -m module database login` on a fresh Xvfb screen (1600x1000) with Qt's xcb
    platform, and return the JSON it printed last."""
    import os

    done = subprocess.run(
        [
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 1600x1000x24",
            sys.executable,
            "-m",
            module,
            str(database),
            login,
        ],
        capture_output=True,
        text=True,
        env={
            **{k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")},
            "QT_QPA_PLATFORM": "xcb",
            **environment,
        },
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
