"""GUI fixtures: the real main window on a real SQLite store with demo data, offscreen."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
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


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
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
