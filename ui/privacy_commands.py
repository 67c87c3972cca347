"""The data-protection commands of the Verwaltung menu: "Auskunft (Art. 15)…" for supervisors
(ui.access_report_dialog) and "Aufbewahrung und Löschung…" for administrators
(ui.retention_dialog). Searching, deleting and holding run on the database lane, the PDF is
made and a file written on the printing lane; each answer shows in the dialog's message line."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from app.domain.access_report import AccessReport, Person
from app.domain.catalogue import Catalogue
from app.domain.retention import RetentionResult
from app.domain.users import Role, User
from app.lanes import Lane
from app.services.access_report import AccessDesk, report_json
from app.services.retention import RetentionDesk
from ui.access_report_dialog import AccessReportDialog
from ui.dialogs import ask_save_path
from ui.i18n import error_text, format_number, language, tr
from ui.operations import Operation
from ui.retention_dialog import RetentionDialog
from ui.tasks import TaskRunner


@dataclass(frozen=True, slots=True)
class PrivacyDesks:
    access: AccessDesk
    retention: RetentionDesk
    catalogue: Catalogue
    access_pdf: Callable[[AccessReport], bytes]  # the citizen's PDF (printing.access_report_pdf)


class PrivacyCommands(QObject):
    def __init__(
        self,
        *,
        runner: TaskRunner,
        desks: PrivacyDesks | None,
        user: Callable[[], User],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.runner, self.desks, self._user, self._parent = runner, desks, user, parent
        self.access_action, self.retention_action = QAction(parent), QAction(parent)
        self.access_action.triggered.connect(self.open_access_report)
        self.retention_action.triggered.connect(self.open_retention)
        for action in (self.access_action, self.retention_action):
            action.setVisible(False)
        self.access_dialog: AccessReportDialog | None = None
        self.retention_dialog: RetentionDialog | None = None

    def add_to(self, menu: QMenu) -> None:
        menu.addSeparator()
        menu.addActions([self.access_action, self.retention_action])

    def signed_in(self, user: User) -> None:
        """A supervisor makes access reports, an administrator runs retention."""
        self.access_action.setVisible(self.desks is not None and user.has_role(Role.SUPERVISOR))
        self.retention_action.setVisible(self.desks is not None and user.has_role(Role.ADMIN))

    def retranslate(self) -> None:
        self.access_action.setText(tr("action.access_report"))
        self.retention_action.setText(tr("action.retention"))

    def _service_names(self) -> dict[str, str]:
        assert self.desks is not None
        return {s.id: s.name(language()) for s in self.desks.catalogue.services}

    # --- access report ------------------------------------------------------------------------

    def open_access_report(self) -> AccessReportDialog | None:
        if self.desks is None:
            return None
        dialog = AccessReportDialog(self._service_names(), self._parent)
        dialog.search_requested.connect(lambda person: self._search(dialog, person))
        dialog.save_requested.connect(lambda kind: self.save_report(dialog, kind))
        dialog.setModal(True)
        dialog.show()
        self.access_dialog = dialog
        return dialog

    def _search(self, dialog: AccessReportDialog, person: Person) -> None:
        assert self.desks is not None
        desk, user = self.desks.access, self._user()
        (
            Operation.on(self.runner, Lane.DATABASE, lambda: desk.report(user=user, person=person))
            .success(dialog.show_report)
            .failure(lambda error: dialog.show_message(error_text(error)))
            .run()
        )

    def save_report(self, dialog: AccessReportDialog, kind: str, path: Path | None = None) -> None:
        """The shown report as the citizen's PDF or the officer's JSON, where the supervisor
        chooses (`path` given: there, without asking)."""
        report = dialog.report
        if report is None or self.desks is None:
            return
        if path is None:
            name = f"auskunft-{report.made_at:%Y%m%d-%H%M}.{kind}"
            path = ask_save_path(dialog, tr("privacy.save_title"), name)
            if path is None:
                return
        target, render = path, self.desks.access_pdf

        def write() -> Path:
            if kind == "pdf":
                target.write_bytes(render(report))
            else:
                text = json.dumps(report_json(report), ensure_ascii=False, indent=1)
                target.write_text(text, encoding="utf-8")
            return target

        (
            Operation.on(self.runner, Lane.PRINTING, write)
            .success(
                lambda written: dialog.show_message(tr("privacy.saved", path=str(written)), ok=True)
            )
            .failure(lambda error: dialog.show_message(error_text(error)))
            .run()
        )

    # --- retention ----------------------------------------------------------------------------

    def open_retention(self) -> RetentionDialog | None:
        if self.desks is None:
            return None
        dialog = RetentionDialog(self._service_names(), self._parent)
        dialog.show_periods(self.desks.retention.periods())
        dialog.run_requested.connect(lambda: self._run(dialog))
        dialog.hold_requested.connect(lambda ref, reason: self._hold(dialog, ref, reason))
        dialog.release_requested.connect(lambda ref: self._hold(dialog, ref, None))
        dialog.setModal(True)
        dialog.show()
        self.retention_dialog = dialog
        self._load_due(dialog)
        return dialog

    def _load_due(self, dialog: RetentionDialog, message: str = "") -> None:
        assert self.desks is not None
        desk, user = self.desks.retention, self._user()

        def shown(answer: tuple[RetentionResult, dt.datetime | None]) -> None:
            dialog.show_due(*answer)
            if message:
                dialog.show_message(message, ok=True)

        (
            Operation.on(
                self.runner, Lane.DATABASE, lambda: (desk.preview(user=user), desk.last_run())
            )
            .success(shown)
            .failure(lambda error: dialog.show_message(error_text(error)))
            .run()
        )

    def _run(self, dialog: RetentionDialog) -> None:
        assert self.desks is not None
        desk, user = self.desks.retention, self._user()

        def done(result: RetentionResult) -> None:
            total = format_number(sum(result.counts().values()))
            self._load_due(dialog, tr("retention.done", count=total))

        (
            Operation.on(self.runner, Lane.DATABASE, lambda: desk.run(user=user))
            .success(done)
            .failure(lambda error: dialog.show_message(error_text(error)))
            .run()
        )

    def _hold(self, dialog: RetentionDialog, reference: str, reason: str | None) -> None:
        """A legal hold set (`reason`) or released (None)."""
        assert self.desks is not None
        desk, user, ref = self.desks.retention, self._user(), reference.strip()

        def change() -> None:
            if reason is None:
                desk.release(user=user, reference=ref)
            else:
                desk.hold(user=user, reference=ref, reason=reason)

        key = "retention.released" if reason is None else "retention.held"
        (
            Operation.on(self.runner, Lane.DATABASE, change)
            .success(lambda _none: self._load_due(dialog, tr(key, reference=ref)))
            .failure(lambda error: dialog.show_message(error_text(error)))
            .run()
        )
