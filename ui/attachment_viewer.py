"""Shows an attachment inside the app: PDFs page by page, images scaled; anything else is named
with its size and type. Citizens' files are decoded on the printing lane (a malformed PDF must
not freeze or crash the window) and one that cannot be read says so; nothing touches disk."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.lanes import Lane, require_lane
from ui.i18n import error_text, tr
from ui.printer_output import render_pages

VIEW_DPI = 100


@dataclass(frozen=True)
class DecodedAttachment:
    """What the viewer shows: `kind` is pdf, image, other or broken (with the problem)."""

    filename: str
    media_type: str
    size: int
    kind: str
    pages: list[QImage] = field(default_factory=list)
    problem: str = ""


def decode_attachment(filename: str, media_type: str, content: bytes) -> DecodedAttachment:
    """Render the file's pages into images, off the GUI thread."""
    require_lane(Lane.PRINTING)

    def decoded(
        kind: str, pages: list[QImage] | None = None, problem: str = ""
    ) -> DecodedAttachment:
        return DecodedAttachment(filename, media_type, len(content), kind, pages or [], problem)

    if media_type == "application/pdf" or content.startswith(b"%PDF"):
        try:
            pages = render_pages(content, dpi=VIEW_DPI)
        except Exception as error:  # whatever a broken file makes the PDF engine raise
            return decoded("broken", problem=error_text(error))
        if not pages:
            return decoded("broken", problem=tr("attachment.no_pages"))
        return decoded("pdf", pages)
    if media_type.startswith("image/"):
        image = QImage.fromData(content)
        if image.isNull():
            return decoded("broken", problem=tr("attachment.no_image"))
        return decoded("image", [image])
    return decoded("other")


def page_view(decoded: DecodedAttachment) -> QScrollArea:
    """The file's pages one below the other, each named for a screen reader."""
    column = QWidget()
    pages = QVBoxLayout(column)
    for number, image in enumerate(decoded.pages, start=1):
        label = QLabel()
        label.setPixmap(QPixmap.fromImage(image))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setAccessibleName(tr("attachment.page", filename=decoded.filename, page=number))
        pages.addWidget(label)
    scroll = QScrollArea()
    scroll.setWidget(column)
    scroll.setWidgetResizable(True)
    return scroll


class AttachmentViewer(QDialog):
    def __init__(self, decoded: DecodedAttachment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.decoded = decoded
        self.kind = decoded.kind
        self.setWindowTitle(tr("attachment.title", filename=decoded.filename))
        self.resize(900, 1000)
        layout = QVBoxLayout(self)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(tr("name.message"))
        if decoded.pages:
            layout.addWidget(page_view(decoded), 1)
        elif decoded.kind == "broken":
            self.message.setText(
                tr("attachment.broken", filename=decoded.filename, problem=decoded.problem)
            )
        else:
            self.message.setText(
                tr(
                    "attachment.other",
                    filename=decoded.filename,
                    media_type=decoded.media_type,
                    size=f"{decoded.size:,}".replace(",", "."),
                )
            )
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        buttons.addButton(tr("dialog.close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
