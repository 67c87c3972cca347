"""A clerk's whole tasks with keys only: find a case, claim it, record identity and fee,
approve; reassign; reject with a reason. Every key goes to the widget that has the focus, as
on a real keyboard: Tab to the button, Space or Return to press it (the window is made active
first, as the clerk's click into it does)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from app.domain.cases import CaseStatus
from app.wiring import Core
from tests.conftest import meldebescheinigung_form
from tests.support.keys import activate
from tests.ui.test_identity_gui import shot
from ui.dialogs import PaymentDialog, ReassignDialog, RejectDialog
from ui.identity_dialog import IdentityCheckDialog
from ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
NONE = Qt.KeyboardModifier.NoModifier


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = NONE) -> None:
    qtbot.keyClick(focused(), key, modifier)


def tab_to(qtbot: QtBot, target: QWidget, most: int = 60) -> None:
    """Tab (never the mouse) until `target` has the focus."""
    for _ in range(most):
        if focused() is target:
            return
        press(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target!r}; stopped at {focused()!r}")


def find_case(
    qtbot: QtBot, window: MainWindow, status: CaseStatus, *, with_email: bool = False
) -> int:
    """Ctrl+F, the reference typed, Return: the one hit is on screen."""
    activate(qtbot, window)
    window.inbox.status_filter.setCurrentIndex(window.inbox.status_filter.findData(""))
    qtbot.waitUntil(lambda: not window.inbox.model.loading, timeout=10_000)
    model = window.inbox.model
    case = next(
        model.row_at(r)
        for r in range(model.rowCount())
        if model.row_at(r).status is status
        and (not with_email or window.core.cases.get(model.row_at(r).id).applicant.email)
    )
    press(qtbot, Qt.Key.Key_F, CTRL)
    assert focused() is window.inbox.search
    qtbot.keyClicks(focused(), case.reference)
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        press(qtbot, Qt.Key.Key_Return)  # one hit: shown at once, the list has the focus
    assert focused() is window.inbox.table
    assert window.case_page.case_id == case.id
    return case.id


def act(qtbot: QtBot, window: MainWindow, key: str) -> None:
    """Tab to the case's button `key` and press Space; wait for the case to show again."""
    button = window.case_page.view.buttons[key]
    qtbot.waitUntil(button.isEnabled, timeout=10_000)
    tab_to(qtbot, button)
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        press(qtbot, Qt.Key.Key_Space)


def ask(qtbot: QtBot, window: MainWindow, key: str, kind: type) -> QDialog:
    button = window.case_page.view.buttons[key]
    qtbot.waitUntil(button.isEnabled, timeout=10_000)
    tab_to(qtbot, button)
    press(qtbot, Qt.Key.Key_Space)
    dialog = window.case_page.active_dialog
    assert isinstance(dialog, kind) and dialog.isVisible()
    activate(qtbot, dialog)
    return dialog


