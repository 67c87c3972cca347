"""Runs the till dialog: today's day of this seat's till loaded, closed and confirmed on the
database lane; the dialog shows each answer, a refusal (a difference without a note, one's own
day) in its message line."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from app.domain.users import Office, User
from app.lanes import Lane
from app.services.till import DayView, TillDesk
from ui.i18n import error_text, tr
from ui.operations import Operation
from ui.printer_output import PrintResult, print_pdf
from ui.tasks import TaskRunner
from ui.till_dialog import TillDialog


class TillController(QObject):
    def __init__(
        self,
        *,
        runner: TaskRunner,
        desk: TillDesk,
        counter: str,
        user: Callable[[], User],
        offices: Callable[[], list[Office]],
        parent: QWidget,
        receipt: Callable[[int], tuple[bytes, str]] | None = None,
        printer: str = "",
    ) -> None:
        super().__init__(parent)
        self.runner, self.desk, self.counter = runner, desk, counter
        self._receipt, self._printer = receipt, printer
        self._user, self._offices, self._parent = user, offices, parent
        self.dialog: TillDialog | None = None

    def open(self) -> TillDialog:
        dialog = TillDialog(self.counter, self._parent)
        self.dialog = dialog
        dialog.close_requested.connect(lambda counted, note: self._close(dialog, counted, note))
        dialog.confirm_requested.connect(lambda: self._confirm(dialog))
        dialog.receipt_requested.connect(lambda entry: self._print_receipt(dialog, entry))
        dialog.receipt_button.setVisible(self._receipt is not None)
        dialog.setModal(True)
        dialog.show()
        self._load(dialog)
        return dialog

    def _office_id(self) -> int:
        return self._user().office_id

    def _load(self, dialog: TillDialog, message: str = "") -> None:
        desk, office, counter = self.desk, self._office_id(), self.counter

        def shown(view: DayView) -> None:
            dialog.show_day(view)
            if message:
                dialog.show_message(message, ok=True)

        (
            Operation.on(
                self.runner, Lane.DATABASE, lambda: desk.view(office_id=office, counter=counter)
            )
            .success(shown)
            .failure(lambda error: dialog.show_message(error_text(error)))
            .run()
        )

    def _close(self, dialog: TillDialog, counted: int, note: str) -> None:
        desk, user, office, counter = self.desk, self._user(), self._office_id(), self.counter
        (
            Operation.on(
                self.runner,
                Lane.DATABASE,
                lambda: desk.close_day(
                    user=user, office_id=office, counter=counter, counted_cents=counted, note=note
                ),
            )
            .success(lambda _day: self._load(dialog, tr("till.closed_message")))
            .failure(lambda error: dialog.show_message(error_text(error)))
            .run()
        )

    def _confirm(self, dialog: TillDialog) -> None:
        desk, user, office, counter = self.desk, self._user(), self._office_id(), self.counter
        (
            Operation.on(
                self.runner,
                Lane.DATABASE,
                lambda: desk.confirm_day(user=user, office_id=office, counter=counter),
            )
            .success(lambda _day: self._load(dialog, tr("till.confirmed_message")))
            .failure(lambda error: dialog.show_message(error_text(error)))
            .run()
        )

    def _print_receipt(self, dialog: TillDialog, entry_id: int) -> None:
        """The Quittung made on the database lane (the entry, its case), printed on the
        printing lane to this seat's counter printer."""
        receipt, printer = self._receipt, self._printer
        if receipt is None:
            return

        def printed(result: PrintResult) -> None:
            dialog.show_message(tr("till.receipt_printed", printer=result.printer), ok=True)

        (
            Operation.on(self.runner, Lane.DATABASE, lambda: receipt(entry_id))
            .then(
                Lane.PRINTING,
                lambda made: print_pdf(made[0], printer_name=printer, copies=1, title=made[1]),
            )
            .success(printed)
            .failure(lambda error: dialog.show_message(error_text(error)))
            .run()
        )
