""" "Aufbewahrung und Löschung": for the administrator (with the data-protection officer) the
periods the retention job follows and where each comes from, what is due now (a dry run), the
run itself after a confirmation, and a case's legal hold. The dialog shows;
ui.privacy_commands does the work on the database lane."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.retention import DataKind, RetentionResult
from app.services.retention import Period
from ui.figure_table import NUMBER_ALIGNMENT
from ui.i18n import format_day, format_number, plain, tr
from ui.reflow import fit_rows
from ui.row_list import row_list
from ui.theme import FOCUS_ROOM
from ui.walk_in_dialog import ERROR_STYLE

OK_STYLE = "color: #1b5e20;"


KIND_TEXTS = {
    DataKind.APPLICATION_DATA: "retention.kind.application_data",
    DataKind.ATTACHMENTS: "retention.kind.attachments",
    DataKind.IDENTITY_CHECKS: "retention.kind.identity_checks",
    DataKind.ORIGINALS: "retention.kind.originals",
    DataKind.QUARANTINE_RAW: "retention.kind.quarantine_raw",
    DataKind.AUDIT_RECORDS: "retention.kind.audit_records",
}


def kind_text(kind: DataKind) -> str:
    return tr(KIND_TEXTS[kind])


class RetentionDialog(QDialog):
    """`run_requested()` once confirmed; `hold_requested(reference, reason)`,
    `release_requested(reference)`."""

    run_requested = Signal()
    hold_requested = Signal(str, str)
    release_requested = Signal(str)

    def __init__(self, service_name: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service_name = service_name
        self.setWindowTitle(plain(tr("retention.title")))
        self.setAccessibleName(self.windowTitle())
        intro = QLabel(tr("retention.intro"))
        intro.setWordWrap(True)
        self.periods = row_list(4)
        self.periods.setAccessibleName(plain(tr("retention.periods")))
        self.due = row_list(2)
        self.due.setAccessibleName(plain(tr("retention.due")))
        self.periods.horizontalHeader().sectionResized.connect(  # wrapped texts fit again
            lambda *_: self.periods.resizeRowsToContents()
        )
        self.periods.setHorizontalHeaderLabels(
            [
                plain(tr("retention.col_kind")),
                plain(tr("retention.col_months")),
                plain(tr("retention.col_source")),
                plain(tr("retention.col_exceptions")),
            ]
        )
        self.due.setHorizontalHeaderLabels(
            [plain(tr("retention.col_kind")), plain(tr("retention.col_due"))]
        )
        self.last_run = QLabel(tr("retention.loading"))
        self.run_button = QPushButton(tr("retention.run"))
        self.run_button.setEnabled(False)
        self.run_button.clicked.connect(self._ask_to_run)
        self.confirm_box: QMessageBox | None = None
        self.reference, self.reason = QLineEdit(), QLineEdit()
        hold_form = QFormLayout()
        for key, field in (
            ("retention.reference", self.reference),
            ("retention.reason", self.reason),
        ):
            label = QLabel(tr(key))
            label.setBuddy(field)
            field.setAccessibleName(plain(tr(key)))
            field.textChanged.connect(self._typed)
            hold_form.addRow(label, field)
        self.hold_button = QPushButton(tr("retention.hold"))
        self.release_button = QPushButton(tr("retention.release"))
        self.hold_button.clicked.connect(
            lambda: self.hold_requested.emit(self.reference.text(), self.reason.text())
        )
        self.release_button.clicked.connect(
            lambda: self.release_requested.emit(self.reference.text())
        )
        hold_buttons = QHBoxLayout()
        hold_buttons.addWidget(self.hold_button)
        hold_buttons.addWidget(self.release_button)
        hold_buttons.addStretch(1)
        hold_box = QGroupBox(plain(tr("retention.hold_group")))
        hold_layout = QVBoxLayout(hold_box)
        hold_layout.addLayout(hold_form)
        hold_layout.addLayout(hold_buttons)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox()
        buttons.addButton(tr("dialog.close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        due_heading = QLabel(tr("retention.due"))
        due_heading.setBuddy(self.due)
        periods_heading = QLabel(tr("retention.periods"))
        periods_heading.setBuddy(self.periods)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(periods_heading)
        layout.addWidget(self.periods, 1)
        layout.addWidget(due_heading)
        layout.addWidget(self.due)
        layout.addWidget(self.last_run)
        layout.addWidget(self.run_button)
        layout.addWidget(hold_box)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(920, 760)  # fits a 1280x800 screen
        self.counts: dict[DataKind, int] = {}
        self._fill_due(dict.fromkeys(DataKind, "…"))  # the rows stand while they are counted
        self._typed()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # once the columns have their widths on screen, the wrapped texts' rows fit them
        QTimer.singleShot(0, self.periods, self.periods.resizeRowsToContents)

    def show_periods(self, periods: list[Period]) -> None:
        self.periods.setRowCount(len(periods))
        for row, period in enumerate(periods):
            exceptions = "; ".join(
                tr("retention.exception", service=self._service_name.get(s, s), months=m)
                for s, m in period.exceptions.items()
            )
            values = [kind_text(period.kind), str(period.months), period.source, exceptions]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if column == 1:
                    item.setTextAlignment(NUMBER_ALIGNMENT)
                self.periods.setItem(row, column, item)
        self.periods.resizeColumnsToContents()
        # long texts wrap; what is left goes to the services with periods of their own
        self.periods.setColumnWidth(0, min(self.periods.columnWidth(0) + FOCUS_ROOM, 250))
        self.periods.setColumnWidth(2, min(self.periods.columnWidth(2), 330))
        self.periods.resizeRowsToContents()

    def show_due(self, result: RetentionResult, last_run: dt.datetime | None) -> None:
        self.counts = result.counts()
        self._fill_due({kind: format_number(self.counts.get(kind, 0)) for kind in DataKind})
        self.last_run.setText(
            tr("retention.last_run", day=format_day(last_run.astimezone().date()))
            if last_run
            else tr("retention.never_run")
        )
        self.run_button.setEnabled(any(self.counts.values()))
        if (layout := self.layout()) is not None:  # the counted table's new height, laid out
            layout.activate()  # before it is seen

    def _fill_due(self, counts: dict[DataKind, str]) -> None:
        self.due.setRowCount(len(counts))
        for row, (kind, count) in enumerate(counts.items()):
            self.due.setItem(row, 0, QTableWidgetItem(kind_text(kind)))
            number = QTableWidgetItem(count)
            number.setTextAlignment(NUMBER_ALIGNMENT)
            self.due.setItem(row, 1, number)
        self.due.resizeRowsToContents()
        fit_rows(self.due)  # every kind in sight, the kind's name taking the width

    def _ask_to_run(self) -> None:
        total = sum(self.counts.values())
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            plain(tr("retention.confirm_title")),
            tr("retention.confirm", count=format_number(total)),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        keep = box.addButton(tr("dialog.cancel"), QMessageBox.ButtonRole.RejectRole)
        self.delete_button = box.addButton(
            tr("retention.confirm_delete"), QMessageBox.ButtonRole.DestructiveRole
        )
        box.setDefaultButton(keep)  # deleting for good is never what Enter does
        box.setEscapeButton(keep)
        self.confirm_box = box

        def answered(button: object) -> None:
            self.confirm_box = None
            if button is self.delete_button:
                self.run_button.setEnabled(False)
                self.show_message(tr("retention.running"), ok=True)
                self.run_requested.emit()

        box.buttonClicked.connect(answered)
        box.open()

    def _typed(self) -> None:
        has_reference = bool(self.reference.text().strip())
        self.hold_button.setEnabled(has_reference and bool(self.reason.text().strip()))
        self.release_button.setEnabled(has_reference)

    def show_message(self, text: str, *, ok: bool = False) -> None:
        self.message.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.message.setText(text)
