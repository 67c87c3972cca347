"""The print preview: the real sealed PDF, rendered, with printer and copies. A reprint says so
before it happens; a failed print keeps the dialog open with the reason."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.documents import TITLES, IssuedDocument
from ui.i18n import tr
from ui.walk_in_dialog import ERROR_STYLE


class PrintDialog(QDialog):
    print_requested = Signal(str, int)  # printer, copies

    def __init__(
        self,
        *,
        document: IssuedDocument,
        pages: list[QImage],
        printers: list[str],
        printer: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.setWindowTitle(tr("print.title", number=document.number))
        self.setObjectName("printDialog")
        self._fit_screen(900, 1000)

        pages_host = QWidget()
        pages_column = QVBoxLayout(pages_host)
        self.page_labels: list[QLabel] = []
        for number, page in enumerate(pages, start=1):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(page))
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            label.setAccessibleName(tr("print.page", number=number, total=len(pages)))
            label.setStyleSheet("background: white; border: 1px solid #999;")
            pages_column.addWidget(label)
            self.page_labels.append(label)
        scroll = QScrollArea()
        scroll.setWidget(pages_host)
        scroll.setWidgetResizable(True)
        scroll.setStyleSheet("QScrollArea { background: #666; }")

        heading = QLabel(
            tr(
                "print.heading",
                kind=TITLES[document.kind],
                number=document.number,
                pages=document.pages,
            )
        )
        heading.setStyleSheet("font-weight: 600;")
        self.reprint_note = QLabel(tr("print.reprint", count=document.prints))
        self.reprint_note.setStyleSheet(ERROR_STYLE)
        self.reprint_note.setWordWrap(True)
        self.reprint_note.setVisible(document.prints > 0)

        self.printer = QComboBox()
        self.printer.setAccessibleName(tr("print.printer"))
        self.printer.addItems(printers)
        if printer in printers:
            self.printer.setCurrentText(printer)
        self.copies = QSpinBox()
        self.copies.setRange(1, 10)
        self.copies.setAccessibleName(tr("print.copies"))
        form = QFormLayout()
        form.addRow(tr("print.printer"), self.printer)
        form.addRow(tr("print.copies"), self.copies)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setAccessibleName(tr("name.message"))

        buttons = QDialogButtonBox()
        self.cancel_button = buttons.addButton(
            tr("dialog.cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.print_button = QPushButton(tr("print.confirm"))
        self.print_button.setObjectName("button_print_confirm")
        # Return prints (the clerk approved to print): Cancel never becomes the default
        self.cancel_button.setAutoDefault(False)
        self.print_button.setAutoDefault(False)
        self.print_button.setDefault(True)
        self.print_button.setEnabled(bool(printers))
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button.clicked.connect(self._print)
        buttons.rejected.connect(self.reject)
        if not printers:
            self.message.setText(tr("print.no_printer"))

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.reprint_note)
        layout.addWidget(scroll, 1)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        (self.print_button if printers else self.cancel_button).setFocus()

    def _fit_screen(self, width: int, height: int) -> None:
        """The wanted size, but never larger than the screen's free area (a 1000 px high
        screen lost Drucken and Abbrechen below its edge); the pages scroll instead."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            free = screen.availableGeometry()
            width, height = min(width, free.width() - 40), min(height, free.height() - 60)
        self.resize(width, height)

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if self.print_button.isEnabled():
            self.print_button.setFocus()

    def _print(self) -> None:
        self.message.setText(tr("print.busy"))
        self.print_button.setEnabled(False)
        self.print_requested.emit(self.printer.currentText(), self.copies.value())

    def failed(self, text: str) -> None:
        self.message.setText(text)
        self.print_button.setEnabled(True)
