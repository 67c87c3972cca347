"""GUI fixtures: the real main window on a real SQLite store with demo data, offscreen."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.integrations.settings import Settings
from app.store.database import upgrade
from app.wiring import Core, build_core, seed_demo
from tests.conftest import FixedClock
from ui.i18n import set_language
from ui.main_window import MainWindow
from ui.tasks import TaskRunner

LOGIN = "a.clerk"
DEMO_CASES = 120


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    core = build_core(Settings(database_url=f"sqlite:///{path}"), clock=FixedClock())
    upgrade(core.database.engine)
    seed_demo(core, count=DEMO_CASES, if_empty=False, login=LOGIN)
    core.close()
    return path


@pytest.fixture
def gui_core(demo_template: Path, tmp_path: Path, clock: FixedClock) -> Iterator[Core]:
    import shutil

    target = tmp_path / "desk.sqlite3"
    shutil.copy(demo_template, target)
    core = build_core(
        Settings(database_url=f"sqlite:///{target}", database_timeout_ms=200), clock=clock
    )
    yield core
    core.close()


@pytest.fixture(autouse=True)
def no_running_timers(qapp: QApplication) -> Iterator[None]:
    """A test that leaves a timer running (a pull, a search delay) fails: it would fire into
    the next test (napari's fixture shape). Widgets are closed by qtbot before this looks."""
    yield
    running = [
        f"{type(timer.parent()).__name__}.{timer.objectName() or 'timer'}"
        for widget in qapp.topLevelWidgets()
        if not widget.isVisible()
        for timer in widget.findChildren(QTimer)
        if timer.isActive()
    ]
    assert not running, f"timers left running: {running}"


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    deadline = time.monotonic() + 10
    while runner.pending and time.monotonic() < deadline:  # let the last results arrive
        qapp.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    assert runner.pending == 0, f"{runner.pending} lane task(s) left unfinished by the test"
    runner.shutdown()
    runner.wait_network(timeout=30)  # a stopped pull ends after the submission in hand
    leaked = [t.name for t in threading.enumerate() if t.name.startswith("lane-")]
    assert not leaked, f"task runner threads left running: {leaked}"


@pytest.fixture
def window(qtbot: QtBot, gui_core: Core, runner: TaskRunner) -> Iterator[MainWindow]:
    set_language("de")
    window = MainWindow(core=gui_core, runner=runner, login=LOGIN)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.begin()
    yield window
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=10_000)
    set_language("de")
