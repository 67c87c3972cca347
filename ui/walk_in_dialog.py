"""The walk-in dialog: a form per service, validated as the clerk types. The dialog stays open
with everything typed until the case is stored, so a failed save loses nothing."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.catalogue import Catalogue, FieldSpec, FieldType
from app.domain.messages import render
from app.domain.users import Office
from ui.i18n import format_money, language, plain, tr

ERROR_STYLE = "color: #a30000;"
OK_STYLE = "color: #1b5e20;"
INVALID_FIELD_STYLE = "border: 2px solid #a30000;"
PLACEHOLDERS = {
    FieldType.DATE: "walkin.date_hint",
    FieldType.PAST_DATE: "walkin.date_hint",
    FieldType.PLATE: "SI-AB 123",
    FieldType.POSTCODE: "57072",
    FieldType.EMAIL: "name@example.org",
    FieldType.PHONE: "0171 2345678",
}

FieldWidget = QLineEdit | QComboBox | QCheckBox


class WalkInDialog(QDialog):
    """Emits `submitted(service_id, form, office_id)`; the caller stores the case and then calls
    `saved()` or `save_failed(text)`."""

    submitted = Signal(str, dict, int)

    def __init__(
        self,
        *,
        catalogue: Catalogue,
        offices: list[Office],
        office_id: int,
        today: Callable[[], dt.date],
        parent: QWidget | None = None,
        values: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._catalogue = catalogue
        self._today = today
        self._values: dict[str, str] = dict(values or {})  # survives switching services
        self._touched: set[str] = set()
        self._widgets: dict[str, FieldWidget] = {}
        self._errors: dict[str, QLabel] = {}
        self.setWindowTitle(tr("walkin.title"))
        self.setAccessibleName(tr("walkin.title"))
        self.resize(640, 720)

        self.service = QComboBox()
        self.service.setAccessibleName(plain(tr("walkin.service")))
        for service in catalogue.services:
            self.service.addItem(service.name(language()), service.id)
        self.office = QComboBox()
        self.office.setAccessibleName(tr("walkin.office"))
        for office in offices:
            self.office.addItem(office.name, office.id)
        self.office.setCurrentIndex(max(0, self.office.findData(office_id)))

        header = QFormLayout()
        service_label = QLabel(tr("walkin.service"))
        service_label.setBuddy(self.service)
        header.addRow(service_label, self.service)
        header.addRow(tr("walkin.office"), self.office)

        self._form_host = QScrollArea()
        self._form_host.setWidgetResizable(True)
        self._form_host.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no invisible Tab stop
        self.proofs = QLabel()
        self.proofs.setWordWrap(True)
        self.fee = QLabel()
        self.summary = QLabel()
        self.summary.setStyleSheet(ERROR_STYLE)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(tr("name.hint"))

        self.buttons = QDialogButtonBox()
        self.create_button = self.buttons.addButton(
            tr("walkin.create"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.next_button = self.buttons.addButton(
            tr("walkin.create_next"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.next_button.setToolTip(tr("walkin.create_next_tip"))
        self.cancel_button = self.buttons.addButton(
            tr("dialog.cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        # Return anywhere creates the case: only "Vorgang anlegen" may ever be the default,
        # not whichever button Tab passed last
        for button in (self.create_button, self.next_button, self.cancel_button):
            button.setAutoDefault(False)
        self.create_button.setDefault(True)
        self.cancel_button.clicked.connect(self.reject)
        self.create_button.clicked.connect(lambda: self._submit(keep_person=False))
        self.next_button.clicked.connect(lambda: self._submit(keep_person=True))
        self._keep_person = False
        self._counting = False  # after a refused save the summary counts what is still wrong
        self.discard_box: QMessageBox | None = None

        # the dialog's own column; a dialog built on this one may put something beside it
        self.body = QWidget()
        self.columns = QHBoxLayout(self)
        self.columns.setContentsMargins(0, 0, 0, 0)
        self.columns.addWidget(self.body, 1)
        layout = QVBoxLayout(self.body)
        layout.addLayout(header)
        layout.addWidget(self._form_host, 1)
        layout.addWidget(self.proofs)
        layout.addWidget(self.fee)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

        self.service.currentIndexChanged.connect(self._build_form)
        self._build_form()

    # --- the form -----------------------------------------------------------------------------

    @property
    def service_id(self) -> str:
        return str(self.service.currentData())

    def field(self, name: str) -> FieldWidget:
        return self._widgets[name]

    def error_text(self, name: str) -> str:
        return self._errors[name].text()

    def _build_form(self) -> None:
        self._remember_values()
        self._widgets.clear()
        self._errors.clear()
        container = QWidget()
        form = QFormLayout(container)
        for spec in self._catalogue.form_fields(self.service_id):
            widget = self._widget_for(spec)
            label = QLabel(spec.label(language()) + (" *" if spec.required else ""))
            label.setBuddy(widget)
            error = QLabel()
            error.setStyleSheet(ERROR_STYLE)
            error.setAccessibleName(tr("name.field_error", field=spec.label(language())))
            error.hide()
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(widget)
            column.addWidget(error)
            form.addRow(label, column)
            self._widgets[spec.name] = widget
            self._errors[spec.name] = error
        self._form_host.setWidget(container)
        chain: list[QWidget] = [self.service, self.office, *self._widgets.values()]
        chain += [self.create_button, self.next_button, self.cancel_button]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)
        service = self._catalogue.service(self.service_id)
        proofs = ", ".join(service.proof_texts(language()))
        self.proofs.setText(f"{tr('case.proofs')}: {proofs}")
        self._validate(show_untouched=False)

    def _widget_for(self, spec: FieldSpec) -> FieldWidget:
        name = spec.name
        previous = self._values.get(name, "")
        widget: FieldWidget
        if spec.type is FieldType.CHOICE:
            widget = QComboBox()
            widget.addItem(tr("walkin.choose"), "")
            for choice in spec.choices:
                widget.addItem(choice.label(language()), choice.value)
            widget.setCurrentIndex(max(0, widget.findData(previous)))
            widget.currentIndexChanged.connect(lambda _=0, n=name: self._changed(n))
        elif spec.type is FieldType.BOOLEAN:
            widget = QCheckBox()
            widget.setChecked(previous == "true")
            widget.toggled.connect(lambda _=False, n=name: self._changed(n))
        else:
            widget = QLineEdit(previous or ("1" if spec.type is FieldType.INTEGER else ""))
            hint = PLACEHOLDERS.get(spec.type, "")
            widget.setPlaceholderText(tr(hint) if hint.startswith("walkin.") else hint)
            if spec.max_length:
                widget.setMaxLength(spec.max_length + 1)  # one over, so "too long" can be said
            widget.textChanged.connect(lambda _="", n=name: self._changed(n))
        widget.setAccessibleName(spec.label(language()))
        widget.setObjectName(f"field_{name}")
        return widget

    def _value(self, widget: FieldWidget) -> str:
        if isinstance(widget, QComboBox):
            return str(widget.currentData() or "")
        if isinstance(widget, QCheckBox):
            return "true" if widget.isChecked() else "false"
        return widget.text()

    def _remember_values(self) -> None:
        self._values.update({name: self._value(widget) for name, widget in self._widgets.items()})

    def form_values(self) -> dict[str, str]:
        values = {name: self._value(widget) for name, widget in self._widgets.items()}
        return {name: value for name, value in values.items() if value.strip() and value != "false"}

    def _changed(self, name: str) -> None:
        self._touched.add(name)
        self._validate(show_untouched=False)

    def _validate(self, *, show_untouched: bool) -> int:
        values = self.form_values()
        specs = {spec.name: spec for spec in self._catalogue.form_fields(self.service_id)}
        problems = 0
        for name, label in self._errors.items():
            error = specs[name].validate(values.get(name, ""), today=self._today())
            if error is not None:
                problems += 1
            visible = error is not None and (show_untouched or name in self._touched)
            label.setText(
                "⚠ " + render(error.key, language(), **dict(error.params)) if error else ""
            )
            label.setVisible(visible)
            self._widgets[name].setStyleSheet(INVALID_FIELD_STYLE if visible else "")
        if self._counting:
            self._say(tr("walkin.invalid", count=problems) if problems else "")
        rule = self._catalogue.service(self.service_id).fee
        known = rule.field is None or bool(values.get(rule.field))
        self.fee.setText(tr("walkin.fee", fee=format_money(rule.compute(values)) if known else "–"))
        return problems

    def _submit(self, *, keep_person: bool = False) -> None:
        self._keep_person = keep_person
        problems = self._validate(show_untouched=True)
        if problems:
            self._say(tr("walkin.invalid", count=problems))
            self._counting = True  # the count follows the clerk's corrections from now on
            first = next(name for name, label in self._errors.items() if label.isVisible())
            self._widgets[first].setFocus()
            return
        self._say(tr("walkin.saving"))
        self.create_button.setEnabled(False)
        self.next_button.setEnabled(False)
        self.submitted.emit(self.service_id, self.form_values(), int(self.office.currentData()))

    def saved(self, reference: str = "") -> None:
        """Stored. With "Anlegen + weitere Leistung" the dialog stays for the same person: the
        applicant's fields are kept, the service's are emptied, the next service is chosen."""
        if not self._keep_person:
            self.accept()
            return
        person = {spec.name for spec in self._catalogue.applicant_fields}
        self._remember_values()
        self._values = {name: value for name, value in self._values.items() if name in person}
        self._touched.clear()
        self._counting = False
        self.create_button.setEnabled(True)
        self.next_button.setEnabled(True)
        self._build_form()
        self._say(tr("walkin.saved_next", reference=reference), ok=True)
        self.service.setFocus()

    def save_failed(self, text: str) -> None:
        """Keep every value; say why; let the clerk try again."""
        self.create_button.setEnabled(True)
        self.next_button.setEnabled(True)
        self._say(text)

    def _say(self, text: str, *, ok: bool = False) -> None:
        """The line under the form: problems in red, a stored case in green."""
        self.summary.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.summary.setText(text)

    def has_input(self) -> bool:
        return bool(self._touched)

    def reject(self) -> None:
        """Esc or Abbrechen: a form with the clerk's typing is only discarded when confirmed."""
        if not self.has_input() or self.discard_box is not None:
            super().reject()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            tr("walkin.discard_title"),
            tr("walkin.discard_question"),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        self.keep_button = box.addButton(tr("walkin.keep"), QMessageBox.ButtonRole.RejectRole)
        self.discard_button = box.addButton(
            tr("walkin.discard"), QMessageBox.ButtonRole.DestructiveRole
        )
        box.setDefaultButton(self.keep_button)
        box.setEscapeButton(self.keep_button)
        self.discard_box = box

        def answered(button: object) -> None:
            self.discard_box = None
            if button is self.discard_button:
                super(WalkInDialog, self).reject()

        box.buttonClicked.connect(answered)
        box.open()
