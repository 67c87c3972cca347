"""Shows an attachment inside the app: PDFs page by page (QtPdf), images scaled; anything else
is named with its size and type. The bytes come from the database lane; nothing touches disk."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from ui.i18n import tr


class AttachmentViewer(QDialog):
    def __init__(
        self, filename: str, media_type: str, content: bytes, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{tr('case.attachments')}: {filename}")
        self.resize(900, 1000)
        layout = QVBoxLayout(self)
        self.kind = "other"
        if media_type == "application/pdf" or content.startswith(b"%PDF"):
            self._buffer = QBuffer(self)
            self._buffer.setData(QByteArray(content))
            self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            self.document = QPdfDocument(self)
            self.document.load(self._buffer)
            view = QPdfView(self)
            view.setDocument(self.document)
            view.setPageMode(QPdfView.PageMode.MultiPage)
            view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            view.setAccessibleName(filename)
            layout.addWidget(view)
            self.kind = "pdf"
        elif media_type.startswith("image/"):
            pixmap = QPixmap()
            pixmap.loadFromData(content)
            label = QLabel()
            label.setPixmap(pixmap)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setAccessibleName(filename)
            scroll = QScrollArea()
            scroll.setWidget(label)
            layout.addWidget(scroll)
            self.kind = "image"
        else:
            layout.addWidget(QLabel(f"{filename} · {media_type} · {len(content):,} Bytes"))
        buttons = QDialogButtonBox()
        buttons.addButton(tr("dialog.close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
