"""A walk-in citizen's case from the counter: the form dialog, then the case stored on the
database lane; the dialog stays open with the clerk's input when storing fails."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.domain.cases import Case
from app.domain.catalogue import Catalogue
from app.domain.users import Office, User
from app.lanes import Lane
from app.services.desk import CaseDesk, FormInvalid
from ui.i18n import fault_text, tr
from ui.operations import Operation
from ui.tasks import TaskRunner
from ui.walk_in_dialog import WalkInDialog


class WalkInController(QObject):
    """`created(case)` once the new case is stored."""

    created = Signal(object)

    def __init__(
        self,
        *,
        runner: TaskRunner,
        desk: CaseDesk,
        catalogue: Catalogue,
        today: Callable[[], object],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.runner, self.desk, self.catalogue, self._today = runner, desk, catalogue, today
        self._parent = parent
        self.dialog: WalkInDialog | None = None

    def open(self, user: User, offices: list[Office]) -> WalkInDialog:
        dialog = WalkInDialog(
            catalogue=self.catalogue,
            offices=offices,
            office_id=user.office_id,
            today=self._today,  # type: ignore[arg-type]
            parent=self._parent,
        )
        dialog.submitted.connect(
            lambda service_id, form, office_id: self._store(
                dialog, user, service_id, form, office_id
            )
        )
        self.dialog = dialog
        dialog.setModal(True)
        dialog.show()
        return dialog

    def _store(
        self,
        dialog: WalkInDialog,
        user: User,
        service_id: str,
        form: dict[str, str],
        office_id: int,
    ) -> None:
        desk = self.desk

        def done(case: Case) -> None:
            dialog.saved(case.reference)
            self.created.emit(case)

        def failed(error: BaseException) -> None:
            if isinstance(error, FormInvalid):
                dialog.save_failed(tr("walkin.invalid", count=len(error.errors)))
            else:
                dialog.save_failed(fault_text(error))

        (
            Operation.on(
                self.runner,
                Lane.DATABASE,
                lambda: desk.open_walk_in(
                    user=user, service_id=service_id, form=form, office_id=office_id, claim=True
                ),
            )
            .success(done)
            .failure(failed)
            .run()
        )
