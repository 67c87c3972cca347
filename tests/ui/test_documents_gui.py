"""Approve → preview → print through the window into a real CUPS queue (cups-pdf), and the
printed output read back: rasterised at 200 dpi, the 2D seal decoded and verified. A stopped
printer gives a clear message and leaves the case as it was."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.cases import CaseStatus
from app.domain.intake import FilledForm
from app.domain.users import User
from app.integrations.pdf_forms import read_form
from app.wiring import Core
from printing import verify
from printing.wiring import build_documents
from sandbox.cups import PrivateCups
from tests.conftest import PASSPHRASE, SealSetup, decided_walk_in, meldebescheinigung_form
from tests.support.keys import activate
from tests.ui.conftest import LOGIN
from ui.document_controller import DocumentController
from ui.form_dialog import FormDialog
from ui.i18n import set_language
from ui.main_window import MainWindow
from ui.print_dialog import PrintDialog
from ui.tasks import TaskRunner
from ui.verify_dialog import VerifyDialog


@pytest.fixture(scope="module")
def cups() -> Iterator[PrivateCups]:
    with PrivateCups.in_temporary_folder(queue=f"Theke-{uuid.uuid4().hex[:6]}") as cups:
        yield cups


class _Secrets:
    def get(self, name: str) -> str | None:
        return PASSPHRASE if name == "seal-key-password" else None

    def set(self, name: str, value: str) -> None:
        raise NotImplementedError


@pytest.fixture
def doc_window(
    qtbot: QtBot, gui_core: Core, runner: TaskRunner, seal: SealSetup, cups: PrivateCups
) -> Iterator[MainWindow]:
    from dataclasses import replace

    set_language("de")
    gui_core.settings = replace(
        gui_core.settings, seal_pkcs12_file=str(seal.p12), printer_name=cups.queue
    )
    window = MainWindow(
        core=gui_core,
        runner=runner,
        login=LOGIN,
        documents=build_documents(gui_core, _Secrets),
        trust=lambda: seal.trust,
    )

    def settle(_widget: object) -> None:
        # pytest-qt closes and deletes the window before fixtures finish: let the last
        # results (the reloaded case after a print) arrive first, then stop the lanes.
        qtbot.waitUntil(lambda: runner.pending == 0, timeout=20_000)
        runner.shutdown()

    qtbot.addWidget(window, before_close_func=settle)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.begin()
    yield window


def _approved_case(core: Core) -> int:
    user = core.users.by_login(LOGIN)
    assert isinstance(user, User)
    return decided_walk_in(core, user, form=meldebescheinigung_form(family_name="Größmann"))


def _open_print_dialog(qtbot: QtBot, window: MainWindow, case_id: int) -> PrintDialog:
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        window.case_page.show_case(case_id)
    button = window.case_page.view.buttons["print"]
    qtbot.waitUntil(button.isEnabled, timeout=5_000)
    controller = window.documents
    assert isinstance(controller, DocumentController)
    with qtbot.waitSignal(controller.dialog_opened, timeout=20_000) as opened:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = opened.args[0]
    assert isinstance(dialog, PrintDialog)
    return dialog


def test_approve_preview_print_and_read_the_seal_back(
    qtbot: QtBot, doc_window: MainWindow, gui_core: Core, cups: PrivateCups, seal: SealSetup
) -> None:
    case_id = _approved_case(gui_core)
    before = cups.snapshot()
    dialog = _open_print_dialog(qtbot, doc_window, case_id)
    assert dialog.page_labels and not dialog.page_labels[0].pixmap().isNull()
    assert dialog.printer.currentText() == cups.queue
    assert not dialog.reprint_note.isVisible()
    number = dialog.document.number
    controller = doc_window.documents
    assert controller is not None
    with qtbot.waitSignal(controller.printed, timeout=30_000):
        qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert gui_core.cases.get(case_id).status is CaseStatus.PRINTED
    history = gui_core.cases.history(case_id)
    assert history[-1].action == "print" and cups.queue in history[-1].reason

    printed = cups.wait_for_output(number, before=before)
    seals = verify.seals_in_pdf(printed.read_bytes(), dpi=200)
    assert seals, "the printed page carries a readable 2D seal"
    verdict = verify.check_seal(seals[0], seal.trust)
    assert verdict.ok, verdict.message
    assert "Größmann" in verdict.message and number in verdict.message

    # The list on the case shows the document, printed once; printing again is a reprint.
    qtbot.waitUntil(lambda: doc_window.case_page.view.documents.count() == 1, timeout=10_000)
    assert "1× gedruckt" in doc_window.case_page.view.documents.item(0).text()
    again = _open_print_dialog(qtbot, doc_window, case_id)
    before_reprint = cups.snapshot()
    assert again.document.number == number and again.reprint_note.isVisible()
    with qtbot.waitSignal(controller.printed, timeout=30_000) as done:
        qtbot.mouseClick(again.print_button, Qt.MouseButton.LeftButton)
    assert done.args[1].reprint
    reprinted = cups.wait_for_output(number, before=before_reprint)
    # the job's name says it is a reprint and when it was sent: it never overwrites the first
    assert reprinted != printed and "NACHDRUCK" in reprinted.name, reprinted.name
    assert verify.seals_in_pdf(reprinted.read_bytes(), dpi=200)
    assert [
        p.reprint
        for p in controller.desk.prints(user=doc_window.user, document_id=again.document.id)
    ] == [False, True]


def test_stopped_printer_keeps_the_case_and_says_why(
    qtbot: QtBot, doc_window: MainWindow, gui_core: Core, cups: PrivateCups
) -> None:
    case_id = _approved_case(gui_core)
    dialog = _open_print_dialog(qtbot, doc_window, case_id)
    cups.disable()
    try:
        with qtbot.waitSignal(doc_window.action_failed, timeout=30_000) as failed:
            qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    finally:
        cups.enable()
    assert "nicht bereit" in failed.args[0]
    assert dialog.isVisible() and "nicht bereit" in dialog.message.text()
    assert dialog.print_button.isEnabled()  # fix the printer, press again: nothing is lost
    assert gui_core.cases.get(case_id).status is CaseStatus.APPROVED
    controller = doc_window.documents
    assert controller is not None
    with qtbot.waitSignal(controller.printed, timeout=30_000):
        qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert gui_core.cases.get(case_id).status is CaseStatus.PRINTED


def test_check_a_document_in_the_app(
    qtbot: QtBot, doc_window: MainWindow, seal: SealSetup, tmp_path: Path
) -> None:
    from app.domain.documents import DocumentKind
    from printing.maker import SealedDocumentMaker
    from printing.seal_keys import Pkcs12SealKey
    from sandbox.document_samples import sample_content
    from sandbox.seal_pki import SIGNER_ID

    made = seal.maker.make(sample_content(DocumentKind.STERBEURKUNDE))
    pdf = tmp_path / "urkunde.pdf"
    pdf.write_bytes(made.pdf)
    controller = doc_window.documents
    assert controller is not None
    dialog = controller.open_verify()
    assert isinstance(dialog, VerifyDialog)
    dialog.check_file(str(pdf))
    qtbot.waitUntil(lambda: "Sterbeurkunde" in dialog.verdict_label.text(), timeout=20_000)
    assert dialog.verdict_label.text().startswith("ECHT UND UNVERÄNDERT")
    assert "Geprüft: urkunde.pdf" in dialog.verdict_label.text()  # which of several files
    dialog.hex_input.setText(made.seal[:-1].hex() + "00")
    qtbot.keyClick(dialog.hex_input, Qt.Key.Key_Return)  # a hand scanner ends with Return
    qtbot.waitUntil(lambda: "NICHT ECHT" in dialog.verdict_label.text(), timeout=10_000)

    # a forgery signed with a clerk's own certificate of the city's CA is not the seal
    clerk_p12 = tmp_path / "clerk.p12"
    seal.pki.pkcs12(clerk_p12, "Jürgen Weiß", serial=0x7711, passphrase="clerk")
    forger = SealedDocumentMaker(
        Pkcs12SealKey(clerk_p12, "clerk"), signer_id=SIGNER_ID, location="Siegen"
    )
    forged = tmp_path / "gefaelscht.pdf"
    forged.write_bytes(forger.make(sample_content(DocumentKind.STERBEURKUNDE)).pdf)
    dialog.check_file(str(forged))
    qtbot.waitUntil(lambda: dialog.verdict_label.text().startswith("NICHT ECHT"), timeout=20_000)
    assert "kein Dienstsiegel der Stadt" in dialog.verdict_label.text()
    cut = tmp_path / "abgeschnitten.pdf"
    cut.write_bytes(made.pdf[: len(made.pdf) // 2])
    dialog.check_file(str(cut))
    qtbot.waitUntil(lambda: dialog.verdict_label.text().startswith("NICHT PRÜFBAR"), timeout=20_000)


def test_approving_opens_the_preview_of_the_original(
    qtbot: QtBot, doc_window: MainWindow, gui_core: Core
) -> None:
    user = gui_core.users.by_login(LOGIN)
    assert user is not None
    case_id = decided_walk_in(gui_core, user, approve=False)
    with qtbot.waitSignal(doc_window.case_page.shown, timeout=10_000):
        doc_window.case_page.show_case(case_id)
    controller = doc_window.documents
    assert controller is not None
    qtbot.mouseClick(doc_window.case_page.view.buttons["approve"], Qt.MouseButton.LeftButton)
    confirm = doc_window.case_page.active_dialog
    assert confirm is not None and confirm.isVisible()  # a register number: it asks first
    with qtbot.waitSignal(controller.dialog_opened, timeout=30_000) as opened:
        confirm.accept()
    dialog = opened.args[0]
    assert isinstance(dialog, PrintDialog)
    assert dialog.document.kind.value == "meldebescheinigung"
    dialog.reject()  # printing later is fine: the case waits, approved, with its original issued
    assert gui_core.cases.get(case_id).status is CaseStatus.APPROVED


def test_document_dialogs_work_by_keyboard_and_name_their_inputs(
    qtbot: QtBot, doc_window: MainWindow, gui_core: Core
) -> None:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QSpinBox

    case_id = _approved_case(gui_core)
    with qtbot.waitSignal(doc_window.case_page.shown, timeout=10_000):
        doc_window.case_page.show_case(case_id)
    controller = doc_window.documents
    assert controller is not None
    with qtbot.waitSignal(controller.dialog_opened, timeout=30_000) as opened:
        qtbot.keyClick(doc_window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialogs = [opened.args[0], controller.open_verify()]
    for dialog in dialogs:
        unnamed = [
            type(widget).__name__
            for kind in (QLineEdit, QComboBox, QSpinBox, QAbstractButton)
            for widget in dialog.findChildren(kind)
            if widget.isVisible()
            and not widget.accessibleName()
            and not (isinstance(widget, QAbstractButton) and widget.text())
            and type(widget.parent()).__name__ not in ("QComboBox", "QSpinBox", "QScrollBar")
        ]
        assert unnamed == [], type(dialog).__name__
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert not dialog.isVisible()


def test_blank_application_form_is_saved_and_printed_at_the_counter(
    qtbot: QtBot, gui_core: Core, runner: TaskRunner, cups: PrivateCups, tmp_path: Path
) -> None:
    target = tmp_path / "antrag.pdf"
    dialog = FormDialog(
        runner=runner,
        catalogue=gui_core.catalogue,
        printer_name=cups.queue,
        choose_target=lambda _parent, suggested: str(target),
    )
    qtbot.addWidget(dialog, before_close_func=lambda _w: runner.shutdown())
    dialog.service.setCurrentIndex(dialog.service.findData("bewohnerparkausweis"))
    with qtbot.waitSignal(dialog.finished_work, timeout=30_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert read_form(target.read_bytes()) == FilledForm("bewohnerparkausweis", {})
    assert dialog.status.text() == f"Formular gespeichert: {target}"

    before = cups.snapshot()
    with qtbot.waitSignal(dialog.finished_work, timeout=30_000):
        qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text().startswith(f"Formular an „{cups.queue}“ gesendet")
    printed = cups.wait_for_output("Antrag", before=before)
    assert printed.read_bytes().startswith(b"%PDF")


def test_check_a_scanned_seal_by_keyboard_only(
    qtbot: QtBot, doc_window: MainWindow, seal: SealSetup
) -> None:
    """Ctrl+Shift+P, the hand scanner types the seal's hex and Return: the verdict."""
    from PySide6.QtWidgets import QApplication

    from app.domain.documents import DocumentKind
    from sandbox.document_samples import sample_content

    made = seal.maker.make(sample_content(DocumentKind.GEBURTSURKUNDE))
    activate(qtbot, doc_window)
    controller = doc_window.documents
    assert controller is not None
    with qtbot.waitSignal(controller.dialog_opened, timeout=10_000) as opened:
        qtbot.keyClick(
            QApplication.focusWidget() or doc_window,
            Qt.Key.Key_P,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    dialog = opened.args[0]
    assert isinstance(dialog, VerifyDialog)
    activate(qtbot, dialog)
    assert QApplication.focusWidget() is dialog.hex_input  # the scanner types here at once
    qtbot.keyClicks(dialog.hex_input, made.seal.hex())
    qtbot.keyClick(dialog.hex_input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "ECHT" in dialog.verdict_label.text(), timeout=20_000)
    assert "NICHT" not in dialog.verdict_label.text()
    assert "Geburtsurkunde" in dialog.verdict_label.text()
    qtbot.keyClick(dialog.hex_input, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_print_the_original_by_keyboard_only(
    qtbot: QtBot, doc_window: MainWindow, gui_core: Core, cups: PrivateCups
) -> None:
    """Ctrl+P on the approved case opens the preview with the focus on Drucken; Return
    prints into the counter's CUPS queue and the case is PRINTED."""
    from PySide6.QtWidgets import QApplication

    case_id = _approved_case(gui_core)
    with qtbot.waitSignal(doc_window.case_page.shown, timeout=10_000):
        doc_window.case_page.show_case(case_id)
    activate(qtbot, doc_window)
    controller = doc_window.documents
    assert controller is not None
    with qtbot.waitSignal(controller.dialog_opened, timeout=20_000) as opened:
        qtbot.keyClick(
            QApplication.focusWidget() or doc_window,
            Qt.Key.Key_P,
            Qt.KeyboardModifier.ControlModifier,
        )
    dialog = opened.args[0]
    assert isinstance(dialog, PrintDialog)
    activate(qtbot, dialog)
    assert QApplication.focusWidget() is dialog.print_button and dialog.print_button.isDefault()
    before = cups.snapshot()
    with qtbot.waitSignal(controller.printed, timeout=30_000):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert gui_core.cases.get(case_id).status is CaseStatus.PRINTED
    cups.wait_for_output(dialog.document.number, before=before)


def test_register_facts_confirmed_on_the_case_then_the_original(
    qtbot: QtBot, doc_window: MainWindow, gui_core: Core
) -> None:
    """A seat without a register adapter: printing is refused until the clerk confirms the
    register facts in the case's form; then the original carries them."""
    from ui.register_dialog import RegisterDialog

    user = gui_core.users.by_login(LOGIN)
    assert isinstance(user, User)
    case_id = decided_walk_in(gui_core, user, register=None)
    view = doc_window.case_page.view
    with qtbot.waitSignal(doc_window.case_page.shown, timeout=10_000):
        doc_window.case_page.show_case(case_id)
    qtbot.waitUntil(lambda: view.register_button.isVisible(), timeout=10_000)
    assert "Anschrift (Hauptwohnung)" in view.register_status.text()
    controller = doc_window.documents
    assert controller is not None
    with qtbot.waitSignal(controller.failed, timeout=20_000) as refused:
        controller.print_case(case_id)
    assert "Registerdaten bestätigen" in refused.args[0]

    with qtbot.waitSignal(controller.dialog_opened, timeout=10_000) as opened:
        qtbot.mouseClick(view.register_button, Qt.MouseButton.LeftButton)
    dialog = opened.args[0]
    assert isinstance(dialog, RegisterDialog)
    dialog.fields["main_address"].setText("")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Anschrift" in dialog.message.text(), timeout=10_000)
    assert dialog.isVisible()  # refused: still open, nothing typed is lost
    dialog.fields["main_address"].insert("Löhrstraße 7, 57072 Siegen")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: "bestätigt von" in view.register_status.text(), timeout=10_000)

    with qtbot.waitSignal(controller.dialog_opened, timeout=30_000) as opened:
        controller.print_case(case_id)
    preview = opened.args[0]
    assert isinstance(preview, PrintDialog)
    (issued,) = gui_core.documents.for_case(case_id)
    printed_seal = b"".join(verify.seals_in_pdf(gui_core.documents.pdf(issued.id)))
    assert "Löhrstraße 7, 57072 Siegen".encode() in printed_seal
    preview.reject()
