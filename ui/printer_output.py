"""Printing a sealed PDF through Qt: pages rendered here (printing.rasterize, forms drawn) and
painted into a QPrinter, so Windows and Linux take the same path and no PDF viewer is involved.
Runs on the printing lane (QPainter on a QPrinter is allowed off the GUI thread)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from app.domain.errors import Explained
from app.lanes import Lane, require_lane
from printing import rasterize

PRINT_DPI = 300
PREVIEW_DPI = 110


class PrinterUnavailable(Explained):
    """The printer cannot take the job now; the message is for the clerk."""


@dataclass(frozen=True, slots=True)
class PrintResult:
    printer: str
    pages: int
    copies: int


def printer_names() -> list[str]:
    return list(QPrinterInfo.availablePrinterNames())


def default_printer_name() -> str:
    return QPrinterInfo.defaultPrinterName()


def render_pages(pdf: bytes, *, dpi: int) -> list[QImage]:
    require_lane(Lane.PRINTING)
    images: list[QImage] = []
    for page in rasterize.pages(pdf, dpi=dpi):
        image = page.convert("RGB")
        images.append(
            QImage(
                image.tobytes(),
                image.width,
                image.height,
                3 * image.width,
                QImage.Format.Format_RGB888,
            ).copy()  # own the pixels: the PIL buffer goes away
        )
    return images


def _check(info: QPrinterInfo, name: str) -> None:
    if info.isNull():
        raise PrinterUnavailable("printer.missing", printer=name)
    if info.state() in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted):
        raise PrinterUnavailable("printer.not_ready", printer=name)


def job_title(title: str, mark: str = "") -> str:
    """The job's name in the queue: what it is, a reprint said so, and when it was sent (a
    reprint or a second demo run never has a print-to-file queue overwrite an earlier job)."""
    sent = dt.datetime.now().strftime("%Y-%m-%d %H.%M.%S")
    return " ".join(part for part in (title, mark, sent) if part)


def print_pdf(
    pdf: bytes, *, printer_name: str, copies: int, title: str, mark: str = ""
) -> PrintResult:
    """Print every page; `mark` (e.g. 'NACHDRUCK') goes into the top margin of each page."""
    name = printer_name or default_printer_name()
    if not name:
        raise PrinterUnavailable("printer.none")
    info = QPrinterInfo.printerInfo(name)
    _check(info, name)
    pages = render_pages(pdf, dpi=PRINT_DPI)
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    printer.setDocName(job_title(title, mark))
    printer.setCopyCount(copies)
    printer.setFullPage(True)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            printer.pageLayout().margins(),
        )
    )
    painter = QPainter()
    if not painter.begin(printer):
        raise PrinterUnavailable("printer.refused", printer=name)
    try:
        for index, page in enumerate(pages):
            if index:
                printer.newPage()
            target = QRectF(printer.paperRect(QPrinter.Unit.DevicePixel))
            painter.drawImage(target, page)
            if mark:
                _draw_mark(painter, target, mark)
    finally:
        painter.end()
    if printer.printerState() in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted):
        raise PrinterUnavailable("printer.aborted", printer=name)
    return PrintResult(printer=name, pages=len(pages), copies=copies)


def _draw_mark(painter: QPainter, page: QRectF, mark: str) -> None:
    painter.save()
    font = QFont("DejaVu Sans")
    font.setPixelSize(int(page.height() * 0.012))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#b00020"))
    band = QRectF(
        page.left(), page.top() + page.height() * 0.012, page.width(), page.height() * 0.02
    )
    painter.drawText(band, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter), mark)
    painter.restore()
