""" "Auskunft nach Art. 15 DSGVO": a supervisor types the person's names and birth date, finds
every case the offices hold on them (every search is an audited access report) and saves the
report as the citizen's PDF or the data-protection officer's JSON. The dialog shows;
ui.privacy_commands does the work on the lanes."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.access_report import AccessReport, Person
from app.domain.cases import CaseStatus, Channel
from app.domain.form_fields import parse_date
from ui.i18n import channel_text, format_day, plain, status_text, tr, tr_plural
from ui.row_list import row_list
from ui.theme import FOCUS_ROOM
from ui.walk_in_dialog import ERROR_STYLE

OK_STYLE = "color: #1b5e20;"
COLUMNS = (
    "column.reference",
    "column.service",
    "column.received",
    "column.status",
    "column.channel",
    "column.office",
)


class AccessReportDialog(QDialog):
    """`search_requested(person)`, `save_requested(kind)` with kind "pdf" or "json"."""

    search_requested = Signal(object)
    save_requested = Signal(str)

    def __init__(self, service_name: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service_name = service_name
        self.setWindowTitle(plain(tr("privacy.access_title")))
        self.setAccessibleName(self.windowTitle())
        intro = QLabel(tr("privacy.access_intro"))
        intro.setWordWrap(True)
        self.family_name, self.given_names, self.birth_date = QLineEdit(), QLineEdit(), QLineEdit()
        self.birth_date.setPlaceholderText(tr("privacy.birth_date_hint"))
        form = QFormLayout()
        for key, field in (
            ("privacy.family_name", self.family_name),
            ("privacy.given_names", self.given_names),
            ("privacy.birth_date", self.birth_date),
        ):
            label = QLabel(tr(key))
            label.setBuddy(field)
            field.setAccessibleName(plain(tr(key)))
            field.textChanged.connect(self._typed)
            field.returnPressed.connect(self._search)
            form.addRow(label, field)
        self.search_button = QPushButton(tr("privacy.search"))
        self.search_button.setEnabled(False)
        self.search_button.clicked.connect(self._search)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.cases = row_list(len(COLUMNS))
        self.cases.setAccessibleName(plain(tr("privacy.cases")))
        self.cases.setHorizontalHeaderLabels([plain(tr(key)) for key in COLUMNS])
        self.pdf_button = QPushButton(tr("privacy.save_pdf"))
        self.json_button = QPushButton(tr("privacy.save_json"))
        buttons = QDialogButtonBox()
        for button, kind in ((self.pdf_button, "pdf"), (self.json_button, "json")):
            button.setEnabled(False)
            button.clicked.connect(lambda _checked=False, kind=kind: self.save_requested.emit(kind))
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(tr("dialog.close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.search_button)
        layout.addWidget(self.outcome)
        layout.addWidget(self.cases, 1)
        layout.addWidget(buttons)
        self.resize(860, 560)
        self.report: AccessReport | None = None
        self.family_name.setFocus()

    def person(self) -> Person | None:
        """Who is asked for, once the names and a real birth date are typed."""
        family, given = self.family_name.text().strip(), self.given_names.text().strip()
        born = parse_date(self.birth_date.text().strip())
        if not family or not given or born is None:
            return None
        return Person(family, given, born)

    def _typed(self) -> None:
        self.search_button.setEnabled(self.person() is not None)
        if self.report is not None:  # a report is of the person it was searched for
            self.show_report(None)

    def _search(self) -> None:
        person = self.person()
        if person is None:
            self.show_message(tr("privacy.person_incomplete"))
            return
        self.search_button.setEnabled(False)
        self.outcome.setStyleSheet("")
        self.outcome.setText(tr("privacy.searching"))
        self.search_requested.emit(person)

    def show_report(self, report: AccessReport | None) -> None:
        self.report = report
        cases = report.cases if report else []
        self.cases.setRowCount(len(cases))
        for row, case in enumerate(cases):
            values = [
                case.reference,
                self._service_name.get(case.service, case.service),
                format_day(case.received_at.astimezone().date()),
                _status(case.status),
                _channel(case.channel),
                case.office,
            ]
            if case.birth_date_unknown:
                values[0] += f" ({tr('privacy.birth_date_unknown')})"
            for column, value in enumerate(values):
                self.cases.setItem(row, column, QTableWidgetItem(value))
        self.cases.resizeColumnsToContents()
        for column in range(len(COLUMNS) - 1):  # room for the focus frame: nothing elided
            self.cases.setColumnWidth(column, self.cases.columnWidth(column) + FOCUS_ROOM)
        for button in (self.pdf_button, self.json_button):
            button.setEnabled(report is not None)
        self.search_button.setEnabled(self.person() is not None)
        if report is None:
            self.outcome.setText("")
            return
        self.outcome.setStyleSheet(OK_STYLE)
        self.outcome.setText(
            tr_plural("privacy.found", len(cases), number=len(cases))
            + " "
            + tr("privacy.audited", when=_made(report.made_at))
        )
        (self.cases if cases else self.pdf_button).setFocus()

    def show_message(self, text: str, *, ok: bool = False) -> None:
        self.outcome.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.outcome.setText(text)
        self.search_button.setEnabled(self.person() is not None)


def _made(at: dt.datetime) -> str:
    return f"{format_day(at.astimezone().date())} {at.astimezone():%H:%M}"


def _status(value: str) -> str:
    try:
        return status_text(CaseStatus(value))
    except ValueError:
        return value


def _channel(value: str) -> str:
    try:
        return channel_text(Channel(value))
    except ValueError:
        return value
