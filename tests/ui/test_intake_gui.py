"""The intake in the window: pull on demand with the portal's state in the status bar, the
quarantine list, and a portal that is down while the app stays usable."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.cases import Channel
from app.domain.inbox import InboxQuery
from app.domain.intake import IntakeRecord, SettleReason
from app.integrations.secrets import KeyringSecretStore
from app.services.intake import IntakeResult
from app.wiring import CLIENT_SECRET, Core, build_intake
from app.wiring import MAILBOX_PASSWORD as MAILBOX_PASSWORD_SECRET
from sandbox.fitconnect.process import SandboxProcess
from sandbox.fitconnect.sender import Sender
from sandbox.fitconnect.setup import prepare
from sandbox.imap import PrivateImap
from sandbox.paper_forms import PARKING_APPLICATION, filled_form, form_mail
from tests.conftest import MAILBOX_PASSWORD, MAILBOX_USER
from tests.integrations.conftest import intake_settings
from tests.support.keys import activate
from tests.ui.conftest import LOGIN
from tests.ui.test_small_screen import status_bar_overlaps
from ui.intake_controller import IntakeController
from ui.main import window_intake
from ui.main_window import MainWindow
from ui.quarantine_page import raw_file_name
from ui.tasks import TaskRunner


@pytest.fixture
def portal(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[SandboxProcess]:
    template = tmp_path_factory.getbasetemp() / "gui-sandbox-template"
    if not template.exists():
        prepare(template)
    shutil.copytree(template, tmp_path / "sandbox")
    with SandboxProcess(tmp_path / "sandbox") as process:
        yield process


@pytest.fixture
def intake_window(
    qtbot: QtBot, gui_core: Core, runner: TaskRunner, portal: SandboxProcess
) -> Iterator[MainWindow]:
    gui_core.settings = intake_settings(gui_core, portal)
    KeyringSecretStore().set(CLIENT_SECRET, portal.description["subscriber_client_secret"])
    window = MainWindow(
        core=gui_core,
        runner=runner,
        login=LOGIN,
        intake=window_intake(gui_core, runner, holder="gui-test", build=build_intake),
    )
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.begin()
    assert window.intake is not None
    window.intake.stop()  # the test pulls by hand
    yield window
    window.intake.stop()
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=20_000)


def test_pull_shows_new_cases_and_quarantine(
    qtbot: QtBot, intake_window: MainWindow, gui_core: Core, portal: SandboxProcess
) -> None:
    d = portal.description
    sender = Sender(
        portal.base_url,
        d["destination_id"],
        d["sender_client_id"],
        d["sender_client_secret"],
        now=gui_core.clock.now,
    )
    for service in ("meldebescheinigung_einfach", "bewohnerparkausweis"):
        sender.submit(service)
    sender.submit("geburtsurkunde", bad="attachment-hash")
    controller = intake_window.intake
    assert controller is not None
    with qtbot.waitSignal(controller.pulled, timeout=30_000) as pulled:
        qtbot.keyClick(intake_window, Qt.Key.Key_F6)
    reference = pulled.args[0].cases[0]
    intake_window.inbox.channel_filter.setCurrentIndex(
        intake_window.inbox.channel_filter.findData("online")
    )
    qtbot.waitUntil(
        lambda: not intake_window.inbox.model.loading and intake_window.runner.pending == 0,
        timeout=10_000,
    )
    assert "erreichbar" in controller.status.text() and "2 neu" in controller.status.text()
    # the open quarantine, not only this pull's: a later pull with none must not show 0
    qtbot.waitUntil(lambda: "1 offen in Quarantäne" in controller.status.text(), timeout=10_000)
    for width in (1280, 1000):  # the older PCs: the line shortened, never over its neighbours
        intake_window.resize(width, 770)
        qtbot.waitUntil(lambda w=width: intake_window.statusBar().width() <= w, timeout=5_000)
        qtbot.wait(50)
        assert status_bar_overlaps(intake_window) == []
    assert controller.status.shown_text().endswith("…")
    assert "1 offen in Quarantäne" in controller.status.toolTip()
    assert gui_core.desk.inbox_count(InboxQuery(channel=Channel.ONLINE, search="")) >= 2
    dialog = controller.open_quarantine()
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        pass
    assert dialog.table.rowCount() == 1
    assert "Prüfsumme" in dialog.table.item(0, 3).text()
    assert dialog.table.item(0, 1).text() == "Geburtsurkunde"  # the service, from the portal
    assert dialog.table.item(0, 4).text() == dialog.records[0].submission_id
    dialog.table.selectRow(0)
    target = Path(portal.directory) / "raw.json"
    dialog.save_raw(str(target))
    qtbot.waitUntil(lambda: target.exists() and target.stat().st_size > 0, timeout=10_000)
    settled_id = dialog.records[0].submission_id
    assert any(  # the raw bytes are personal data: reading them is audited
        r.entry.action == "intake.quarantine_read" and r.entry.subject == settled_id
        for r in gui_core.audit.records()
    )
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.settle(SettleReason.APPLICANT_INFORMED)  # the clerk told the applicant
    assert dialog.table.rowCount() == 0
    assert dialog.message.text() == f"Erledigt: {settled_id}"
    [audit] = [r for r in gui_core.audit.records() if r.entry.action == "intake.quarantine_settled"]
    assert (audit.entry.actor, audit.entry.subject, audit.entry.detail) == (
        LOGIN,
        settled_id,
        "applicant-informed",
    )

    intake_window.inbox.search.setText(reference)
    intake_window.apply_filters()
    qtbot.waitUntil(
        lambda: not intake_window.inbox.model.loading and intake_window.inbox.model.rowCount() == 1,
        timeout=10_000,
    )
    with qtbot.waitSignal(intake_window.case_page.shown, timeout=10_000):
        intake_window.inbox.table.selectRow(0)
    details = intake_window.case_page.view.details
    assert details is not None and details.attachments
    with qtbot.waitSignal(intake_window.case_page.attachment_shown, timeout=10_000) as shown:
        intake_window.case_page.open_attachment(details.attachments[0].id)
    viewer = shown.args[0]
    assert viewer.kind == "pdf" and len(viewer.decoded.pages) == 1
    viewer.close()


def test_portal_down_says_so_and_the_app_stays_usable(
    qtbot: QtBot, intake_window: MainWindow, portal: SandboxProcess
) -> None:
    controller = intake_window.intake
    assert controller is not None
    portal.faults(down=True)
    with qtbot.waitSignal(controller.failed, timeout=30_000):
        controller.pull()
    assert "NICHT erreichbar" in controller.status.text()
    assert controller.timer.isActive()  # the next try is scheduled, backing off
    intake_window.inbox.status_filter.setCurrentIndex(
        intake_window.inbox.status_filter.findData("")
    )
    qtbot.waitUntil(lambda: not intake_window.inbox.model.loading, timeout=10_000)
    assert intake_window.inbox.model.rowCount() > 0


def test_mailed_forms_arrive_with_the_pull_and_a_refused_mailbox_is_named(
    qtbot: QtBot,
    intake_window: MainWindow,
    gui_core: Core,
    runner: TaskRunner,
    portal: SandboxProcess,
    imap_server: PrivateImap,
) -> None:
    """The seat pulls the portal and the forms mailbox together: the status bar tells the
    mailbox's trouble beside the portal's state, and the forms arrive once it is fixed."""
    gui_core.settings = dataclasses.replace(
        gui_core.settings,
        form_mailbox_host="127.0.0.1",
        form_mailbox_port=imap_server.port,
        form_mailbox_security="none",
        form_mailbox_user=MAILBOX_USER,
    )
    form = filled_form(gui_core.catalogue, "bewohnerparkausweis", PARKING_APPLICATION)
    imap_server.deliver(MAILBOX_USER, form_mail("j@example.org", "Antrag", {"antrag.pdf": form}))
    controller = intake_window.intake
    assert controller is not None
    controller.rebuild(window_intake(gui_core, runner, holder="gui-test").build)
    KeyringSecretStore().set(MAILBOX_PASSWORD_SECRET, "falsch")
    with qtbot.waitSignal(controller.pulled, timeout=30_000):
        controller.pull()
    assert "Portal erreichbar" in controller.status.text()
    assert "Postfach für Antragsformulare hat die Anmeldung abgelehnt" in controller.status.text()

    KeyringSecretStore().set(MAILBOX_PASSWORD_SECRET, MAILBOX_PASSWORD)
    controller.rebuild()
    with qtbot.waitSignal(controller.pulled, timeout=30_000) as pulled:
        controller.pull()
    assert pulled.args[0].forms == 1 and "Postfach" not in controller.status.text()
    assert "(davon 1 per PDF-Formular)" in controller.status.text()
    with imap_server.client(MAILBOX_USER) as client:  # leave the shared mailbox empty
        for _flags, _delimiter, name in client.list_folders():
            if name != "INBOX":
                client.delete_folder(name)


def pull_in_paper_only_window(
    qtbot: QtBot, gui_core: Core, runner: TaskRunner
) -> tuple[IntakeController, IntakeResult]:
    """A window on a seat without the portal (the paper channel only), after one pull."""
    window = MainWindow(
        core=gui_core,
        runner=runner,
        login=LOGIN,
        intake=window_intake(gui_core, runner, holder="gui-test"),
    )
    qtbot.addWidget(window, before_close_func=lambda _w: runner.shutdown())
    window.show()
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.begin()
    controller = window.intake
    assert controller is not None
    controller.stop()
    with qtbot.waitSignal(controller.pulled, timeout=30_000) as pulled:
        controller.pull()
    return controller, pulled.args[0]


def test_a_seat_with_only_a_scan_folder_pulls_its_forms(
    qtbot: QtBot, gui_core: Core, runner: TaskRunner, tmp_path: Path
) -> None:
    scans = tmp_path / "scans"
    scans.mkdir()
    form = filled_form(gui_core.catalogue, "bewohnerparkausweis", PARKING_APPLICATION)
    (scans / "scan-0001.pdf").write_bytes(form)
    gui_core.settings = dataclasses.replace(gui_core.settings, form_folder=str(scans))
    controller, result = pull_in_paper_only_window(qtbot, gui_core, runner)
    assert result.forms == 1
    assert controller.status.text().startswith("Formulare · letzter Abruf")
    assert "1 neu" in controller.status.text() and "Portal" not in controller.status.text()
    assert [p.name for p in (scans / "übernommen").iterdir()] == ["scan-0001.pdf"]


def test_a_scan_folder_that_is_gone_is_named_in_the_status_bar(
    qtbot: QtBot, gui_core: Core, runner: TaskRunner, tmp_path: Path
) -> None:
    share = tmp_path / "netzlaufwerk" / "scans"  # the network share is not mounted
    gui_core.settings = dataclasses.replace(gui_core.settings, form_folder=str(share))
    controller, result = pull_in_paper_only_window(qtbot, gui_core, runner)
    assert result.paper_problem is not None
    assert result.paper_problem.key == "forms.folder_unavailable"
    assert f"Der Scan-Ordner {share} ist nicht lesbar" in controller.status.text()


def test_raw_data_is_offered_as_pdf_for_forms_and_json_for_portal_submissions() -> None:
    def record(submission_id: str) -> IntakeRecord:
        return IntakeRecord(
            submission_id=submission_id,
            fit_case_id="",
            state="quarantined",
            case_id=None,
            problem="syntax-violation",
            detail="",
            event_payload="{}",
            event_sent=True,
            received_at=dt.datetime(2026, 11, 30, tzinfo=dt.UTC),
        )

    assert raw_file_name(record("pdf-2c80bbbe")) == "pdf-2c80bbbe.pdf"
    assert raw_file_name(record("992d22ac-161e")) == "992d22ac-161e.json"


def test_pull_and_settle_a_quarantined_one_by_keyboard(
    qtbot: QtBot, intake_window: MainWindow, gui_core: Core, portal: SandboxProcess
) -> None:
    """F6 pulls, Ctrl+2 shows the quarantine (filled, as Ctrl+Shift+Q does), nothing chosen
    is said, Tab and Down pick the entry, Tab to 'Als erledigt markieren', Space: the dialog
    names the entry, Return takes the first answer: off the list, and the status bar's count
    follows at once."""
    from PySide6.QtWidgets import QApplication

    d = portal.description
    sender = Sender(
        portal.base_url,
        d["destination_id"],
        d["sender_client_id"],
        d["sender_client_secret"],
        now=gui_core.clock.now,
    )
    sender.submit("geburtsurkunde", bad="tampered")
    controller = intake_window.intake
    assert controller is not None
    activate(qtbot, intake_window)

    def key(k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        qtbot.keyClick(QApplication.focusWidget() or intake_window, k, modifier)

    with qtbot.waitSignal(controller.pulled, timeout=30_000):
        key(Qt.Key.Key_F6)
    page = controller.quarantine
    qtbot.waitUntil(lambda: "1 offen in Quarantäne" in controller.status.text(), timeout=10_000)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        key(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert intake_window.pages.currentWidget() is page and page.table.rowCount() == 1
    page.save_raw("/nonexistent/never-written.json")  # no entry chosen: said, nothing saved
    assert page.message.text() == "Bitte zuerst einen Eintrag der Liste wählen."
    page.table.setFocus()  # the page's first stop
    key(Qt.Key.Key_Down)
    for _ in range(6):
        if QApplication.focusWidget() is page.settle_button:
            break
        key(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.settle_button
    key(Qt.Key.Key_Space)
    assert page.settle_dialog is not None and page.settle_dialog.isVisible()
    assert "Geburtsurkunde" in page.settle_dialog.labelText()  # which entry it settles
    activate(qtbot, page.settle_dialog)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        key(Qt.Key.Key_Return)
    assert page.table.rowCount() == 0 and "Erledigt" in page.message.text()
    assert "0 offen in Quarantäne" in controller.status.text()
