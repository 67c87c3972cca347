"""'Antragsformular': the fillable PDF application form of a service, for a citizen without a
portal account: saved (to mail it or put it on the website) or printed at the counter. Filled
forms come back through the forms mailbox or the scan folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.catalogue import Catalogue
from ui.dialogs import ask_save_path
from ui.i18n import error_text, language, plain, tr, tr_title
from ui.operations import Operation
from ui.printer_output import print_pdf
from ui.tasks import Lane, TaskRunner


class _Settings(Protocol):
    @property
    def printer_name(self) -> str: ...


class _Core(Protocol):
    @property
    def settings(self) -> _Settings: ...

    @property
    def catalogue(self) -> Catalogue: ...


class FormDialog(QDialog):
    finished_work = Signal(str)  # what the status line says after saving or printing

    @classmethod
    def open_for(
        cls, runner: TaskRunner, core: _Core, said: Callable[[str], None], parent: QWidget
    ) -> FormDialog:
        """The dialog for the seat's catalogue and printer, shown; `said` hears its outcome."""
        printer = core.settings.printer_name
        dialog = cls(runner=runner, catalogue=core.catalogue, printer_name=printer, parent=parent)
        dialog.finished_work.connect(said)
        dialog.open()
        return dialog

    def __init__(
        self,
        *,
        runner: TaskRunner,
        catalogue: Catalogue,
        printer_name: str,
        choose_target: Callable[[QWidget, str], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("formDialog")
        self.setWindowTitle(tr("forms.title"))
        self._runner, self._catalogue, self._printer_name = runner, catalogue, printer_name
        self._choose_target = choose_target or _ask_for_file
        intro = QLabel(tr("forms.intro"))
        intro.setWordWrap(True)
        self.service = QComboBox()
        self.service.setAccessibleName(plain(tr("walkin.service")))
        for service in catalogue.services:
            self.service.addItem(service.name(language()), service.id)
        self.save_button = QPushButton(tr("forms.save"))
        self.save_button.clicked.connect(self.save)
        self.print_button = QPushButton(tr("forms.print"))
        self.print_button.clicked.connect(self.print_form)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(tr("forms.status"))
        form = QFormLayout()
        label = QLabel(tr("walkin.service"))
        label.setBuddy(self.service)
        form.addRow(label, self.service)
        buttons = QDialogButtonBox()
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(tr("dialog.close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def _service_id(self) -> str:
        return str(self.service.currentData())

    def save(self) -> None:
        service_id = self._service_id()
        target = self._choose_target(self, f"antrag-{service_id}.pdf")
        if not target:
            return
        catalogue = self._catalogue

        def work() -> str:
            pdf = _render(catalogue, service_id)
            Path(target).write_bytes(pdf)
            return tr("forms.saved", path=target)

        self._start(Lane.PRINTING, work)

    def print_form(self) -> None:
        service_id, catalogue, printer = self._service_id(), self._catalogue, self._printer_name

        def work() -> str:
            service = catalogue.service(service_id)
            pdf = _render(catalogue, service.id)
            result = print_pdf(
                pdf, printer_name=printer, copies=1, title=f"Antrag {service.name('de')}"
            )
            return tr("forms.printed", printer=result.printer, pages=result.pages)

        self._start(Lane.PRINTING, work)

    def _start(self, lane: Lane, work: Callable[[], str]) -> None:
        self.save_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self.status.setText(tr("forms.working"))
        (Operation.on(self._runner, lane, work).success(self._done).failure(self._failed).run())

    def _done(self, text: str) -> None:
        self._ready(text)
        self.finished_work.emit(text)

    def _failed(self, error: BaseException) -> None:
        self._ready(error_text(error))

    def _ready(self, text: str) -> None:
        self.status.setText(text)
        self.save_button.setEnabled(True)
        self.print_button.setEnabled(True)


def _ask_for_file(parent: QWidget, suggested: str) -> str:
    path = ask_save_path(parent, tr_title("forms.save"), suggested, "PDF (*.pdf)")
    return str(path) if path else ""


def _render(catalogue: Catalogue, service_id: str) -> bytes:
    from printing.application_forms import render_application_form  # reportlab: when used

    return render_application_form(catalogue, catalogue.service(service_id))
