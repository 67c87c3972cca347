""" "Identität prüfen": the reader and card live, the CAN the clerk types checked by the chip,
the applicant's data beside it for comparing person and card, or a visual check with a note.
A passport is read with its MRZ data (or CAN): its photo, data and verdict shown
(ui.passport_panel), recorded once the clerk has compared the photo with the person.
Keyboard only: the CAN field has focus once a card is in, Enter checks, Esc cancels. What the
dialog shows comes from ui.identity_controller; it does no I/O itself."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.cases import Case
from app.domain.identity import icao_spelling
from app.services.desk import IdentityOffer
from cardreader.identity_flow import FlowState, FlowView
from ui.i18n import document_text, format_day, format_time, identity_method_text, plain, tr
from ui.on_site_panel import OnSitePanel
from ui.passport_panel import MrzEntry, PassportPanel

OK_STYLE, ERROR_STYLE = "color: #1b5e20; font-weight: bold;", "color: #a30000; font-weight: bold;"
# each state's outcome line (a text key, given {document} and {detail}) and its style
_OUTCOMES: dict[FlowState, tuple[str, str]] = {
    FlowState.RECOGNISING: ("identity.recognising", ""),
    FlowState.READY_FOR_CAN: ("identity.recognised", ""),
    FlowState.CHECKING: ("identity.checking", ""),
    FlowState.CONFIRMED: ("identity.confirmed", OK_STYLE),
    FlowState.WRONG_CAN: ("identity.rejected", ERROR_STYLE),
    FlowState.UNKNOWN_CARD: ("identity.unknown", ERROR_STYLE),
    FlowState.CARD_MOVED: ("identity.card_moved", ERROR_STYLE),
    FlowState.TIMEOUT: ("identity.mute", ERROR_STYLE),
    FlowState.CARD_ERROR: ("identity.card_error", ERROR_STYLE),
    FlowState.READING_PASSPORT: ("identity.reading_passport", ""),
    FlowState.PASSPORT_GENUINE: ("identity.passport_genuine", OK_STYLE),
    FlowState.WRONG_MRZ: ("identity.wrong_mrz", ERROR_STYLE),
    FlowState.NEEDS_MRZ: ("identity.needs_mrz", ERROR_STYLE),
    FlowState.DATA_CHANGED: ("identity.data_changed", ERROR_STYLE),
    FlowState.NOT_VERIFIABLE: ("identity.not_verifiable", ERROR_STYLE),
    FlowState.DOCUMENT_EXPIRED: ("identity.document_expired", ERROR_STYLE),
    FlowState.CLONE_CHECK_FAILED: ("identity.clone_check_failed", ERROR_STYLE),
    FlowState.READING_ON_SITE: ("identity.reading_on_site", ""),
    FlowState.ON_SITE_READ: ("identity.on_site_read", OK_STYLE),
    FlowState.ON_SITE_FAILED: ("identity.on_site_failed", ERROR_STYLE),
}


class IdentityCheckDialog(QDialog):
    """`check_requested(can)` when the clerk asks the chip; `record_requested()` to record."""

    check_requested = Signal(str)
    mrz_requested = Signal(object)
    record_requested = Signal()

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("identity.title", reference=case.reference))
        self.setAccessibleName(self.windowTitle())
        self.reader = QLabel(tr("identity.reader_looking"))
        self.reader.setWordWrap(True)
        self.reader.setAccessibleName(tr("identity.reader_name"))

        # shown once the controller finds a check of this sitting for the same person
        self.take_over = QRadioButton()
        self.take_over.setVisible(False)
        self.offer: IdentityOffer | None = None
        self.by_card = QRadioButton(tr("identity.by_card"))
        self.by_sight = QRadioButton(tr("identity.by_sight"))
        self.by_card.setChecked(True)
        self.can = QLineEdit()
        self.can.setMaxLength(6)
        self.can.setValidator(QRegularExpressionValidator(r"\d{0,6}"))
        self.can.setPlaceholderText(tr("identity.can_hint"))  # never a CAN that would work
        self.can.setAccessibleName(plain(tr("identity.can")))
        can_label = QLabel(tr("identity.can"))
        can_label.setBuddy(self.can)
        self.check_button = QPushButton(tr("identity.check"))
        self.check_button.setAutoDefault(False)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setAccessibleName(tr("identity.result_name"))
        self.mrz = MrzEntry()
        self.mrz.setVisible(False)
        self.passport = PassportPanel(case.applicant)
        self.passport.setVisible(False)
        self.on_site = OnSitePanel(case.applicant)
        self.on_site_note = QLabel()
        self.on_site_note.setWordWrap(True)
        self.note = QLineEdit()
        self.note.setAccessibleName(plain(tr("identity.note_label")))
        note_label = QLabel(tr("identity.note_label"))
        note_label.setBuddy(self.note)

        compare = QGroupBox(tr("identity.compare"))
        rows = QFormLayout(compare)
        applicant = case.applicant
        rows.addRow(
            tr("column.applicant"),
            QLabel(
                f"{applicant.family_name}, {applicant.given_names}  "
                f"(ICAO: {icao_spelling(applicant.family_name)} <<"
                f" {icao_spelling(applicant.given_names)})"
            ),
        )
        born = format_day(applicant.birth_date) if applicant.birth_date else "–"
        rows.addRow(tr("identity.born"), QLabel(born))

        self.buttons = QDialogButtonBox()
        self.record_button = self.buttons.addButton(
            tr("identity.record"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(tr("dialog.cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.rejected.connect(self.reject)
        self.record_button.clicked.connect(self.record_requested.emit)
        self.record_button.setEnabled(False)
        self.record_button.setDefault(True)  # Return records, except in the CAN field

        form = QFormLayout()
        form.addRow(can_label, self.can)
        form.addRow("", self.check_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reader)
        layout.addWidget(self.take_over)
        layout.addWidget(self.by_card)
        layout.addLayout(form)
        layout.addWidget(self.mrz)
        layout.addWidget(self.outcome)
        layout.addWidget(self.passport)
        layout.addWidget(self.on_site_note)
        layout.addWidget(self.on_site)
        layout.addWidget(compare)
        layout.addWidget(self.by_sight)
        notes = QFormLayout()
        notes.addRow(note_label, self.note)
        layout.addLayout(notes)
        layout.addWidget(self.buttons)
        self.resize(620, 480)

        self.flow_state: FlowState | None = None  # the flow's, as last shown
        self.confirmed_document = ""
        self.card_present = False
        self.checking = False
        self.can.returnPressed.connect(self._check)
        self.check_button.clicked.connect(self._check)
        self.mrz.submitted.connect(self._read_passport)
        self.passport.compared.toggled.connect(self._update)
        self.on_site.compared.toggled.connect(self._update)
        self.by_card.toggled.connect(self._update)
        self.take_over.toggled.connect(self._update)
        self.note.textChanged.connect(self._update)
        self._update()

    # --- what the controller tells --------------------------------------------------------

    def offer_take_over(self, offer: IdentityOffer) -> None:
        """The clerk checked this person's document for another case minutes ago: offered
        first, and chosen unless the clerk has begun a check here already."""
        self.offer = offer
        check = offer.check
        method = identity_method_text(check.method)
        if check.document:
            method += f", {document_text(check.document)}"
        self.take_over.setText(
            tr(
                "identity.take_over",
                reference=offer.reference,
                time=format_time(offer.at),
                method=method,
            )
        )
        self.take_over.setVisible(True)
        if not self.can.text() and not self.note.text() and not self.confirmed_document:
            self.take_over.setChecked(True)
            self.record_button.setFocus()
        self._update()

    def show_flow(self, view: FlowView) -> None:
        """The identity flow's state: the reader line, the outcome line, what may be pressed."""
        self.flow_state = view.state
        reader = view.reader or ""
        if view.state is FlowState.NO_SERVICE:
            self.reader.setText(tr("identity.reader_service"))
        elif view.state is FlowState.NO_READER:
            self.reader.setText(tr("identity.reader_none"))
        elif view.card_present:
            self.reader.setText(tr("identity.reader_card", reader=reader))
        else:
            self.reader.setText(tr("identity.reader_empty", reader=reader))
        had_card, self.card_present = self.card_present, view.card_present
        self.checking = view.state in (
            FlowState.CHECKING,
            FlowState.RECOGNISING,
            FlowState.READING_PASSPORT,
        )
        is_passport = view.card == "passport" and view.card_present
        self.mrz.setVisible(is_passport)
        if view.passport is not self.passport.result:
            self.passport.show_result(view.passport)
        if view.on_site is not self.on_site.data:
            self.on_site.show_data(view.on_site)
        if view.on_site is not None or view.passport is not None:
            QTimer.singleShot(0, self._fit)  # once the new rows are shown
        german_eid = view.card == "german-eid" and view.card_present
        self.on_site_note.setVisible(german_eid)
        self.on_site_note.setText(
            tr("identity.on_site_yes" if view.on_site_reading else "identity.on_site_no")
        )
        self.confirmed_document = view.card or "" if view.state is FlowState.CONFIRMED else ""
        text, style = _OUTCOMES.get(view.state, ("", ""))
        document = document_text(view.card or "other")
        self.outcome.setStyleSheet(style)
        self.outcome.setText(tr(text, document=document, detail=view.error) if text else "")
        self._update()
        if view.state is FlowState.CONFIRMED:
            self.record_button.setFocus()
        elif view.state is FlowState.PASSPORT_GENUINE:
            self.passport.compared.setFocus()  # Space ticks it once the photo is compared
        elif view.state is FlowState.ON_SITE_READ:
            self.on_site.compared.setFocus()
        elif (
            is_passport
            and self.by_card.isChecked()
            and (view.state in (FlowState.WRONG_MRZ, FlowState.NEEDS_MRZ) or not had_card)
        ):
            self.mrz.number.selectAll()
            self.mrz.number.setFocus()
        elif self.by_card.isChecked() and (
            view.state in (FlowState.WRONG_CAN, FlowState.TIMEOUT, FlowState.CARD_ERROR)
            or (view.card_present and not had_card)
        ):
            self.can.selectAll()
            self.can.setFocus()

    def _fit(self) -> None:
        """Room for what was read: the dialog grows to its size hint, never shrinks."""
        self.resize(self.sizeHint().expandedTo(self.size()))

    # --- what the clerk does -----------------------------------------------------------------

    @property
    def method(self) -> str:
        if not self.by_card.isChecked():
            return "counter_visual"
        if self.on_site.data is not None:
            return "eid_on_site"
        return "passport_chip" if self.passport.result is not None else "card_can"

    @property
    def taking_over(self) -> bool:
        return self.offer is not None and self.take_over.isChecked()

    def _check(self) -> None:
        if self.by_card.isChecked() and self.mrz.isVisible() and self.mrz.key() is not None:
            self._read_passport(self.mrz.key())
        elif self.by_card.isChecked() and len(self.can.text()) == 6 and not self.checking:
            self.check_requested.emit(self.can.text())

    def _read_passport(self, key: object) -> None:
        if self.by_card.isChecked() and self.card_present and not self.checking:
            self.mrz_requested.emit(key)

    def _update(self) -> None:
        by_card = self.by_card.isChecked()
        self.can.setEnabled(by_card)
        self.check_button.setEnabled(by_card and self.card_present and not self.checking)
        by_sight = self.by_sight.isChecked()
        self.note.setEnabled(by_sight)
        if self.taking_over:
            self.record_button.setEnabled(True)
        else:
            by_chip = (
                bool(self.confirmed_document) or self.passport.confirmed or self.on_site.confirmed
            )
            self.record_button.setEnabled(by_chip if by_card else bool(self.note.text().strip()))

    def keyPressEvent(self, event: object) -> None:
        # Return in the CAN field checks (returnPressed); it must not also accept the dialog
        if getattr(event, "key", lambda: None)() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            self.can.hasFocus() or self.mrz.has_focus()
        ):
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]
