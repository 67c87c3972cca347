"""The case view: layout and rendering only; the case page (ui.case_page) decides what the
buttons do and which of them are enabled."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.cases import CaseAction
from app.domain.catalogue import Catalogue
from app.domain.documents import TITLES, IssuedDocument
from app.domain.working_days import WorkingCalendar
from app.services.desk import CaseDetails
from app.services.documents import RegisterForm
from ui.case_rows import applicant_rows, form_rows, history_lines, state_rows
from ui.i18n import (
    channel_text,
    format_day,
    format_moment,
    language,
    plain,
    status_text,
    tr,
)
from ui.inbox_model import local_time
from ui.reflow import ButtonRows
from ui.walk_in_dialog import ERROR_STYLE


def _selectable(label: QLabel) -> QLabel:
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    label.setWordWrap(True)
    return label


class CaseView(QWidget):
    """Shows one case: header, applicant, application data, identity, fee, attachments,
    history, notes; the action buttons emit signals."""

    action_requested = Signal(object)  # CaseAction
    note_requested = Signal(str)
    attachment_requested = Signal(int)
    document_requested = Signal(int)
    register_requested = Signal(object)  # RegisterForm

    def __init__(
        self, catalogue: Catalogue, calendar: WorkingCalendar, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._catalogue, self._calendar = catalogue, calendar
        self.details: CaseDetails | None = None
        self.placeholder = QLabel()
        self.placeholder.setWordWrap(True)
        self.title = _selectable(QLabel())
        self.title.setObjectName("caseTitle")
        self.title.setStyleSheet("font-size: 14pt; font-weight: 600;")
        self.subtitle = _selectable(QLabel())
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)

        self.buttons: dict[str, QPushButton] = {}
        actions = QGridLayout()
        for action in CaseAction:
            button = QPushButton()
            button.setObjectName(f"button_{action.value}")
            button.clicked.connect(lambda _checked=False, a=action: self.action_requested.emit(a))
            actions.addWidget(button, 0, len(self.buttons))  # parented first: Tab order
            self.buttons[action.value] = button
        self.buttons[CaseAction.ENTER_DATA.value].hide()  # shown for a scan awaiting its data

        self.applicant = QFormLayout()
        self.form = QFormLayout()
        self.state = QFormLayout()
        self.attachments = QListWidget()
        self.attachments.setMaximumHeight(90)
        self.attachments.itemActivated.connect(
            lambda item: self.attachment_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))
        )
        self.documents = QListWidget()
        self.documents.setMaximumHeight(70)
        self.documents.itemActivated.connect(
            lambda item: self.document_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))
        )
        self._documents_enabled = True
        self.register_form: RegisterForm | None = None
        self.register_status = QLabel()
        self.register_status.setWordWrap(True)
        self.register_button = QPushButton()
        self.register_button.setObjectName("button_register")
        self.register_button.clicked.connect(
            lambda: self.register_form and self.register_requested.emit(self.register_form)
        )
        self.history = QListWidget()
        self.notes = QListWidget()
        self.note_editor = QPlainTextEdit()
        self.note_editor.setTabChangesFocus(True)
        self.note_editor.setMaximumHeight(70)
        self.note_button = QPushButton()
        self.note_button.setObjectName("button_note")
        self.note_button.clicked.connect(
            lambda: self.note_requested.emit(self.note_editor.toPlainText())
        )

        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.title)
        column.addWidget(self.subtitle)
        column.addLayout(actions)
        column.addWidget(self.message)
        self.boxes: dict[str, QGroupBox] = {}
        for key, content in (
            ("case.applicant", self.applicant),
            ("case.form", self.form),
            ("case.identity_fee", self.state),
        ):
            box = QGroupBox()
            box.setLayout(content)
            column.addWidget(box)
            self.boxes[key] = box
        for key, widget in (
            ("case.documents", self.documents),
            ("case.attachments", self.attachments),
            ("case.history", self.history),
        ):
            box = QGroupBox()
            QVBoxLayout(box).addWidget(widget)
            column.addWidget(box)
            self.boxes[key] = box
        self.documents_box = self.boxes["case.documents"]
        register_row = QHBoxLayout()
        register_row.addWidget(self.register_status, 1)
        register_row.addWidget(self.register_button)
        documents_layout = self.documents_box.layout()
        assert isinstance(documents_layout, QVBoxLayout)
        documents_layout.addLayout(register_row)
        notes_box = QGroupBox()
        self.boxes["case.notes"] = notes_box
        notes_layout = QVBoxLayout(notes_box)
        notes_layout.addWidget(self.notes)
        notes_layout.addWidget(self.note_editor)
        notes_layout.addWidget(self.note_button, 0, Qt.AlignmentFlag.AlignRight)
        column.addWidget(notes_box)
        column.addStretch(1)

        self.body_scroll = QScrollArea()
        self.body_scroll.setWidgetResizable(True)
        self.body_scroll.setWidget(body)
        # four buttons a row where the width holds them, fewer on a 1280 px screen
        margins = column.contentsMargins()
        self.button_rows = ButtonRows(
            self.body_scroll.viewport(),
            actions,
            list(self.buttons.values()),
            margin=margins.left() + margins.right(),
        )
        # Tab from the list goes straight to the case's actions, not to an invisible stop
        # on the scroll area around them (the mouse wheel and the followed focus scroll it)
        self.body_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        outer = QVBoxLayout(self)
        outer.addWidget(self.placeholder)
        outer.addWidget(self.body_scroll)
        # a button or field reached by Tab is scrolled into view, never focused out of sight
        QApplication.instance().focusChanged.connect(self._follow_focus)  # type: ignore[union-attr]
        self.retranslate()
        self.clear()

    def _follow_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        body = self.body_scroll.widget()
        if new is not None and body is not None and body.isAncestorOf(new):
            self.body_scroll.ensureWidgetVisible(new, 20, 20)

    def retranslate(self) -> None:
        """Texts in the current language; a shown case is shown again by its page."""
        self.setAccessibleName(tr("name.case"))
        self.placeholder.setText(tr("case.none"))
        self.message.setAccessibleName(tr("name.message"))
        for key, button in self.buttons.items():
            button.setText(tr(f"action.{key}"))
        self.button_rows.arrange()  # the other language's words may need fewer per row
        for key, box in self.boxes.items():
            box.setTitle(tr(key))
        for key, widget in (
            ("case.attachments", self.attachments),
            ("case.documents", self.documents),
            ("case.history", self.history),
            ("case.notes", self.notes),
        ):
            widget.setAccessibleName(tr(key))
        self.note_editor.setPlaceholderText(tr("case.note_placeholder"))
        self.note_editor.setAccessibleName(tr("case.note_placeholder"))
        self.note_button.setText(tr("action.note"))
        self.register_button.setText(tr("action.register"))
        self.show_register(self.register_form)

    def action_keys(self) -> list[tuple[str, str]]:
        """(what, Alt+letter) of the case's actions, for the overview (F1)."""
        rows = []
        for button in self.buttons.values():
            keys = QKeySequence.mnemonic(button.text())
            if not keys.isEmpty():
                native = keys.toString(QKeySequence.SequenceFormat.NativeText)
                rows.append((plain(button.text()), native))
        return rows

    def clear(self) -> None:
        self.details = None
        self.placeholder.show()
        self.body_scroll.hide()

    @staticmethod
    def _fill(layout: QFormLayout, rows: list[tuple[str, str]]) -> None:
        while layout.rowCount():
            layout.removeRow(0)
        for label, value in rows:
            layout.addRow(label + ":", _selectable(QLabel(value)))

    def show_details(
        self,
        details: CaseDetails,
        office_name: str,
        actions: frozenset[CaseAction],
        why_not: dict[CaseAction, str] | None = None,
    ) -> None:
        """`why_not`: for an action this seat cannot offer, why (tooltip and screen reader)."""
        self.details = details
        self.documents.clear()
        if self.register_form is not None and self.register_form.case_id != details.case.id:
            self.show_register(None)
        self.buttons["print"].setText(tr("action.print"))
        case = details.case
        service = self._catalogue.service(case.service_id)
        self.placeholder.hide()
        self.body_scroll.show()
        self.title.setText(f"{case.reference} – {service.name(language())}")
        assignee = case.assignee or "–"
        due = self._calendar.due_day(case.service_id, case.received_at)
        self.subtitle.setText(
            f"{status_text(case.status)} · {channel_text(case.channel)} · {office_name} · "
            f"{tr('case.assignee')}: {assignee} · "
            f"{tr('column.received')}: {local_time(case.received_at)} · "
            f"{tr('column.due')}: {format_day(due)}"
        )
        self._fill(self.applicant, applicant_rows(case, self._catalogue))
        self._fill(self.form, form_rows(case, service))
        self._fill(self.state, state_rows(case, details.payments))
        self.attachments.clear()
        for attachment in details.attachments:
            self.attachments.addItem(f"{attachment.filename} ({attachment.size // 1024 + 1} kB)")
            self.attachments.item(self.attachments.count() - 1).setData(
                Qt.ItemDataRole.UserRole, attachment.id
            )
        if not details.attachments:
            self.attachments.addItem(tr("case.no_attachments"))
        self.history.clear()
        self.history.addItems(history_lines(details.history))
        self.notes.clear()
        for note in details.notes:
            self.notes.addItem(f"{local_time(note.at)}  {note.author}: {note.text}")
        # only a scan waiting for its data offers typing it
        self.buttons[CaseAction.ENTER_DATA.value].setVisible(case.needs_data_entry)
        for key, button in self.buttons.items():
            action = CaseAction(key)
            button.setEnabled(action in actions)
            reason = (why_not or {}).get(action, "") if action not in actions else ""
            button.setToolTip(reason)
            button.setAccessibleDescription(reason)

    def set_documents_enabled(self, enabled: bool) -> None:
        """Seats without document wiring (tests, a read-only seat) show no print actions."""
        self._documents_enabled = enabled
        self.buttons["print"].setVisible(enabled)
        self.documents_box.setVisible(enabled)

    def show_documents(self, documents: list[IssuedDocument]) -> None:
        self.documents.clear()
        for document in documents:
            text = tr(
                "case.document_line",
                number=document.number,
                kind=TITLES[document.kind],
                issued=format_moment(document.issued_at),
                prints=document.prints,
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, document.id)
            self.documents.addItem(item)
        if self.details is not None:
            self.buttons["print"].setText(
                tr("action.reprint")
                if documents and any(d.prints for d in documents)
                else tr("action.print")
            )

    def show_register(self, form: RegisterForm | None) -> None:
        """What the original needs from the register: hidden where the seat asks the register
        itself or the document needs nothing from it."""
        self.register_form = form
        needed = form is not None and form.needed and self._documents_enabled
        self.register_status.setVisible(needed)
        self.register_button.setVisible(needed)
        if form is None or not needed:
            return
        if form.complete and form.current is not None and form.current.confirmed_at:
            at = format_moment(form.current.confirmed_at)
            text = tr("register.confirmed_by", login=form.current.confirmed_by, at=at)
            self.register_status.setStyleSheet("")
        else:
            text = tr("register.missing", missing=", ".join(form.missing))
            self.register_status.setStyleSheet(ERROR_STYLE)
        self.register_status.setText(text)
        self.register_status.setAccessibleName(text)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
