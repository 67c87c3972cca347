"""The clerk's keyboard: tasks done with keys only, focus where the next key is expected,
nothing typed lost, never acting on a case that is not on screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.domain.cases import CaseStatus
from app.domain.inbox import InboxQuery
from app.wiring import Core
from ui.main_window import MainWindow
from ui.walk_in_dialog import WalkInDialog


def tab_stops(start: QWidget, count: int) -> list[QWidget]:
    """The widgets Tab visits from `start`, as Qt's focus chain gives them (visible, enabled,
    taking Tab focus): what a clerk's Tab key walks through, without a focused window."""
    stops, widget = [start], start
    while len(stops) < count:
        widget = widget.nextInFocusChain()
        if widget is start:
            break
        tab = widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        if tab and widget.isVisibleTo(start.window()) and widget.isEnabled():
            stops.append(widget)
    return stops


def _open_walk_in(qtbot: QtBot, window: MainWindow) -> WalkInDialog:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.walk_in.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def _type_person(qtbot: QtBot, dialog: WalkInDialog) -> None:
    for name, text in (
        ("family_name", "Özdemir"),
        ("given_names", "Ayşe"),
        ("birth_date", "01.05.1990"),
    ):
        field = dialog.field(name)
        field.setFocus()
        # QTest types ASCII only: the umlauts go in as an input method would put them
        field.insert(text)  # type: ignore[union-attr]


