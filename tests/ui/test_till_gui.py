"""The till's day in the window, by keyboard: Ctrl+Shift+K shows today's bookings of this
seat's till with the cash they should leave; the counted cash shows the difference, which
needs a note before the day can be closed; the one who closed cannot confirm (four eyes).
With SCREENSHOT_DIR set, the dialog is saved as a picture (make screenshots)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.cases import CaseStatus
from app.domain.till import DayState
from app.wiring import Core
from sandbox.cups import PrivateCups
from tests.conftest import meldebescheinigung_form
from tests.support.keys import activate
from ui.main_window import MainWindow
from ui.till_dialog import TillDialog


def test_count_close_and_the_four_eyes_by_keyboard(
    qtbot: QtBot, window: MainWindow, gui_core: Core
) -> None:
    user = window.signed_in_user()
    fees = gui_core.desk.fees
    assert fees is not None
    for taken in range(4):  # four citizens at the counter, one paying by card
        case = gui_core.desk.open_walk_in(
            user=user,
            service_id="meldebescheinigung_einfach",
            form=meldebescheinigung_form(),
            claim=True,
        )
        fees.take(user=user, case_id=case.id, way="card" if taken == 0 else "cash")
    activate(qtbot, window)
    qtbot.keyClick(
        window,
        Qt.Key.Key_K,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    commands = window.payment_commands
    qtbot.waitUntil(lambda: isinstance(commands.till_dialog, TillDialog))
    dialog = commands.till_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.view is not None, timeout=10_000)
    assert dialog.entries.rowCount() == 4 and dialog.counted.hasFocus()
    expected = dialog.view.totals.cash_cents
    assert expected > 0 and dialog.expected.text().startswith(f"{expected // 100},")
    qtbot.keyClicks(dialog.counted, f"{expected // 100 - 1},{expected % 100:02d}")  # 1 € short
    assert dialog.difference.text().startswith("-1,00") and not dialog.close_button.isEnabled()
    qtbot.keyClicks(dialog.note, "1 Euro Wechselgeld fehlt")
    assert dialog.close_button.isEnabled()
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        dialog.grab().save(str(Path(folder) / "till-closing.png"))
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: dialog.view is not None and dialog.view.day.state is DayState.CLOSED, timeout=10_000
    )
    assert "abgeschlossen" in dialog.state.text() and dialog.confirm_button.isVisible()
    assert dialog.confirm_button.hasFocus()
    qtbot.keyClick(dialog.confirm_button, Qt.Key.Key_Space)  # the same person: refused
    qtbot.waitUntil(lambda: "Vier-Augen" in dialog.message.text(), timeout=10_000)
    day = fees.till.view(office_id=user.office_id, counter=fees.counter).day
    assert day.state is DayState.CLOSED and day.difference_cents == -100

    # a receipt printed again, from its row, on the counter printer (a private CUPS)
    with PrivateCups.in_temporary_folder(queue=f"Theke-{uuid.uuid4().hex[:6]}") as cups:
        commands._printer = cups.queue
        assert commands.till is not None
        commands.till._printer = cups.queue
        before = cups.snapshot()
        dialog.entries.setFocus()
        dialog.entries.selectRow(1)
        assert dialog.receipt_button.isEnabled()
        qtbot.mouseClick(dialog.receipt_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Quittung gedruckt" in dialog.message.text(), timeout=30_000)
        receipt = dialog.entries.item(1, 1).text()
        printed = cups.wait_for_output(f"Quittung_{receipt}", before=before)
        assert printed.stat().st_size > 0


def test_the_payment_link_mail_reads_well(qtbot: QtBot, gui_core: Core) -> None:
    """The mail with the payment link as the citizen reads it (a picture for docs/)."""
    from PySide6.QtWidgets import QLabel

    from app.domain.notices import payment_link_notice

    case = gui_core.cases.get(1)
    notice = payment_link_notice(
        case=case,
        service="Meldebescheinigung (einfach)",
        url="https://epayment.example.org/pay/0b6f3c2e-5d1a-4a7e-9c8f-3e2d1b0a9f87",
        amount="9,00 €",
    )
    assert "9,00 €" in notice.body and notice.text.count("https://") == 1
    assert len(notice.text) <= 160  # one SMS
    rendered = QLabel(f"Betreff: {notice.subject}\n\n{notice.body}\n\nSMS: {notice.text}")
    rendered.setStyleSheet(
        "background: white; padding: 12px; font-family: 'DejaVu Sans Mono'; font-size: 12px;"
    )
    rendered.setWordWrap(True)
    rendered.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    rendered.resize(900, 420)
    qtbot.addWidget(rendered)
    rendered.show()
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        rendered.grab().save(str(Path(folder) / "payment-link-mail.png"))


def test_the_payment_link_command_says_why_not_without_a_platform(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Ctrl+Shift+Z on a seat with no payment platform: one line in the status bar, nothing
    else happens (the link itself is tested against the sandbox platform in
    tests/integrations/test_payments.py)."""
    from tests.ui.test_main_window import select_case

    select_case(qtbot, window, CaseStatus.RECEIVED)
    activate(qtbot, window)
    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: "Bezahlplattform" in window.statusBar().currentMessage())


def test_the_finance_export_of_a_confirmed_day_as_the_finance_office_opens_it(
    qtbot: QtBot, window: MainWindow, gui_core: Core, tmp_path: Path
) -> None:
    """A day closed by one clerk and confirmed by another goes out as the CSV; shown as a
    spreadsheet shows it (a picture for docs/)."""
    from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

    from app.domain.users import Role
    from app.integrations.finance_csv import read_back
    from app.wiring import build_finance

    user = window.signed_in_user()
    fees = gui_core.desk.fees
    assert fees is not None
    second = next(
        u
        for u in gui_core.users.users()
        if u.login != user.login and u.office_id == user.office_id and u.has_role(Role.CLERK)
    )
    for way in ("cash", "card", "cash"):
        case = gui_core.desk.open_walk_in(
            user=user,
            service_id="meldebescheinigung_einfach",
            form=meldebescheinigung_form(),
            claim=True,
        )
        fees.take(user=user, case_id=case.id, way=way)
    first = fees.till.journal.entries_for_case(case.id)[0]
    fees.till.cancel(user=user, entry_id=first.id, reason="doppelt gebucht", counter=fees.counter)
    fees.till.close_day(
        user=user, office_id=user.office_id, counter=fees.counter, counted_cents=900
    )
    fees.till.confirm_day(user=second, office_id=user.office_id, counter=fees.counter)
    target = tmp_path / "kasse.csv"
    assert build_finance(gui_core).export_day(user.office_id, first.day, target) == 4
    rows = read_back(target)
    table = QTableWidget(len(rows), len(rows[0]))
    table.setHorizontalHeaderLabels(list(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row.values()):
            table.setItem(r, c, QTableWidgetItem(value))
    table.resizeColumnsToContents()
    table.resize(1100, 200)
    qtbot.addWidget(table)
    table.show()
    assert rows[-1]["Betrag"] == "-9,00" and rows[-1]["Buchungstext"].startswith("Storno")
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        table.grab().save(str(Path(folder) / "finance-export.png"))
