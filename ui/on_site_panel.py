"""A German ID card read on site in the identity dialog: the data the city's eID service handed
over (name, date of birth, address, document) beside the applicant's, and the box the clerk
ticks after comparing them with the person."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from app.domain.cases import Applicant
from cardreader.ausweisapp import OnSiteData
from ui.i18n import format_day, tr
from ui.passport_panel import as_applied

OK_STYLE, ERROR_STYLE = "color: #1b5e20;", "color: #a30000; font-weight: bold;"


class OnSitePanel(QGroupBox):
    def __init__(self, applicant: Applicant | None = None, parent: QWidget | None = None) -> None:
        super().__init__(tr("on_site.group"), parent)
        self.applicant = applicant
        self.form = QFormLayout()
        self.compared = QCheckBox(tr("on_site.compared"))
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.compared)
        self.data: OnSiteData | None = None
        self.setVisible(False)

    def show_data(self, data: OnSiteData | None) -> None:
        self.data = data
        while self.form.rowCount():
            self.form.removeRow(0)
        self.compared.setChecked(False)
        self.setVisible(data is not None)
        if data is None:
            return
        for key, value in (
            ("on_site.name", f"{data.family_names}, {data.given_names}"),
            ("on_site.born", _day(data.birth_date)),
            ("on_site.address", data.place_of_residence),
            ("on_site.document", f"{data.document_type} ({data.issuing_state})"),
        ):
            label = QLabel(value)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(tr(key), label)
        compared = as_applied(
            self.applicant, data.family_names, data.given_names, data.birth_date, "%Y-%m-%d"
        )
        if compared is not None:
            text, good = compared
            line = QLabel(("✔ " if good else "✖ ") + text)
            line.setStyleSheet(OK_STYLE if good else ERROR_STYLE)
            line.setWordWrap(True)
            self.form.addRow(line)

    @property
    def confirmed(self) -> bool:
        return self.data is not None and self.compared.isChecked()

    def note(self, clerk: str) -> str:
        return tr("on_site.note", clerk=clerk)


def _day(iso: str) -> str:
    """A full date as the window writes dates; a partial one (the card may know only the
    year) as the service sent it."""
    try:
        return format_day(dt.date.fromisoformat(iso))
    except ValueError:
        return iso