def test_walk_in_tab_order_runs_through_the_fields_before_the_buttons(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = _open_walk_in(qtbot, window)
    fields = [
        dialog.field(spec.name) for spec in window.core.catalogue.form_fields(dialog.service_id)
    ]
    stops = tab_stops(dialog.service, len(fields) + 4)
    assert stops == [
        dialog.service,
        dialog.office,
        *fields,
        dialog.create_button,
        dialog.next_button,
    ]
    assert dialog.create_button.isDefault() and not dialog.cancel_button.isDefault()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_return_in_a_field_creates_never_discards_and_esc_asks_first(
    qtbot: QtBot, window: MainWindow, gui_core: Core
) -> None:
    dialog = _open_walk_in(qtbot, window)
    dialog.service.setCurrentIndex(dialog.service.findData("meldebescheinigung_einfach"))
    _type_person(qtbot, dialog)
    dialog.cancel_button.setFocus()  # Tab passed "Abbrechen" once ...
    dialog.field("family_name").setFocus()
    qtbot.keyClick(dialog.field("family_name"), Qt.Key.Key_Return)  # ... Return still creates
    assert dialog.isVisible() and "korrigieren" in dialog.summary.text()  # delivery missing
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.discard_box is not None  # asks instead of discarding
    qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.field("family_name").text() == "Özdemir"  # type: ignore[union-attr]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_two_services_for_one_person_and_the_case_is_the_clerks(
    qtbot: QtBot, window: MainWindow, gui_core: Core
) -> None:
    dialog = _open_walk_in(qtbot, window)
    dialog.service.setCurrentIndex(dialog.service.findData("meldebescheinigung_einfach"))
    _type_person(qtbot, dialog)
    delivery = dialog.field("delivery")
    delivery.setCurrentIndex(delivery.findData("paper"))  # type: ignore[union-attr]
    before = gui_core.desk.inbox_count(InboxQuery())
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)  # + next service
    assert dialog.isVisible() and "angelegt" in dialog.summary.text()
    assert "1b5e20" in dialog.summary.styleSheet()  # stored: green, not the error red
    assert dialog.field("family_name").text() == "Özdemir"  # type: ignore[union-attr]
    first = window.case_page.view.details
    assert first is not None
    assert first.case.status is CaseStatus.IN_PROGRESS and first.case.assignee == window.login
    dialog.service.setCurrentIndex(dialog.service.findData("meldebescheinigung_erweitert"))
    assert dialog.field("given_names").text() == "Ayşe"  # type: ignore[union-attr]
    qtbot.keyClicks(dialog.field("purpose"), "Wohnungsgeberbescheinigung")
    delivery = dialog.field("delivery")
    delivery.setCurrentIndex(delivery.findData("paper"))  # type: ignore[union-attr]
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        qtbot.keyClick(dialog.field("purpose"), Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert gui_core.desk.inbox_count(InboxQuery()) == before + 2
    second = window.case_page.view.details
    assert second is not None and second.case.service_id == "meldebescheinigung_erweitert"
    assert second.case.applicant == first.case.applicant


def test_tab_leaves_the_inbox_table(qtbot: QtBot, window: MainWindow) -> None:
    window.inbox.table.setFocus()
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        window.inbox.table.selectRow(0)
    shown = window.case_page.case_id
    qtbot.keyClick(window.inbox.table, Qt.Key.Key_Tab)
    assert not window.inbox.table.hasFocus()
    assert window.case_page.case_id == shown  # no other case opened on the way
    # the next stop after the list is the case's first action, nothing invisible between
    after = tab_stops(window.inbox.table, 2)[1]
    assert after.objectName().startswith("button_"), after


def test_a_case_no_longer_in_the_search_leaves_the_screen(
    qtbot: QtBot, window: MainWindow, runner: object
) -> None:
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        window.inbox.table.selectRow(0)
    assert window.case_page.view.details is not None
    window.inbox.search.setText("xyzzy-keiner-heisst-so")
    with qtbot.waitSignal(window.inbox.selection_gone, timeout=10_000):
        qtbot.keyClick(window.inbox.search, Qt.Key.Key_Return)
    assert window.inbox.model.rowCount() == 0
    assert window.case_page.view.details is None and window.case_page.case_id is None
    assert not window.case_page.view.body_scroll.isVisible()


def test_a_question_that_cannot_be_sent_says_why_before_anything_is_typed(
    qtbot: QtBot, window: MainWindow
) -> None:
    row = next(
        r
        for r in range(window.inbox.model.rowCount())
        if window.inbox.model.row_at(r).status is CaseStatus.IN_PROGRESS
    )
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        window.inbox.table.selectRow(row)
    ask = window.case_page.view.buttons["ask"]
    assert not ask.isEnabled()  # this seat has no mail relay
    assert "kein E-Mail-Versand" in ask.toolTip() and ask.accessibleDescription() == ask.toolTip()


def test_the_error_count_follows_the_corrections_and_plates_are_normalised(
    qtbot: QtBot, window: MainWindow, gui_core: Core
) -> None:
    dialog = _open_walk_in(qtbot, window)
    dialog.service.setCurrentIndex(dialog.service.findData("bewohnerparkausweis"))
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    first = dialog.summary.text()
    _type_person(qtbot, dialog)
    assert dialog.summary.text() != first and "korrigieren" in dialog.summary.text()
    qtbot.keyClicks(dialog.field("street"), "Markt 2")
    qtbot.keyClicks(dialog.field("plate"), "si ab 123")
    for name, value in (("kind", "new"), ("zone", "A"), ("holder", "self")):
        combo = dialog.field(name)
        combo.setCurrentIndex(combo.findData(value))  # type: ignore[union-attr]
    period = dialog.field("period_months")
    period.setCurrentIndex(period.findData("12"))  # type: ignore[union-attr]
    assert dialog.summary.text() == ""
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        qtbot.keyClick(dialog.field("plate"), Qt.Key.Key_Return)
    shown = window.case_page.view.details
    assert shown is not None and shown.case.data["plate"] == "SI-AB 123"
    assert shown.case.applicant.family_name == "Özdemir"


def test_no_list_in_the_window_traps_tab(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QAbstractItemView

    trapping = [
        view.objectName() or type(view).__name__
        for view in window.findChildren(QAbstractItemView)
        if view.tabKeyNavigation() and view.isVisibleTo(window)
    ]
    assert trapping == []
