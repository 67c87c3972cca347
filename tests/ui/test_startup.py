"""Start-up refusals: a newer schema, an unknown login."""

from __future__ import annotations

import sqlalchemy as sa
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.errors import DomainError
from app.store.database import SchemaMismatch, head_revision
from app.wiring import Core
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
    assert "0099" in str(error) and head_revision() in str(error)


def test_unknown_login_is_refused(qtbot: QtBot, gui_core: Core, runner: TaskRunner) -> None:
    window = MainWindow(core=gui_core, runner=runner, login="nobody")
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.startup_failed, timeout=10_000) as failed:
        window.begin()
    assert isinstance(failed.args[0], DomainError)
    assert "nobody" in failed.args[0].text("de")


def test_unreachable_server_shows_banner_and_retry(qtbot: QtBot, runner: TaskRunner) -> None:
    from app.integrations.settings import Settings
    from app.wiring import build_core
    from sandbox.pgcluster import free_port

    url = f"postgresql+psycopg://desk@127.0.0.1:{free_port()}/buergerbuero"  # nothing listens
    core = build_core(Settings(database_url=url, database_timeout_ms=1000))
    window = MainWindow(core=core, runner=runner, login="a.clerk")
    qtbot.addWidget(window)
    window.show()
    window.begin()
    qtbot.waitUntil(window.banner.isVisible, timeout=10_000)
    assert "nicht erreichbar" in window.banner.text.text()
    assert window.banner.retry_button.isEnabled()
    qtbot.mouseClick(window.banner.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: runner.pending == 0 and window.banner.isVisible(), timeout=10_000)
    core.close()
