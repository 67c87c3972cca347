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
    ) -> None:
        super().__init__(parent)
        self.runner, self.desk, self.counter = runner, desk, counter
        self._user, self._offices, self._parent = user, offices, parent
        self.dialog: TillDialog | None = None

    def open(self) -> TillDialog:
        dialog = TillDialog(self.counter, self._parent)
        self.dialog = dialog
        dialog.close_requested.connect(lambda counted, note: self._close(dialog, counted, note))
        dialog.confirm_requested.connect(lambda: self._confirm(dialog))
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
