"""The real main window, driven like a clerk drives it: keyboard, clicks, dialogs."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from app.domain.cases import OPEN_STATUSES, CaseStatus
from app.domain.inbox import InboxQuery
from app.wiring import Core
from tests.ui.conftest import LOGIN
from ui.dialogs import PaymentDialog, RejectDialog
from ui.identity_dialog import IdentityCheckDialog
from ui.inbox_model import Column
from ui.main_window import MainWindow
from ui.tasks import TaskRunner


def wait_loaded(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(
        lambda: not window.inbox.model.loading and window.runner.pending == 0, timeout=10_000
    )


def column_texts(window: MainWindow, column: Column) -> list[str]:
    model = window.inbox.model
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def select_case(qtbot: QtBot, window: MainWindow, status: CaseStatus) -> int:
    """Select the first row with `status` via the keyboard-reachable table, wait for the view."""
    row = next(
        r
        for r in range(window.inbox.model.rowCount())
        if window.inbox.model.row_at(r).status is status
    )
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        window.inbox.table.selectRow(row)
    return window.inbox.model.row_at(row).id


def test_inbox_opens_on_open_cases_oldest_first(
    qtbot: QtBot, window: MainWindow, gui_core: Core
) -> None:
    wait_loaded(qtbot, window)
    expected = gui_core.desk.inbox_count(InboxQuery(statuses=OPEN_STATUSES))
    assert window.inbox.model.total == expected > 0
    received = [
        window.inbox.model.row_at(r).received_at for r in range(window.inbox.model.rowCount())
    ]
    assert received == sorted(received)
    assert "von" in window.count_label.text()


def test_search_by_typing(qtbot: QtBot, window: MainWindow, gui_core: Core) -> None:
    family = window.inbox.model.row_at(0).applicant.split(",")[0]
    window.inbox.status_filter.setCurrentIndex(window.inbox.status_filter.findData(""))
    wait_loaded(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.inbox.search.hasFocus()
    with qtbot.waitSignal(window.inbox.model.loaded, timeout=10_000):
        qtbot.keyClicks(window.inbox.search, family)
    wait_loaded(qtbot, window)
    names = column_texts(window, Column.APPLICANT)
    assert names and all(family.lower() in name.lower() for name in names)
    assert window.inbox.model.total == gui_core.desk.inbox_count(InboxQuery(search=family))


def test_filters_and_sort(qtbot: QtBot, window: MainWindow) -> None:
    window.inbox.status_filter.setCurrentIndex(
        window.inbox.status_filter.findData(CaseStatus.CLOSED.value)
    )
    wait_loaded(qtbot, window)
    assert set(column_texts(window, Column.STATUS)) == {"Abgeschlossen"}
    window.inbox.service_filter.setCurrentIndex(
        window.inbox.service_filter.findData("bewohnerparkausweis")
    )
    wait_loaded(qtbot, window)
    assert set(column_texts(window, Column.SERVICE)) <= {"Bewohnerparkausweis"}
    window.inbox.status_filter.setCurrentIndex(window.inbox.status_filter.findData(""))
    window.inbox.service_filter.setCurrentIndex(0)
    window.inbox.office_filter.setCurrentIndex(
        window.inbox.office_filter.findText("Bürgerbüro Geisweid")
    )
    wait_loaded(qtbot, window)
    assert set(column_texts(window, Column.OFFICE)) == {"GE"}
    window.inbox.channel_filter.setCurrentIndex(window.inbox.channel_filter.findData("online"))
    wait_loaded(qtbot, window)
    assert set(column_texts(window, Column.CHANNEL)) == {"Online"}
    window.inbox.age_filter.setCurrentIndex(window.inbox.age_filter.findData(30))
    wait_loaded(qtbot, window)
    now = window.core.clock.now()
    assert all(
        (now - window.inbox.model.row_at(r).received_at).days >= 30
        for r in range(window.inbox.model.rowCount())
    )
    header = window.inbox.table.horizontalHeader()
    position = QPoint(header.sectionViewportPosition(Column.APPLICANT) + 10, 5)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=position)
    wait_loaded(qtbot, window)
    assert window.inbox.model.query.sort.value == "applicant"
    names = column_texts(window, Column.APPLICANT)
    assert names == sorted(names)


def test_paging_fetches_more_on_scroll(qtbot: QtBot, gui_core: Core, runner: TaskRunner) -> None:
    from dataclasses import replace

    gui_core.settings = replace(gui_core.settings, page_size=25)  # small pages, demo data
    window = MainWindow(core=gui_core, runner=runner, login=LOGIN)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.begin()
    window.inbox.status_filter.setCurrentIndex(window.inbox.status_filter.findData(""))
    wait_loaded(qtbot, window)
    loaded = window.inbox.model.rowCount()
    assert loaded % 25 == 0 and loaded < window.inbox.model.total  # only what fills the view
    window.inbox.table.scrollToBottom()
    qtbot.waitUntil(lambda: window.inbox.model.rowCount() > loaded, timeout=10_000)


def test_claim_and_decide(qtbot: QtBot, window: MainWindow, gui_core: Core) -> None:
    case_id = select_case(qtbot, window, CaseStatus.RECEIVED)
    view = window.case_page.view
    assert view.buttons["claim"].isEnabled() and not view.buttons["approve"].isEnabled()
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        qtbot.mouseClick(view.buttons["claim"], Qt.MouseButton.LeftButton)
    case = gui_core.cases.get(case_id)
    assert case.status is CaseStatus.IN_PROGRESS and case.assignee == window.login
    assert view.buttons["approve"].isEnabled()

    qtbot.mouseClick(view.buttons["identity"], Qt.MouseButton.LeftButton)
    dialog = window.active_dialog
    assert isinstance(dialog, IdentityCheckDialog)
    assert not dialog.record_button.isEnabled()  # nothing checked yet
    dialog.by_sight.setChecked(True)
    dialog.note.insert("Reisepass vorgelegt, Lesegerät defekt")
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    assert gui_core.cases.get(case_id).identity_verified.name == "HIGH"
    if gui_core.cases.get(case_id).fee_cents:
        qtbot.mouseClick(view.buttons["payment"], Qt.MouseButton.LeftButton)
        assert isinstance(window.active_dialog, PaymentDialog)
        qtbot.keyClicks(window.active_dialog.reference, "KZ-4711")
        with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
            window.active_dialog.accept()
    qtbot.mouseClick(view.buttons["approve"], Qt.MouseButton.LeftButton)
    assert gui_core.cases.get(case_id).status is not CaseStatus.APPROVED  # it asks first
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        window.active_dialog.accept()
    assert gui_core.cases.get(case_id).status is CaseStatus.APPROVED
    assert "Genehmigt" in view.subtitle.text()
    assert gui_core.audit.verify() == []


def test_reject_needs_a_reason(qtbot: QtBot, window: MainWindow, gui_core: Core) -> None:
    case_id = select_case(qtbot, window, CaseStatus.RECEIVED)
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        qtbot.mouseClick(window.case_page.view.buttons["claim"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.case_page.view.buttons["reject"], Qt.MouseButton.LeftButton)
    dialog = window.active_dialog
    assert isinstance(dialog, RejectDialog)
    assert not dialog.ok.isEnabled()
    dialog.reason.insertPlainText("Wohnungsgeberbestätigung fehlt")  # QTest types ASCII only
    assert dialog.ok.isEnabled()
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    case = gui_core.cases.get(case_id)
    assert (
        case.status is CaseStatus.REJECTED
        and case.decision_reason == "Wohnungsgeberbestätigung fehlt"
    )


def test_claimed_by_someone_else_shows_who(
    qtbot: QtBot, window: MainWindow, gui_core: Core
) -> None:
    case_id = select_case(qtbot, window, CaseStatus.RECEIVED)
    other = next(
        u for u in gui_core.users.users() if u.login != window.login and u.role.value == "clerk"
    )
    gui_core.desk.claim(user=other, case_id=case_id)  # another seat was quicker
    with qtbot.waitSignal(window.action_failed, timeout=10_000) as failure:
        qtbot.mouseClick(window.case_page.view.buttons["claim"], Qt.MouseButton.LeftButton)
    assert other.login in failure.args[0]
    qtbot.waitUntil(lambda: other.login in window.case_page.view.message.text(), timeout=10_000)


def test_walk_in_case_with_inline_validation(
    qtbot: QtBot, window: MainWindow, gui_core: Core
) -> None:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.walk_in.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.service.setCurrentIndex(dialog.service.findData("bewohnerparkausweis"))
    dialog.field("family_name").insert("Schäfer")  # type: ignore[union-attr]
    dialog.field("given_names").insert("Jürgen")  # type: ignore[union-attr]
    qtbot.keyClicks(dialog.field("birth_date"), "31.02.1980")
    assert "Kein gültiges Datum" in dialog.error_text("birth_date")
    qtbot.keyClicks(dialog.field("plate"), "SI-XY 0815")
    assert "SI-AB 123" in dialog.error_text("plate")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "korrigieren" in dialog.summary.text()

    dialog.field("birth_date").setText("28.02.1980")
    dialog.field("plate").setText("SI-XY 815")
    qtbot.keyClicks(dialog.field("street"), "Koelner Strasse 12")
    for name, value in (
        ("kind", "new"),
        ("zone", "A"),
        ("holder", "self"),
        ("period_months", "12"),
    ):
        combo = dialog.field(name)
        combo.setCurrentIndex(combo.findData(value))  # type: ignore[union-attr]
    assert dialog.error_text("plate") == "" and "30,00\u00a0€" in dialog.fee.text()
    before = gui_core.desk.inbox_count(InboxQuery())
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert gui_core.desk.inbox_count(InboxQuery()) == before + 1
    shown = window.case_page.view.details
    assert shown is not None and shown.case.applicant.family_name == "Schäfer"
    assert shown.case.channel.value == "counter" and shown.case.fee_cents == 3000


def lock_database(core: Core) -> sqlite3.Connection:
    """Another connection takes the write lock: real SQLite contention, not a mock."""
    path = core.database.engine.url.database
    assert path
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN EXCLUSIVE")
    return connection


def test_failed_walk_in_save_keeps_everything(
    qtbot: QtBot, window: MainWindow, gui_core: Core
) -> None:
    locked_database = lock_database(gui_core)
    dialog = window.open_walk_in_dialog()
    assert dialog is not None
    dialog.service.setCurrentIndex(dialog.service.findData("meldebescheinigung_einfach"))
    for name, value in (
        ("family_name", "Özdemir"),
        ("given_names", "Ayşe"),
        ("birth_date", "01.05.1990"),
    ):
        dialog.field(name).insert(value)  # type: ignore[union-attr]
    delivery = dialog.field("delivery")
    delivery.setCurrentIndex(delivery.findData("paper"))  # type: ignore[union-attr]
    with qtbot.waitSignal(window.runner.idle, timeout=10_000):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "nicht erreichbar" in dialog.summary.text()
    assert dialog.field("family_name").text() == "Özdemir"  # type: ignore[union-attr]
    assert dialog.create_button.isEnabled()
    locked_database.execute("ROLLBACK")
    locked_database.close()
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert window.case_page.view.details is not None
    assert window.case_page.view.details.case.applicant.family_name == "Özdemir"


def test_failed_note_shows_banner_keeps_text_and_retries(
    qtbot: QtBot, window: MainWindow, gui_core: Core
) -> None:
    case_id = select_case(qtbot, window, CaseStatus.IN_PROGRESS)
    locked_database = lock_database(gui_core)
    window.case_page.view.note_editor.insertPlainText("Rückruf um 14 Uhr")
    with qtbot.waitSignal(window.action_failed, timeout=10_000):
        qtbot.mouseClick(window.case_page.view.note_button, Qt.MouseButton.LeftButton)
    assert window.banner.isVisible() and "nicht erreichbar" in window.banner.text.text()
    assert window.case_page.view.note_editor.toPlainText() == "Rückruf um 14 Uhr"
    locked_database.execute("ROLLBACK")
    locked_database.close()
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        qtbot.mouseClick(window.banner.retry_button, Qt.MouseButton.LeftButton)
    assert not window.banner.isVisible()
    assert window.case_page.view.note_editor.toPlainText() == ""
    assert gui_core.cases.notes(case_id)[-1].text == "Rückruf um 14 Uhr"


def test_switch_to_english(qtbot: QtBot, window: MainWindow) -> None:
    window.language_action.trigger()
    wait_loaded(qtbot, window)
    assert window.inbox.model.headerData(Column.REFERENCE, Qt.Orientation.Horizontal) == "Reference"
    assert window.new_action.text().replace("&", "").startswith("New case")
    assert window.inbox.model.rowCount() > 0


def test_ask_the_citizen_by_mail(qtbot: QtBot, window: MainWindow, gui_core: Core) -> None:
    from app.integrations.mail import SmtpMailer
    from sandbox.smtp_sink import SmtpSink
    from ui.dialogs import AskCitizenDialog

    candidates = [
        window.inbox.model.row_at(r).id
        for r in range(window.inbox.model.rowCount())
        if window.inbox.model.row_at(r).status is CaseStatus.IN_PROGRESS
    ]
    case_id = next(c for c in candidates if gui_core.cases.get(c).applicant.email)
    row = window.inbox.model.row_of(case_id)
    assert row is not None
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        window.inbox.table.selectRow(row)
    assert not window.case_page.view.buttons["ask"].isEnabled()  # this seat sends no mail
    with SmtpSink() as sink:
        gui_core.desk.notifier.mailer = SmtpMailer(
            host="127.0.0.1", port=sink.port, sender="bb@example.org"
        )
        with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
            window.refresh_action.trigger()
        qtbot.mouseClick(window.case_page.view.buttons["ask"], Qt.MouseButton.LeftButton)
        dialog = window.active_dialog
        assert isinstance(dialog, AskCitizenDialog)
        qtbot.keyClicks(dialog.reason, "Bitte den Mietvertrag nachreichen.")
        with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
            qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
        assert len(sink.messages) == 1
    assert gui_core.cases.get(case_id).status is CaseStatus.WAITING
    assert "Wartet auf Rückmeldung" in window.case_page.view.subtitle.text()
