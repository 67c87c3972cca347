"""A German ID card read on site in the identity dialog: the data the city's eID service handed
over (name, date of birth, address, document) beside the applicant's, and the box the clerk
ticks after comparing them with the person."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLabel, QWidget

from app.domain.cases import Applicant
from app.domain.identity import icao_spelling
from cardreader.ausweisapp import OnSiteData
from ui.i18n import format_day, tr

OK_STYLE, ERROR_STYLE = "color: #1b5e20;", "color: #a30000; font-weight: bold;"


class OnSitePanel(QGroupBox):
    def __init__(self, applicant: Applicant | None = None, parent: QWidget | None = None) -> None:
        super().__init__(tr("on_site.group"), parent)
        self.applicant = applicant
        self.form = QFormLayout(self)
        self.compared = QCheckBox(tr("on_site.compared"))
        self.data: OnSiteData | None = None
        self.setVisible(False)

    def show_data(self, data: OnSiteData | None) -> None:
        self.data = data
        while self.form.rowCount():
            self.form.removeRow(0)
        self.compared = QCheckBox(tr("on_site.compared"))
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
        text, good = self._as_applied(data)
        line = QLabel(("✔ " if good else "✖ ") + text)
        line.setStyleSheet(OK_STYLE if good else ERROR_STYLE)
        line.setWordWrap(True)
        self.form.addRow(line)
        self.form.addRow(self.compared)

    def _as_applied(self, data: OnSiteData) -> tuple[str, bool]:
        applicant = self.applicant
        if applicant is None:
            return tr("passport.line_as_applied"), True
        differs = []
        if (icao_spelling(applicant.family_name), icao_spelling(applicant.given_names)) != (
            icao_spelling(data.family_names),
            icao_spelling(data.given_names),
        ):
            differs.append(tr("passport.differs_name"))
        born = applicant.birth_date.isoformat() if applicant.birth_date else ""
        if born != data.birth_date:
            differs.append(tr("passport.differs_birth"))
        if differs:
            return tr("passport.line_differs", fields=", ".join(differs)), False
        return tr("passport.line_as_applied"), True

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
