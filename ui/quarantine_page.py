"""The quarantine page: submissions and forms that could not become cases, when, which, why;
the raw bytes can be saved, and an entry settled once the clerk dealt with it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.intake import PAPER_PREFIX, IntakeRecord, SettleReason
from app.domain.messages import render
from app.domain.users import User
from app.lanes import Lane
from app.services.quarantine import QuarantineDesk
from ui.dialogs import ask_save_path
from ui.i18n import error_text, format_moment, language, tr, tr_title
from ui.operations import Operation
from ui.tasks import TaskRunner


def raw_file_name(record: IntakeRecord) -> str:
    """A PDF form was received as the PDF itself; a portal submission as JSON."""
    is_form = record.submission_id.startswith(PAPER_PREFIX)
    return f"{record.submission_id}.{'pdf' if is_form else 'json'}"


def problem_text(record: IntakeRecord) -> str:
    """The reason in the clerk's words: the technical rest (an exception's name, a byte count)
    is put as the clerk reads it or left out."""
    detail = record.detail
    if record.problem == "encryption-issue":
        part = detail.split(":", 1)[0].strip()
        detail = (
            tr(f"quarantine.part.{part}")
            if part in ("data", "metadata")
            else tr("quarantine.part.attachment")
        )
    elif record.problem == "data-schema-violation" and (
        missing := re.fullmatch(r"'(\w+)' is a required property", detail)
    ):
        detail = tr("quarantine.required", field=missing[1])  # jsonschema's words, for the portal
    elif record.problem == "attachment-too-large" and detail.split(" ")[0].isdigit():
        megabytes = int(detail.split(" ")[0]) / (1024 * 1024)
        detail = tr("quarantine.size", size=f"{megabytes:.1f}".replace(".", ","))
    return render(f"intake.{record.problem}", language(), detail=detail)


COLUMNS = (
    "quarantine.received",
    "quarantine.service",
    "quarantine.applicant",
    "quarantine.reason",
    "quarantine.submission",
)


class QuarantinePage(QWidget):
    """Submissions that could not become cases: when, which, why; the raw bytes can be saved."""

    loaded = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        desk: QuarantineDesk,
        user: Callable[[], User],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner, self._desk, self._user = runner, desk, user
        self.records: list[IntakeRecord] = []
        self.settle_dialog: QInputDialog | None = None
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setTabKeyNavigation(False)  # Tab leaves the list for the buttons
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(lambda: self.save_raw())
        self.settle_button = QPushButton()
        self.settle_button.clicked.connect(lambda: self.settle())
        self.message = QLabel()
        layout = QVBoxLayout(self)
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        layout.addWidget(self.explain)
        layout.addWidget(self.table)
        actions = QHBoxLayout()
        actions.addWidget(self.save_button)
        actions.addWidget(self.settle_button)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        self.retranslate()

    def retranslate(self) -> None:
        self.table.setAccessibleName(tr("quarantine.title"))
        self.table.setHorizontalHeaderLabels([tr(key) for key in COLUMNS])
        self.save_button.setText(tr("quarantine.save_raw"))
        self.settle_button.setText(tr("quarantine.settle"))
        self.explain.setText(tr("quarantine.explain"))
        self.message.setAccessibleName(tr("name.message"))
        if self.records:
            self._show(self.records)

    def load(self) -> None:
        desk, user = self._desk, self._user()
        (
            Operation.on(self._runner, Lane.DATABASE, lambda: desk.entries(user=user))
            .success(self._show)
            .failure(lambda error: self.message.setText(error_text(error)))
            .run()
        )

    def _show(self, records: list[IntakeRecord]) -> None:
        chosen = self._chosen_id()
        self.records = records
        self.table.setRowCount(len(records))
        for row, record in enumerate(records):
            received = format_moment(record.received_at)
            unknown = tr("quarantine.unknown")
            texts = (
                received,
                record.service or unknown,
                record.applicant or unknown,
                problem_text(record),
                record.submission_id,
            )
            for column, text in enumerate(texts):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        # the entry the clerk chose stays chosen across a reload; otherwise nothing is chosen
        # until the clerk chooses (Down or a click): no action on an entry not highlighted
        self.table.clearSelection()
        self.table.setCurrentCell(-1, -1)
        ids = [record.submission_id for record in records]
        if chosen in ids:
            self.table.selectRow(ids.index(chosen))
        self.loaded.emit()

    def _chosen_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if rows and 0 <= rows[0].row() < len(self.records):
            return self.records[rows[0].row()].submission_id
        return None

    def showEvent(self, event: QShowEvent) -> None:
        """Shown by any way (Ctrl+2, its tab, Ctrl+Shift+Q): the list as it is now."""
        super().showEvent(event)
        self.load()

    def settle(self, reason: SettleReason | None = None) -> None:
        """Take the selected submission off the list, saying how it was dealt with."""
        record = self._selected()
        if record is None:
            return
        if reason is None:  # ask how, window-modal: the event loop (and the pulls) go on
            choices = {tr(f"settle.{choice.value}"): choice for choice in SettleReason}
            dialog = QInputDialog(self)
            dialog.setWindowTitle(tr_title("quarantine.settle"))
            dialog.setLabelText(tr("quarantine.settle_question_named", entry=self._entry(record)))
            dialog.setComboBoxItems(list(choices))
            dialog.setComboBoxEditable(False)
            dialog.textValueSelected.connect(lambda text: self.settle(choices[text]))
            dialog.finished.connect(dialog.deleteLater)
            self.settle_dialog = dialog
            dialog.open()
            return
        desk, user = self._desk, self._user()

        def work() -> str:
            desk.settle(user=user, submission_id=record.submission_id, reason=reason)
            return record.submission_id

        def settled(submission_id: str) -> None:
            self.message.setText(tr("quarantine.settled", submission=submission_id))
            self.load()

        def failed(error: BaseException) -> None:
            self.message.setText(error_text(error))
            self.load()

        (Operation.on(self._runner, Lane.DATABASE, work).success(settled).failure(failed).run())

    def _selected(self) -> IntakeRecord | None:
        """The entry the clerk chose; none chosen is said, never taken to mean the first."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self.records):
            self.message.setText(tr("quarantine.pick_entry"))
            return None
        return self.records[rows[0].row()]

    @staticmethod
    def _entry(record: IntakeRecord) -> str:
        unknown = tr("quarantine.unknown")
        service, applicant = record.service or unknown, record.applicant or unknown
        return f"{format_moment(record.received_at)} · {service} · {applicant}"

    def save_raw(self, target: str | None = None) -> None:
        record = self._selected()
        if record is None:
            return
        path = (
            Path(target)
            if target
            else ask_save_path(self, tr_title("quarantine.save_raw"), raw_file_name(record))
        )
        if path is None:
            return
        desk, user = self._desk, self._user()

        def write() -> Path:
            path.write_bytes(desk.raw(user=user, submission_id=record.submission_id))
            return path

        (
            Operation.on(self._runner, Lane.DATABASE, write)
            .success(lambda saved: self.message.setText(tr("quarantine.saved", path=str(saved))))
            .failure(lambda error: self.message.setText(error_text(error)))
            .run()
        )
