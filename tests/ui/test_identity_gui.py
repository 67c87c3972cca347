"""Identität prüfen in the window, on the real PC/SC stack with the virtual ID card: the dialog
follows the card in and out, a wrong CAN is refused and may be typed again, the right one is
confirmed by the chip and recorded; nothing is recorded before. With SCREENSHOT_DIR set, each
state is saved as a picture (make screenshots)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.domain.cases import CaseStatus
from app.domain.identity import IdentityLevel
from app.wiring import Core
from cardreader.identity_flow import FlowState
from sandbox.pcsc import PrivatePcscd
from sandbox.virtual_card.chip import Chip, Personality
from sandbox.virtual_card.vpcd import VirtualCard
from tests.ui.test_main_window import select_case
from ui.identity_dialog import IdentityCheckDialog
from ui.main_window import MainWindow

CAN = "482913"


def shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        widget.grab().save(str(Path(folder) / f"identity-{name}.png"))


def wait_for_reader(
    qtbot: QtBot, dialog: IdentityCheckDialog, text: str, pcscd: PrivatePcscd, timeout: int
) -> None:
    """Wait for the reader line to say `text`; if it does not, say what it said and what the
    daemon logged (a rare CI failure here left neither)."""
    try:
        qtbot.waitUntil(lambda: text in dialog.reader.text(), timeout=timeout)
    except Exception:
        raise AssertionError(
            f"reader line {dialog.reader.text()!r}; pcscd log: {pcscd.log()[-1500:]!r}"
        ) from None


def in_state(
    qtbot: QtBot, dialog: IdentityCheckDialog, state: FlowState, timeout: int = 15_000
) -> None:
    try:
        qtbot.waitUntil(lambda: dialog.flow_state is state, timeout=timeout)
    except Exception:
        raise AssertionError(f"{dialog.flow_state} while waiting for {state}") from None


def test_check_the_can_on_the_reader_and_record_it(
    qtbot: QtBot, window: MainWindow, gui_core: Core, pcscd: PrivatePcscd
) -> None:
    reader = f"{pcscd.reader_prefix} 00 00"
    card = VirtualCard(Chip(Personality(can=CAN)))
    case_id = select_case(qtbot, window, CaseStatus.RECEIVED)
    page, view = window.case_page, window.case_page.view
    with qtbot.waitSignal(page.shown, timeout=10_000):
        qtbot.mouseClick(view.buttons["claim"], Qt.MouseButton.LeftButton)
    before = gui_core.cases.get(case_id).identity_verified
    qtbot.mouseClick(view.buttons["identity"], Qt.MouseButton.LeftButton)
    dialog = window.active_dialog
    assert isinstance(dialog, IdentityCheckDialog)
    try:
        wait_for_reader(qtbot, dialog, "keine Karte", pcscd, 10_000)
        assert dialog.flow_state is FlowState.WAITING_FOR_CARD
        assert reader in dialog.reader.text() and not dialog.check_button.isEnabled()
        shot(dialog, "no-card")

        card.insert()
        in_state(qtbot, dialog, FlowState.READY_FOR_CAN)
        assert "Karte liegt auf" in dialog.reader.text()
        assert dialog.can.hasFocus()  # the clerk types at once
        dialog.can.insert("111111")
        shot(dialog, "can-entry")
        dialog.can.returnPressed.emit()  # Enter checks
        in_state(qtbot, dialog, FlowState.WRONG_CAN)
        assert "passt nicht" in dialog.outcome.text()
        assert not dialog.record_button.isEnabled() and dialog.isVisible()
        shot(dialog, "rejected")
        assert gui_core.cases.get(case_id).identity_verified is before  # nothing recorded

        dialog.can.clear()
        dialog.can.insert(CAN)
        dialog.can.returnPressed.emit()
        in_state(qtbot, dialog, FlowState.CONFIRMED)
        assert "eID-Dokument (Personalausweis, eAT oder eID-Karte)" in dialog.outcome.text()
        assert dialog.record_button.isEnabled()
        shot(dialog, "confirmed")

        card.remove()  # taken away before recording: the confirmation goes with it
        in_state(qtbot, dialog, FlowState.WAITING_FOR_CARD)
        assert not dialog.record_button.isEnabled()
        shot(dialog, "card-pulled")
        card.insert()
        in_state(qtbot, dialog, FlowState.READY_FOR_CAN)
        dialog.can.returnPressed.emit()
        qtbot.waitUntil(lambda: dialog.record_button.isEnabled(), timeout=15_000)
        with qtbot.waitSignal(page.shown, timeout=10_000):
            qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    finally:
        card.remove()
    case = gui_core.cases.get(case_id)
    assert case.identity_verified is IdentityLevel.HIGH
    history = [view.history.item(i).text() for i in range(view.history.count())]
    assert any("CAN vom Chip bestätigt" in line and "Personalausweis" in line for line in history)


def test_without_a_pc_sc_service_the_dialog_says_so(
    qtbot: QtBot, window: MainWindow, pcscd: PrivatePcscd
) -> None:
    select_case(qtbot, window, CaseStatus.RECEIVED)
    page, view = window.case_page, window.case_page.view
    with qtbot.waitSignal(page.shown, timeout=10_000):
        qtbot.mouseClick(view.buttons["claim"], Qt.MouseButton.LeftButton)
    pcscd.pause()
    try:
        qtbot.mouseClick(view.buttons["identity"], Qt.MouseButton.LeftButton)
        dialog = window.active_dialog
        assert isinstance(dialog, IdentityCheckDialog)
        in_state(qtbot, dialog, FlowState.NO_SERVICE)
        assert "Kartendienst" in dialog.reader.text()
        shot(dialog, "no-service")
        readerless = PrivatePcscd(with_reader=False).start()  # the service, but no reader
        try:
            in_state(qtbot, dialog, FlowState.NO_READER, timeout=20_000)
            shot(dialog, "no-reader")
        finally:
            readerless.stop()
        pcscd.resume()  # our service comes back: the dialog finds the reader by itself
        wait_for_reader(qtbot, dialog, "keine Karte", pcscd, 20_000)
        dialog.reject()
    finally:
        if pcscd.process is None:
            pcscd.resume()
