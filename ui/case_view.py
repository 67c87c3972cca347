"""The case view: layout and rendering only; the main window decides what the buttons do."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.cases import CaseStatus, format_cents
from app.domain.catalogue import Catalogue
from app.domain.documents import TITLES, IssuedDocument
from app.domain.users import Role, User
from app.services.desk import CaseDetails
from ui.i18n import (
    action_text,
    channel_text,
    event_reason_text,
    identity_text,
    language,
    payment_text,
    status_text,
    tr,
)
from ui.inbox_model import local_time
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

    claim_requested = Signal()
    release_requested = Signal()
    reassign_requested = Signal()
    identity_requested = Signal()
    payment_requested = Signal()
    approve_requested = Signal()
    reject_requested = Signal()
    ask_requested = Signal()
    note_requested = Signal(str)
    attachment_requested = Signal(int)
    print_requested = Signal()
    document_requested = Signal(int)

    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalogue = catalogue
        self.details: CaseDetails | None = None
        self.setAccessibleName("Vorgang")

        self.placeholder = QLabel(tr("case.none"))
        self.placeholder.setWordWrap(True)
        self.title = _selectable(QLabel())
        self.title.setObjectName("caseTitle")
        self.title.setStyleSheet("font-size: 14pt; font-weight: 600;")
        self.subtitle = _selectable(QLabel())
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Meldung")

        self.buttons: dict[str, QPushButton] = {}
        actions = QGridLayout()
        for key, signal in (
            ("claim", self.claim_requested),
            ("release", self.release_requested),
            ("reassign", self.reassign_requested),
            ("identity", self.identity_requested),
            ("payment", self.payment_requested),
            ("approve", self.approve_requested),
            ("reject", self.reject_requested),
            ("ask", self.ask_requested),
            ("print", self.print_requested),
        ):
            button = QPushButton(tr(f"action.{key}"))
            button.setObjectName(f"button_{key}")
            button.clicked.connect(signal.emit)
            actions.addWidget(button, len(self.buttons) // 4, len(self.buttons) % 4)
            self.buttons[key] = button

        self.applicant = QFormLayout()
        self.form = QFormLayout()
        self.state = QFormLayout()
        self.attachments = QListWidget()
        self.attachments.setAccessibleName(tr("case.attachments"))
        self.attachments.setMaximumHeight(90)
        self.attachments.itemActivated.connect(
            lambda item: self.attachment_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))
        )
        self.documents = QListWidget()
        self.documents.setAccessibleName(tr("case.documents"))
        self.documents.setMaximumHeight(70)
        self.documents.itemActivated.connect(
            lambda item: self.document_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))
        )
        self._documents_enabled = True
        self.history = QListWidget()
        self.history.setAccessibleName(tr("case.history"))
        self.notes = QListWidget()
        self.notes.setAccessibleName(tr("case.notes"))
        self.note_editor = QPlainTextEdit()
        self.note_editor.setPlaceholderText(tr("case.note_placeholder"))
        self.note_editor.setAccessibleName(tr("case.note_placeholder"))
        self.note_editor.setTabChangesFocus(True)
        self.note_editor.setMaximumHeight(70)
        self.note_button = QPushButton(tr("action.note"))
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
        for title, content in (
            (tr("case.applicant"), self.applicant),
            (tr("case.form"), self.form),
            (f"{tr('case.identity')} · {tr('case.fee')}", self.state),
        ):
            box = QGroupBox(title)
            box.setLayout(content)
            column.addWidget(box)
        for title, widget in (
            (tr("case.documents"), self.documents),
            (tr("case.attachments"), self.attachments),
            (tr("case.history"), self.history),
        ):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(widget)
            column.addWidget(box)
            if widget is self.documents:
                self.documents_box = box
        notes_box = QGroupBox(tr("case.notes"))
        notes_layout = QVBoxLayout(notes_box)
        notes_layout.addWidget(self.notes)
        notes_layout.addWidget(self.note_editor)
        notes_layout.addWidget(self.note_button, 0, Qt.AlignmentFlag.AlignRight)
        column.addWidget(notes_box)
        column.addStretch(1)

        self.body_scroll = QScrollArea()
        self.body_scroll.setWidgetResizable(True)
        self.body_scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.addWidget(self.placeholder)
        outer.addWidget(self.body_scroll)
        self.clear()

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

    def show_details(self, details: CaseDetails, user: User, office_name: str) -> None:
        self.details = details
        self.documents.clear()
        self.buttons["print"].setText(tr("action.print"))
        case = details.case
        service = self._catalogue.service(case.service_id)
        self.placeholder.hide()
        self.body_scroll.show()
        self.title.setText(f"{case.reference} – {service.name(language())}")
        assignee = case.assignee or "–"
        self.subtitle.setText(
            f"{status_text(case.status)} · {channel_text(case.channel)} · {office_name} · "
            f"{tr('case.assignee')}: {assignee} · "
            f"{tr('column.received')}: {local_time(case.received_at)} · "
            f"{tr('column.due')}: {local_time(case.due_at)}"
        )
        applicant = case.applicant
        self._fill(
            self.applicant,
            [
                (tr("column.applicant"), applicant.display_name),
                (self._label("birth_date"), applicant.birth_date.strftime("%d.%m.%Y")),
                (self._label("email"), applicant.email or "–"),
            ],
        )
        specs = {spec.name: spec for spec in service.fields}
        rows = []
        for name, value in case.form_data:
            spec = specs.get(name)
            shown = value
            if spec is not None and spec.choices:
                shown = next(
                    (
                        c.label_en if language() == "en" else c.label_de
                        for c in spec.choices
                        if c.value == value
                    ),
                    value,
                )
            elif value in ("true", "false"):
                shown = tr(f"bool.{value}")
            rows.append((spec.label(language()) if spec else name, shown))
        if case.decision_reason:
            rows.append((tr("case.reason"), case.decision_reason))
        self._fill(self.form, rows)
        self._fill(
            self.state,
            [
                (
                    tr("case.identity"),
                    tr(
                        "case.identity_line",
                        actual=identity_text(case.identity_verified),
                        required=identity_text(case.identity_required),
                    ),
                ),
                (
                    tr("case.fee"),
                    tr(
                        "case.fee_line",
                        fee=format_cents(case.fee_cents),
                        state=payment_text(case.payment),
                    )
                    + (f" · {case.payment_reference}" if case.payment_reference else ""),
                ),
            ],
        )
        self.attachments.clear()
        for attachment in details.attachments:
            self.attachments.addItem(f"{attachment.filename} ({attachment.size // 1024 + 1} kB)")
            self.attachments.item(self.attachments.count() - 1).setData(
                Qt.ItemDataRole.UserRole, attachment.id
            )
        if not details.attachments:
            self.attachments.addItem(tr("case.no_attachments"))
        self.history.clear()
        for event in details.history:
            change = (
                f" → {status_text(event.to_status)}"
                if event.to_status and event.to_status != event.from_status
                else ""
            )
            reason = f" – {event_reason_text(event.action, event.reason)}" if event.reason else ""
            what = f"{action_text(event.action)}{change}{reason}"
            self.history.addItem(f"{local_time(event.at)}  {event.actor}: {what}")
        self.notes.clear()
        for note in details.notes:
            self.notes.addItem(f"{local_time(note.at)}  {note.author}: {note.text}")
        self._enable_actions(case.status, case.assignee, user)

    def _label(self, name: str) -> str:
        spec = next(s for s in self._catalogue.applicant_fields if s.name == name)
        return spec.label(language())

    def _enable_actions(self, status: CaseStatus, assignee: str | None, user: User) -> None:
        mine = assignee == user.login or user.has_role(Role.SUPERVISOR)
        working = status is CaseStatus.IN_PROGRESS and mine
        enabled = {
            "claim": status in (CaseStatus.RECEIVED, CaseStatus.RETURNED),
            "release": working,
            "reassign": user.has_role(Role.SUPERVISOR)
            and status in (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS, CaseStatus.RETURNED),
            "identity": working,
            "payment": working,
            "approve": working,
            "reject": working,
            "ask": working,
            "print": self._documents_enabled
            and status in (CaseStatus.APPROVED, CaseStatus.PRINTED, CaseStatus.REJECTED)
            and (assignee in (None, user.login) or user.has_role(Role.SUPERVISOR)),
        }
        for key, button in self.buttons.items():
            button.setEnabled(enabled[key])

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
                issued=document.issued_at.astimezone().strftime("%d.%m.%Y %H:%M"),
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

    def show_message(self, text: str) -> None:
        self.message.setText(text)
