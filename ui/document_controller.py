"""Documents in the window: the list on the case, approve → preview → print, and checking a
document a citizen brings back. Issuing and recording run on the database lane, rendering,
printing and checking on the printing lane; the case changes only once the printer took the job."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from app.domain.documents import IssuedDocument, MadeDocument, PrintRecord
from app.domain.users import User
from app.services.documents import DocumentDesk, PendingOriginal, RegisterForm, failure_reason
from ui.i18n import error_text, tr
from ui.operations import Operation
from ui.print_dialog import PrintDialog
from ui.printer_output import (
    PREVIEW_DPI,
    PrintResult,
    default_printer_name,
    print_pdf,
    printer_names,
    render_pages,
)
from ui.register_dialog import RegisterDialog
from ui.tasks import Lane, TaskRunner
from ui.verify_dialog import VerifyDialog

if TYPE_CHECKING:
    from printing import verify
    from printing.trust_list import TrustList

T = TypeVar("T")


class DocumentController(QObject):
    documents_loaded = Signal(int, list)  # case id, [IssuedDocument]
    register_loaded = Signal(int, object)  # case id, RegisterForm
    printed = Signal(int, object)  # case id, PrintRecord
    failed = Signal(str)
    dialog_opened = Signal(object)

    def __init__(
        self,
        *,
        runner: TaskRunner,
        desk: DocumentDesk,
        user: Callable[[], User],
        printer: str,
        trust: Callable[[], TrustList],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.runner, self.desk, self._user = runner, desk, user
        self._printer, self._trust, self._parent = printer, trust, parent
        self.dialog: PrintDialog | VerifyDialog | RegisterDialog | None = None

    # --- the list on the case -------------------------------------------------------------------

    def load(self, case_id: int) -> None:
        user = self._user()
        (
            Operation.on(
                self.runner,
                Lane.DATABASE,
                lambda: (
                    self.desk.documents(user=user, case_id=case_id),
                    self.desk.register_form(user=user, case_id=case_id),
                ),
            )
            .success(lambda loaded: self._loaded(case_id, *loaded))
            .failure(lambda error: self.failed.emit(error_text(error)))
            .run()
        )

    def _loaded(self, case_id: int, documents: list[IssuedDocument], form: RegisterForm) -> None:
        self.documents_loaded.emit(case_id, documents)
        self.register_loaded.emit(case_id, form)

    # --- the register's facts, confirmed by the clerk ---------------------------------------

    def open_register(self, form: RegisterForm) -> RegisterDialog:
        dialog = RegisterDialog(form, self._parent)
        user = self._user()

        def confirm(values: dict[str, str]) -> None:
            (
                Operation.on(
                    self.runner,
                    Lane.DATABASE,
                    lambda: (
                        self.desk.confirm_register_facts(
                            user=user, case_id=form.case_id, values=values
                        ),
                        self.desk.register_form(user=user, case_id=form.case_id),
                    ),
                )
                .success(lambda done: saved(done[1]))
                .failure(lambda error: dialog.failed(error_text(error)))
                .run()
            )

        def saved(updated: RegisterForm) -> None:
            dialog.accept()
            self.register_loaded.emit(form.case_id, updated)

        dialog.confirmed.connect(confirm)
        self.dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    # --- printing -----------------------------------------------------------------------------

    def print_case(self, case_id: int) -> None:
        """The original issued already, or a new one: its number reserved on the database
        lane, sealed on the printing lane (an HSM or a TSA may take seconds, and no other
        seat's writes wait for it), recorded on the database lane; then the preview."""
        user, desk = self._user(), self.desk

        def preview(found: tuple[IssuedDocument, bytes]) -> None:
            document, pdf = found
            (
                Operation.on(
                    self.runner,
                    Lane.PRINTING,
                    lambda: (render_pages(pdf, dpi=PREVIEW_DPI), printer_names()),
                )
                .success(lambda rendered: self._open_dialog(case_id, document, pdf, *rendered))
                .failure(self._fail)
                .run()
            )

        def seal(pending: PendingOriginal) -> None:
            (
                Operation.on(self.runner, Lane.PRINTING, lambda: desk.seal(pending))
                .success(lambda made: record(pending, made))
                .failure(lambda error: void(pending, error))
                .run()
            )

        def record(pending: PendingOriginal, made: MadeDocument) -> None:
            def stored() -> tuple[IssuedDocument, bytes]:
                document = desk.record(user=user, pending=pending, made=made)
                return document, desk.pdf(user=user, document_id=document.id)

            self._database(stored, preview)

        def void(pending: PendingOriginal, error: BaseException) -> None:
            reason = failure_reason(error)
            (
                Operation.on(
                    self.runner,
                    Lane.DATABASE,
                    lambda: desk.void(user=user, pending=pending, reason=reason),
                )
                .success(lambda _voided: self._fail(error))
                .failure(lambda _also: self._fail(error))
                .run()
            )

        def issued_or_reserved() -> tuple[IssuedDocument, bytes] | PendingOriginal:
            found = desk.issued(user=user, case_id=case_id)
            return found if found is not None else desk.reserve(user=user, case_id=case_id)

        self._database(
            issued_or_reserved,
            lambda next_step: (
                seal(next_step) if isinstance(next_step, PendingOriginal) else preview(next_step)
            ),
        )

    def _database(self, work: Callable[[], T], then: Callable[[T], None]) -> None:
        (Operation.on(self.runner, Lane.DATABASE, work).success(then).failure(self._fail).run())

    def _fail(self, error: BaseException) -> None:
        self.failed.emit(error_text(error))

    def _open_dialog(
        self,
        case_id: int,
        document: IssuedDocument,
        pdf: bytes,
        pages: list[QImage],
        printers: list[str],
    ) -> None:
        dialog = PrintDialog(
            document=document,
            pages=pages,
            printers=printers,
            printer=self._printer or default_printer_name(),
            parent=self._parent,
        )
        dialog.print_requested.connect(
            lambda printer, copies: self._print(case_id, document, pdf, printer, copies)
        )
        self.dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)

    def _print(
        self, case_id: int, document: IssuedDocument, pdf: bytes, printer: str, copies: int
    ) -> None:
        user = self._user()
        mark = tr("print.reprint_mark", count=document.prints + 1) if document.prints else ""

        def record(result: PrintResult) -> None:
            (
                Operation.on(
                    self.runner,
                    Lane.DATABASE,
                    lambda: self.desk.record_print(
                        user=user,
                        document_id=document.id,
                        printer=result.printer,
                        pages=result.pages,
                        copies=result.copies,
                    ),
                )
                .success(lambda stored: self._printed(case_id, stored))
                .failure(self._print_failed)
                .run()
            )

        (
            Operation.on(
                self.runner,
                Lane.PRINTING,
                lambda: print_pdf(
                    pdf, printer_name=printer, copies=copies, title=document.number, mark=mark
                ),
            )
            .success(record)
            .failure(self._print_failed)
            .run()
        )

    def _printed(self, case_id: int, record: PrintRecord) -> None:
        if isinstance(self.dialog, PrintDialog):
            self.dialog.accept()
        self.printed.emit(case_id, record)

    def _print_failed(self, error: BaseException) -> None:
        text = error_text(error)
        if isinstance(self.dialog, PrintDialog) and self.dialog.isVisible():
            self.dialog.failed(text)
        self.failed.emit(text)

    # --- checking a document ------------------------------------------------------------------

    def open_verify(self) -> VerifyDialog:
        from printing import verify  # pyHanko and libdmtx: loaded when first needed

        dialog = VerifyDialog(self._parent)
        dialog.file_chosen.connect(
            lambda path: self._check(
                dialog,
                lambda trust: verify.report_file(Path(path), trust),
                checked=Path(path).name,
            )
        )
        dialog.hex_entered.connect(
            lambda text: self._check(
                dialog,
                lambda trust: verify.report_hex(text, trust),
                checked=tr("verify.checked_scanner"),
            )
        )
        self.dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def _check(
        self, dialog: VerifyDialog, check: Callable[[TrustList], verify.Report], *, checked: str
    ) -> None:
        """The verdict, and what it was given: the clerk who checked three files in a row
        knows which one this is."""
        said = tr("verify.checked", what=checked)
        (
            Operation.on(self.runner, Lane.PRINTING, lambda: check(self._trust()))
            .success(
                lambda report: dialog.show_verdict(
                    report.authentic, f"{report.full_text()}\n{said}"
                )
            )
            .failure(lambda error: dialog.show_verdict(None, f"{error_text(error)}\n{said}"))
            .run()
        )
