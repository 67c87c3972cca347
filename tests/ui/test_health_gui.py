"""The health view in the window: the status bar says every system is reachable; the mail
relay really stopped, "Jetzt alle prüfen" finds it, the status bar names it in red and a click
on it opens the "Systeme" page with the reason and what the clerk can still do; the relay
started again, the next check finds it back. With SCREENSHOT_DIR set, the page is saved as a
picture (make screenshots)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.health import System
from app.wiring import Core
from sandbox.smtp_sink import SmtpSink
from tests.conftest import SealSetup
from tests.ui.conftest import LOGIN
from ui.i18n import set_language
from ui.main_window import MainWindow
from ui.tasks import TaskRunner


@pytest.fixture
def mail_window(
    qtbot: QtBot, gui_core: Core, runner: TaskRunner, sink: SmtpSink
) -> Iterator[MainWindow]:
    set_language("de")
    gui_core.settings = dataclasses.replace(
        gui_core.settings, smtp_host="127.0.0.1", smtp_port=sink.port
    )
    window = MainWindow(core=gui_core, runner=runner, login=LOGIN)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.begin()
    window.resize(1500, 860)
    yield window
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=10_000)


def test_a_stopped_relay_shows_in_the_status_bar_and_on_the_page(
    qtbot: QtBot, mail_window: MainWindow, sink: SmtpSink
) -> None:
    health = mail_window.health
    indicator = health.indicator
    qtbot.waitUntil(lambda: "Alle Systeme erreichbar" in indicator.text(), timeout=15_000)
    assert indicator.isVisible()
    sink.stop()
    health.page.check_button.click()
    qtbot.waitUntil(lambda: "Mail-Server" in indicator.text(), timeout=20_000)
    assert indicator.text().startswith("▲ Nicht erreichbar")
    qtbot.mouseClick(indicator, Qt.MouseButton.LeftButton)
    assert mail_window.pages.currentWidget() is health.page
    table = health.page.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "Mail-Server")
    assert table.item(row, 1).text() == "▲ nicht erreichbar"
    assert "ConnectionRefused" in table.item(row, 4).text()
    assert "Alles an der Theke" in table.item(row, 5).text()
    assert table.item(row, 3).text()  # the next try
    database = next(
        r for r in range(table.rowCount()) if table.item(r, 0).text().startswith("Zentrale")
    )
    assert table.item(database, 1).text() == "● erreichbar" and table.item(database, 2).text()
    qtbot.waitUntil(lambda: health.page.outbox.text().startswith("Ausgang"), timeout=10_000)
    qtbot.wait(50)  # the rows take their height at the page's width
    if folder := os.environ.get("SCREENSHOT_DIR"):
        mail_window.grab().save(str(Path(folder) / "health.png"))
    sink.start()
    health.page.check_button.click()
    qtbot.waitUntil(lambda: "Alle Systeme erreichbar" in indicator.text(), timeout=20_000)
    assert mail_window.core.health.health(System.MAIL).failures == 0
    qtbot.waitUntil(lambda: not health._probing, timeout=10_000)


def test_originals_sealed_without_the_tsa_get_their_timestamp_when_it_answers(
    qtbot: QtBot, gui_core: Core, runner: TaskRunner, seal: SealSetup
) -> None:
    """An original sealed B-B while the TSA was down waits in the register; the window that
    finds the TSA reachable adds its document timestamp on the printing lane by itself."""
    from app.domain.documents import DocumentKind
    from printing import pades, verify
    from printing.maker import SealedDocumentMaker
    from printing.wiring import build_documents
    from sandbox.document_samples import sample_content
    from sandbox.seal_pki import SIGNER_ID
    from sandbox.tsa import TimestampAuthority
    from tests.conftest import decided_walk_in

    set_language("de")
    clerk = gui_core.users.by_login(LOGIN)
    assert clerk is not None
    case = gui_core.cases.get(decided_walk_in(gui_core, clerk))
    with TimestampAuthority(seal.pki) as gone:
        url = gone.url
    maker = SealedDocumentMaker(seal.key, signer_id=SIGNER_ID, location="Siegen", timestamp_url=url)
    made = maker.make(sample_content(DocumentKind.MELDEBESCHEINIGUNG))
    assert made.timestamp_pending
    reservation = gui_core.documents.reserve(
        case, DocumentKind.MELDEBESCHEINIGUNG, by=LOGIN, at=gui_core.clock.now()
    )
    issued = gui_core.documents.record(reservation, made, by=LOGIN)
    with TimestampAuthority(seal.pki) as tsa:
        gui_core.settings = dataclasses.replace(gui_core.settings, seal_timestamp_url=tsa.url)
        window = MainWindow(
            core=gui_core,
            runner=runner,
            login=LOGIN,
            documents=build_documents(gui_core),
            trust=lambda: seal.trust,
        )
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(window.ready, timeout=15_000):
            window.begin()
        qtbot.waitUntil(lambda: not gui_core.documents.awaiting_timestamp(limit=5), timeout=30_000)
        qtbot.waitUntil(lambda: runner.pending == 0, timeout=20_000)
    verdict = verify.check_pdf(gui_core.documents.pdf(issued.id), seal.trust)
    assert verdict.ok and verdict.signatures[-1].role is pades.Role.TIMESTAMP
    assert gui_core.audit.verify() == []
