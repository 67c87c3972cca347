"""A scanned paper form in the window: the case says "Daten erfassen" in the inbox, offers
only typing its data (not approving), and the dialog shows the scan beside the form; a refused
save keeps what was typed, a good one gives the case its applicant."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QScrollArea
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from app.domain.cases import CaseAction, Channel
from app.domain.inbox import InboxQuery
from app.integrations.pdf_forms import form_reader
from app.wiring import Core
from sandbox.paper_forms import scanned_form
from tests.integrations.conftest import run_import
from ui.data_entry_dialog import DataEntryDialog
from ui.main_window import MainWindow

SERVICE = "meldebescheinigung_einfach"


def test_type_a_scanned_form_beside_its_scan(
    qtbot: QtBot, window: MainWindow, gui_core: Core, tmp_path: Path
) -> None:
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "scan-0007.pdf").write_bytes(scanned_form(gui_core.catalogue, SERVICE))
    assert len(run_import(gui_core, scans, form_reader(gui_core.catalogue)).imported) == 1
    rows = gui_core.desk.inbox_page(InboxQuery(channel=Channel.PDF_FORM), offset=0, limit=200)
    (row,) = [r for r in rows if r.needs_data_entry]

    page, view = window.case_page, window.case_page.view
    with qtbot.waitSignal(page.shown, timeout=10_000):
        page.show_case(row.id)
    shown = view.applicant.itemAt(0, QFormLayout.ItemRole.FieldRole).widget()
    assert "Daten erfassen" in shown.text()  # type: ignore[attr-defined]
    with qtbot.waitSignal(page.shown, timeout=10_000):
        page.act(CaseAction.CLAIM)
    enter, approve = view.buttons["enter_data"], view.buttons["approve"]
    assert enter.isVisible() and enter.isEnabled()
    assert not approve.isEnabled()

    with qtbot.waitSignal(page.dialog_opened, timeout=20_000) as opened:
        qtbot.mouseClick(enter, Qt.MouseButton.LeftButton)
    dialog = opened.args[0]
    assert isinstance(dialog, DataEntryDialog)
    assert isinstance(dialog.scan, QScrollArea)  # the scan's pages beside the form
    assert not dialog.service.isEnabled() and dialog.service_id == SERVICE
    assert not dialog.next_button.isVisible()

    dialog.field("family_name").insert("Kaya")  # type: ignore[union-attr]
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # refused before anything is stored: the rest is missing
    assert dialog.field("family_name").text() == "Kaya"  # type: ignore[union-attr]
    assert gui_core.cases.get(row.id).needs_data_entry

    dialog.field("given_names").insert("Mehmet")  # type: ignore[union-attr]
    dialog.field("birth_date").insert("03.07.1979")  # type: ignore[union-attr]
    delivery = dialog.field("delivery")
    delivery.setCurrentIndex(delivery.findData("paper"))  # type: ignore[union-attr]
    with qtbot.waitSignal(page.shown, timeout=10_000):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert not isValid(dialog) or not dialog.isVisible()  # closed (and deleted)
    case = gui_core.cases.get(row.id)
    assert not case.needs_data_entry and case.applicant.display_name == "Kaya, Mehmet"
    assert not view.buttons["enter_data"].isVisible()
    assert view.buttons["approve"].isEnabled()
    assert "Daten vom Scan erfasst" in [
        view.history.item(i).text().split(": ", 1)[-1] for i in range(view.history.count())
    ]
