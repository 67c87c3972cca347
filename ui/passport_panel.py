"""A passport in the identity dialog: the MRZ data the clerk types to open its chip, and what the
chip gave: the photo large, the chip's data beside the applicant's, one line each for the
signature (passive authentication), the clone check, the data's integrity and the validity,
and the box the clerk ticks after comparing the photo with the person."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.cases import Applicant
from app.domain.identity import icao_spelling
from cardreader.clone_check import CloneCheck
from cardreader.mrz import AccessKey, MrzError, parse
from cardreader.passport_check import PassportResult, PassportVerdict
from ui.i18n import format_day, plain, tr

OK_STYLE, ERROR_STYLE = "color: #1b5e20;", "color: #a30000; font-weight: bold;"
PHOTO_SIZE = (240, 320)


def _date(yymmdd: str) -> str:
    return f"{yymmdd[4:6]}.{yymmdd[2:4]}.{yymmdd[0:2]}" if len(yymmdd) == 6 else yymmdd


class MrzEntry(QGroupBox):
    """Document number, date of birth and date of expiry; `submitted(key)` on Enter. An MRZ
    scanner that types the MRZ lines into the number field (each ended by Enter, or all at
    once) fills the three fields from them and submits."""

    submitted = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("passport.mrz_group"), parent)
        self.number = QLineEdit()
        self.number.setMaxLength(90)  # a document number has up to 22; a scanner types lines
        self._lines: list[str] = []
        self.birth = QLineEdit()
        self.expiry = QLineEdit()
        six_digits = QRegularExpressionValidator(r"\d{0,6}")
        form = QFormLayout(self)
        for field, key in (
            (self.number, "passport.number"),
            (self.birth, "passport.birth"),
            (self.expiry, "passport.expiry"),
        ):
            if field is not self.number:
                field.setMaxLength(6)
                field.setValidator(six_digits)
                field.setPlaceholderText(tr("passport.date_hint"))
            label = QLabel(tr(key))
            label.setBuddy(field)
            field.setAccessibleName(plain(tr(key)))
            form.addRow(label, field)
            field.returnPressed.connect(
                self._number_entered if field is self.number else self.submit
            )

    def key(self) -> AccessKey | None:
        try:
            return AccessKey.typed(self.number.text(), self.birth.text(), self.expiry.text())
        except MrzError:
            return None

    def _number_entered(self) -> None:
        text = "".join(self.number.text().split()).upper()
        if len(text) < 30 or "<" not in text:
            self.submit()  # typed by the clerk
            return
        self._lines.append(text)  # a line of the MRZ: the others may follow
        self.number.clear()
        try:
            data = parse("\n".join(self._lines))
        except MrzError:
            if sum(len(line) for line in self._lines) >= 90:
                self._lines.clear()  # nothing an MRZ makes: start again
            return
        self._lines.clear()
        self.number.setText(data.document_number)
        self.birth.setText(data.birth)
        self.expiry.setText(data.expiry)
        self.submit()

    def submit(self) -> None:
        key = self.key()
        if key is not None:
            self.submitted.emit(key)

    def has_focus(self) -> bool:
        return any(f.hasFocus() for f in (self.number, self.birth, self.expiry))


class PassportPanel(QWidget):
    """The chip's photo, data and verdict, and whether they match the application's
    `applicant`; `compared` toggles the clerk's confirmation."""

    def __init__(self, applicant: Applicant | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.applicant = applicant
        self.photo = QLabel()
        self.photo.setFixedSize(*PHOTO_SIZE)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setStyleSheet("border: 1px solid #888; background: #f4f4f4;")
        self.photo.setAccessibleName(tr("passport.photo"))
        self.data = QFormLayout()
        self.lines = QVBoxLayout()
        self.compared = QCheckBox(tr("passport.compared"))
        self.compared.setEnabled(False)
        right = QVBoxLayout()
        right.addLayout(self.data)
        right.addLayout(self.lines)
        right.addWidget(self.compared)
        right.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.photo)
        layout.addLayout(right, 1)
        self.result: PassportResult | None = None

    def show_result(self, result: PassportResult | None) -> None:
        self.result = result
        _clear(self.data)
        _clear(self.lines)
        self.compared.setChecked(False)
        self.setVisible(result is not None)
        if result is None:
            return
        pixmap = QPixmap()
        pixmap.loadFromData(result.photo)
        self.photo.setPixmap(
            pixmap.scaled(
                *PHOTO_SIZE,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        mrz = result.read.mrz
        expires = result.check.expires
        for key, value in (
            ("passport.name", f"{mrz.family_name}, {mrz.given_names}"),
            ("passport.born", _date(mrz.birth)),
            ("passport.nationality", mrz.nationality),
            ("passport.document", f"{mrz.document_number} ({mrz.issuing_state})"),
            ("passport.valid_until", format_day(expires) if expires else _date(mrz.expiry)),
        ):
            value_label = QLabel(value)
            value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.data.addRow(tr(key), value_label)
        for text, good in [*_verdict_lines(result), *self._application_lines(result)]:
            line = QLabel(("✔ " if good else "✖ ") + text)
            line.setWordWrap(True)
            line.setStyleSheet(OK_STYLE if good else ERROR_STYLE)
            self.lines.addWidget(line)
        self.compared.setEnabled(result.check.verdict.genuine)

    def _application_lines(self, result: PassportResult) -> list[tuple[str, bool]]:
        mrz = result.read.mrz
        line = as_applied(self.applicant, mrz.family_name, mrz.given_names, mrz.birth, "%y%m%d")
        return [line] if line is not None else []

    @property
    def confirmed(self) -> bool:
        return (
            self.result is not None
            and self.result.check.verdict.genuine
            and self.compared.isChecked()
        )

    def note(self, clerk: str) -> str:
        """What the case records: the document, what held, who compared the photo."""
        assert self.result is not None
        parts = [tr("passport.note_chip"), tr("passport.note_genuine")]
        if self.result.check.clone_check is CloneCheck.PASSED:
            parts.append(tr("passport.note_not_copied"))
        parts += [tr("passport.note_unchanged"), tr("passport.note_compared", clerk=clerk)]
        return ", ".join(parts)


def as_applied(
    applicant: Applicant | None, family: str, given: str, birth: str, birth_format: str
) -> tuple[str, bool] | None:
    """Whether a document's name and date of birth are the application's (names as the MRZ
    spells them; `birth` written as `birth_format` writes a date): what differs is named, for
    the clerk to clear up. None without an application to compare with."""
    if applicant is None:
        return None
    differs = []
    if (icao_spelling(applicant.family_name), icao_spelling(applicant.given_names)) != (
        icao_spelling(family),
        icao_spelling(given),
    ):
        differs.append(tr("passport.differs_name"))
    born = applicant.birth_date.strftime(birth_format) if applicant.birth_date else ""
    if born != birth:
        differs.append(tr("passport.differs_birth"))
    if differs:
        return tr("passport.line_differs", fields=", ".join(differs)), False
    return tr("passport.line_as_applied"), True


def _verdict_lines(result: PassportResult) -> list[tuple[str, bool]]:
    verdict, check = result.check.verdict, result.check
    detail = check.detail
    lines = []
    if verdict is PassportVerdict.DATA_CHANGED:
        lines.append((tr("passport.line_changed", groups=detail), False))
    elif verdict in (PassportVerdict.NOT_VERIFIABLE, PassportVerdict.SIGNATURE_INVALID):
        outcome = check.passive.outcome.value if check.passive else "unknown_csca"
        lines.append((tr(f"passport.line_{outcome}", detail=detail), False))
    elif verdict is PassportVerdict.NO_MASTER_LIST:
        lines.append((tr("passport.line_no_master_list", detail=detail), False))
    else:
        lines.append((tr("passport.line_genuine", csca=_country(check)), True))
        lines.append((tr("passport.line_unchanged"), True))
    clone = check.clone_check
    if clone is CloneCheck.PASSED:
        method = tr(f"passport.method_{result.read.clone_check_method or 'active_authentication'}")
        lines.append((tr("passport.line_not_copied", method=method), True))
    elif clone is CloneCheck.FAILED:
        lines.append((tr("passport.line_copied"), False))
    else:
        lines.append((tr("passport.line_no_clone_check"), True))
    if verdict is PassportVerdict.DOCUMENT_EXPIRED:
        lines.append((tr("passport.line_expired"), False))
    return lines


def _country(check: object) -> str:
    passive = getattr(check, "passive", None)
    return passive.csca if passive is not None else ""


def _clear(layout: QFormLayout | QVBoxLayout) -> None:
    if isinstance(layout, QFormLayout):
        while layout.rowCount():
            layout.removeRow(0)
        return
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()
