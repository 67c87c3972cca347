"""'Registerdaten bestätigen': on a seat without a population-register adapter the clerk reads
the register and types in what the original certifies; OK confirms it under their name (audited).
A refused confirmation keeps the dialog open with everything typed."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.documents import iso_to_german
from app.services.documents import RegisterForm
from ui.i18n import tr

ERROR_STYLE = "color: #b00020;"


class RegisterDialog(QDialog):
    confirmed = Signal(dict)  # key → value as typed

    def __init__(self, form: RegisterForm, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("registerDialog")
        self.setWindowTitle(tr("register.title"))
        self.setMinimumWidth(560)
        intro = QLabel(tr("register.intro"))
        intro.setWordWrap(True)
        current = form.current.facts if form.current is not None else {}
        self.fields: dict[str, QLineEdit] = {}
        rows = QFormLayout()
        for field in form.fields:
            value = current.get(field.key, "")
            edit = QLineEdit(iso_to_german(value) if field.date else value)
            edit.setObjectName(f"register_{field.key}")
            label_text = field.label + (" *" if field.required else "")
            if field.date:
                edit.setPlaceholderText(tr("register.date_placeholder"))
            edit.setAccessibleName(field.label)
            label = QLabel(label_text + ":")
            label.setBuddy(edit)
            rows.addRow(label, edit)
            self.fields[field.key] = edit
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setAccessibleName(tr("name.message"))
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(tr("register.confirm"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        buttons.addButton(tr("dialog.cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._confirm)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(rows)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        if self.fields:
            next(iter(self.fields.values())).setFocus()

    def values(self) -> dict[str, str]:
        return {key: edit.text() for key, edit in self.fields.items()}

    def _confirm(self) -> None:
        self.ok.setEnabled(False)
        self.message.setText(tr("register.busy"))
        self.confirmed.emit(self.values())

    def failed(self, text: str) -> None:
        self.ok.setEnabled(True)
        self.message.setText(text)