def test_find_claim_identity_fee_and_approve_by_keyboard(
    qtbot: QtBot, window: MainWindow, gui_core: Core
) -> None:
    case_id = find_case(qtbot, window, CaseStatus.RECEIVED)
    act(qtbot, window, "claim")
    assert gui_core.cases.get(case_id).status is CaseStatus.IN_PROGRESS
    dialog = ask(qtbot, window, "identity", IdentityCheckDialog)
    tab_to(qtbot, dialog.by_card, most=10)  # no reader here: the visual check, with a note
    press(qtbot, Qt.Key.Key_Down)  # the arrow keys move between the two ways
    assert dialog.by_sight.isChecked()
    tab_to(qtbot, dialog.note, most=5)
    qtbot.keyClicks(focused(), "Reisepass vorgelegt")
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        press(qtbot, Qt.Key.Key_Return)  # recording is the default
    activate(qtbot, window)
    if gui_core.cases.get(case_id).fee_cents:
        dialog = ask(qtbot, window, "payment", PaymentDialog)
        assert isinstance(dialog, PaymentDialog)
        fee = gui_core.cases.get(case_id).fee_cents
        assert (
            dialog.amount.text() == f"Gebühr: {fee // 100},{fee % 100:02d}\u00a0€"
        )  # the amount due
        assert dialog.way() == "cash" and not dialog.reference.isEnabled()  # the till's receipt
        with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
            press(qtbot, Qt.Key.Key_Return)
        receipt = gui_core.cases.get(case_id).payment_reference
        assert "-Q-2026-" in receipt  # the receipt number is the payment's reference
        view = window.case_page.view
        rows = [
            view.state.itemAt(row, view.state.ItemRole.FieldRole).widget().text()
            for row in range(view.state.rowCount())
        ]
        assert any(receipt in row and "bar" in row for row in rows), rows
        activate(qtbot, window)
    # approving takes a register number: it asks first, and Enter alone keeps it unapproved
    from ui.dialogs import ApproveDialog

    confirm = ask(qtbot, window, "approve", ApproveDialog)
    assert isinstance(confirm, ApproveDialog) and confirm.cancel.isDefault()
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        qtbot.keyClick(confirm, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    assert gui_core.cases.get(case_id).status is CaseStatus.APPROVED


def test_a_second_case_of_the_same_citizen_takes_over_the_check_by_keyboard(
    qtbot: QtBot, window: MainWindow, gui_core: Core
) -> None:
    """The citizen at the desk asks for a second certificate: its identity dialog offers the
    check made minutes ago on the first case, chosen; Return records it, naming the first."""
    first_id = find_case(qtbot, window, CaseStatus.RECEIVED)
    act(qtbot, window, "claim")
    dialog = ask(qtbot, window, "identity", IdentityCheckDialog)
    tab_to(qtbot, dialog.by_card, most=10)
    press(qtbot, Qt.Key.Key_Down)
    tab_to(qtbot, dialog.note, most=5)
    qtbot.keyClicks(focused(), "Reisepass vorgelegt")
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        press(qtbot, Qt.Key.Key_Return)
    first = gui_core.cases.get(first_id)
    assert window.user is not None and first.applicant.birth_date is not None
    second = gui_core.desk.open_walk_in(
        user=window.user,
        service_id="meldebescheinigung_einfach",
        form=meldebescheinigung_form(
            family_name=first.applicant.family_name,
            given_names=first.applicant.given_names,
            birth_date=first.applicant.birth_date.strftime("%d.%m.%Y"),
        ),
        claim=True,
    )

    activate(qtbot, window)
    press(qtbot, Qt.Key.Key_F, CTRL)
    focused().clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(focused(), second.reference)
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        press(qtbot, Qt.Key.Key_Return)
    assert window.case_page.case_id == second.id
    dialog = ask(qtbot, window, "identity", IdentityCheckDialog)
    qtbot.waitUntil(dialog.take_over.isVisible, timeout=10_000)
    assert dialog.take_over.isChecked() and dialog.record_button.isEnabled()
    assert first.reference in dialog.take_over.text()
    assert "Sichtprüfung" in dialog.take_over.text()
    shot(dialog, "take-over")
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        press(qtbot, Qt.Key.Key_Return)
    assert gui_core.cases.get(second.id).identity_verified is first.identity_verified
    view = window.case_page.view
    history = [view.history.item(i).text() for i in range(view.history.count())]
    assert any(f"übernommen aus {first.reference}" in line for line in history), history


def test_reassign_and_reject_with_a_reason_by_keyboard(
    qtbot: QtBot, window: MainWindow, gui_core: Core
) -> None:
    case_id = find_case(qtbot, window, CaseStatus.RECEIVED)
    ask(qtbot, window, "reassign", ReassignDialog)  # a supervisor's (the demo login is admin)
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        press(qtbot, Qt.Key.Key_Return)
    assigned = gui_core.cases.get(case_id)
    assert assigned.status is CaseStatus.IN_PROGRESS and assigned.assignee
    activate(qtbot, window)
    dialog = ask(qtbot, window, "reject", RejectDialog)
    assert isinstance(dialog, RejectDialog)
    tab_to(qtbot, dialog.reason, most=5)
    qtbot.keyClicks(dialog.reason, "Nachweis fehlt trotz Rueckfrage")
    press(qtbot, Qt.Key.Key_Tab)  # leaves the reason (Tab types no tab there)
    ok = dialog.ok
    assert isinstance(ok, QAbstractButton) and focused() is ok
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        press(qtbot, Qt.Key.Key_Space)
    rejected = gui_core.cases.get(case_id)
    assert rejected.status is CaseStatus.REJECTED
    assert rejected.decision_reason == "Nachweis fehlt trotz Rueckfrage"


def test_ask_the_citizen_by_keyboard(qtbot: QtBot, window: MainWindow, gui_core: Core) -> None:
    from app.integrations.mail import SmtpMailer
    from sandbox.smtp_sink import SmtpSink
    from ui.dialogs import AskCitizenDialog

    with SmtpSink() as sink:
        gui_core.desk.notifier.mailer = SmtpMailer(
            host="127.0.0.1", port=sink.port, sender="bb@example.org"
        )
        case_id = find_case(qtbot, window, CaseStatus.RECEIVED, with_email=True)
        act(qtbot, window, "claim")
        dialog = ask(qtbot, window, "ask", AskCitizenDialog)
        assert isinstance(dialog, AskCitizenDialog)
        tab_to(qtbot, dialog.reason, most=5)
        qtbot.keyClicks(dialog.reason, "Bitte den Mietvertrag nachreichen.")
        press(qtbot, Qt.Key.Key_Tab)
        assert focused() is dialog.ok
        with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
            press(qtbot, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: len(sink.messages) == 1, timeout=10_000)
    assert gui_core.cases.get(case_id).status is CaseStatus.WAITING

    # the answer came by phone: recorded with Alt+K, the case is back in progress
    from ui.dialogs import AnswerDialog

    activate(qtbot, window)
    button = window.case_page.view.buttons["record_answer"]
    qtbot.waitUntil(button.isEnabled, timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(window.case_page.active_dialog, AnswerDialog))
    answer = window.case_page.active_dialog
    assert isinstance(answer, AnswerDialog)
    activate(qtbot, answer)
    assert focused() is answer.channel and answer.chosen() == "phone"
    assert not answer.ok.isEnabled()  # an answer needs what was said
    tab_to(qtbot, answer.summary, most=3)
    qtbot.keyClicks(answer.summary, "Mietvertrag kommt per Post.")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is answer.ok
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        press(qtbot, Qt.Key.Key_Space)
    assert gui_core.cases.get(case_id).status is CaseStatus.IN_PROGRESS
    last = gui_core.cases.history(case_id)[-1]
    assert last.reason == "phone: Mietvertrag kommt per Post."


def test_from_the_search_field_down_enters_the_list_and_an_empty_search_says_why(
    qtbot: QtBot, window: MainWindow, gui_core: Core
) -> None:
    activate(qtbot, window)
    inbox = window.inbox
    press(qtbot, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(lambda: not inbox.model.loading and inbox.model.rowCount() > 1, timeout=10_000)
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        press(qtbot, Qt.Key.Key_Down)  # into the list, its first case chosen
    assert focused() is inbox.table and window.case_page.case_id == inbox.model.row_at(0).id
    # a closed case's reference behind the default "open" filter: nothing, and why
    closed = next(
        inbox.model.row_at(r)
        for r in range(inbox.model.rowCount())
        if inbox.model.row_at(r).status is not CaseStatus.CLOSED
    )
    press(qtbot, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(focused(), closed.reference + "X")  # no such case in the open ones
    with qtbot.waitSignal(inbox.loaded, timeout=10_000):
        press(qtbot, Qt.Key.Key_Return)
    assert inbox.model.rowCount() == 0
    # the count comes after the page, on the database lane ("zähle…" until then)
    qtbot.waitUntil(lambda: "die Filter" in inbox.count_text(), timeout=10_000)
    assert "schränken die Suche ein" in inbox.count_text()
