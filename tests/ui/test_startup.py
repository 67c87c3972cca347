"""Start-up refusals: a newer schema, an unknown login."""

from __future__ import annotations

import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from app.cli import Core
from app.domain.errors import DomainError
from app.store.database import SchemaMismatch
from ui.main_window import MainWindow
from ui.tasks import TaskRunner


def test_newer_schema_refuses_to_start(qtbot: QtBot, gui_core: Core, runner: TaskRunner) -> None:
    with gui_core.database.engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
    window = MainWindow(core=gui_core, runner=runner, login="a.clerk")
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.startup_failed, timeout=10_000) as failed:
        window.begin()
    error = failed.args[0]
    assert isinstance(error, SchemaMismatch)
    assert "0099" in str(error) and "0001" in str(error)


def test_unknown_login_is_refused(qtbot: QtBot, gui_core: Core, runner: TaskRunner) -> None:
    window = MainWindow(core=gui_core, runner=runner, login="nobody")
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.startup_failed, timeout=10_000) as failed:
        window.begin()
    assert isinstance(failed.args[0], DomainError)
    assert "nobody" in failed.args[0].text("de")
