"""Users and offices for administrators: the dialog's saves run on the database lane, audited
by the staff use cases, and the dialog shows the stored state afterwards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.domain.users import Office, Role, User
from app.lanes import Lane
from app.ports import AuditLog, Clock, UserDirectory
from app.services.staff import save_office, save_user
from ui.admin_dialog import AdminDialog
from ui.i18n import error_text, tr
from ui.operations import Operation
from ui.tasks import TaskRunner


class AdminController(QObject):
    """`staff_changed(users, offices)` after every save, so the window's lists follow."""

    staff_changed = Signal(list, list)

    def __init__(
        self,
        *,
        runner: TaskRunner,
        users: UserDirectory,
        audit: AuditLog,
        clock: Clock,
        actor: Callable[[], User],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.runner, self.users, self.audit, self.clock = runner, users, audit, clock
        self._actor, self._parent = actor, parent
        self.dialog: AdminDialog | None = None

    def open(self, staff: list[User], offices: list[Office]) -> AdminDialog:
        dialog = AdminDialog(staff, offices, self._parent)
        dialog.save_user_requested.connect(lambda values: self._save_user(dialog, values))
        dialog.save_office_requested.connect(
            lambda code, name: self._save_office(dialog, code, name)
        )
        self.dialog = dialog
        dialog.open()
        return dialog

    def _save_user(self, dialog: AdminDialog, values: dict[str, Any]) -> None:
        users, clock, actor = self.users, self.clock, self._actor()
        values = {**values, "role": Role(values["role"])}  # signals carry plain values
        self._run(
            dialog,
            lambda: save_user(users=users, clock=clock, actor=actor, **values),
            values["login"],
        )

    def _save_office(self, dialog: AdminDialog, code: str, name: str) -> None:
        users, clock, actor = self.users, self.clock, self._actor()
        self._run(
            dialog,
            lambda: save_office(users=users, clock=clock, actor=actor, code=code, name=name),
            code,
        )

    def _run(self, dialog: AdminDialog, save: Callable[[], object], what: str) -> None:
        users = self.users

        def saved_and_reloaded() -> tuple[list[User], list[Office]]:
            save()
            return users.users(), users.offices()

        def done(data: tuple[list[User], list[Office]]) -> None:
            dialog.show_data(*data)
            dialog.show_message(tr("admin.saved", what=what))
            self.staff_changed.emit(*data)

        (
            Operation.on(self.runner, Lane.DATABASE, saved_and_reloaded)
            .success(done)
            .failure(lambda error: dialog.show_message(error_text(error), error=True))
            .run()
        )
