"""What a PDF says as text, and whether it is a scan: a born-digital PDF of ours has a text
layer the printed seal can be compared with; a scan (pages that are pictures, with or without an
OCR layer over them) has only its printed seal to speak for it."""

from __future__ import annotations

from dataclasses import dataclass

import pypdfium2
import pypdfium2.raw as pdfium_c

from printing.layout import MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_TOP
from printing.seal_profile import GROUNDS, normalise

# a picture covering this share of a page makes the page a scan
SCAN_COVER = 0.8
GROUNDS_END = "Rechtsbehelfsbelehrung"


class UnreadablePdf(ValueError):
    """pdfium could not open or read the file."""


@dataclass(frozen=True, slots=True)
class TextLayer:
    text: str  # the pages' body text, whitespace runs as one space
    scan: bool

    def shows(self, label: str, value: str) -> bool:
        """Whether the fact table row `label value` is on the pages."""
        return normalise(f"{label} {value}") in self.text

    def grounds(self) -> str | None:
        """The rejection notice's grounds as printed: the text between their heading and the
        legal-remedy heading."""
        start = self.text.find(f" {GROUNDS} ")
        end = self.text.find(f" {GROUNDS_END} ", start + 1)
        if start < 0 or end < 0:
            return None
        return self.text[start + len(GROUNDS) + 2 : end].strip()


def read(pdf: bytes) -> TextLayer:
    try:
        document = pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError as error:
        raise UnreadablePdf(f"PDF-Datei beschädigt oder unvollständig ({error})") from error
    try:
        parts: list[str] = []
        scanned_pages = 0
        for index in range(len(document)):
            page = document[index]
            try:
                width, height = page.get_size()
                if _covered_by_a_picture(page, width * height):
                    scanned_pages += 1
                textpage = page.get_textpage()
                try:
                    parts.append(
                        textpage.get_text_bounded(
                            # the body frame only: letterhead, footer and seal caption
                            # repeat on every page and would split a section in two
                            left=MARGIN_LEFT,
                            bottom=MARGIN_BOTTOM,
                            right=width,
                            top=height - MARGIN_TOP,
                        )
                    )
                finally:
                    textpage.close()
            finally:
                page.close()
        text = normalise(" ".join(parts))
        scan = len(document) > 0 and (scanned_pages == len(document) or not text)
        return TextLayer(f" {text} " if text else "", scan)
    except pypdfium2.PdfiumError as error:
        raise UnreadablePdf(f"PDF-Seite nicht lesbar ({error})") from error
    finally:
        document.close()


def _covered_by_a_picture(page: pypdfium2.PdfPage, area: float) -> bool:
    for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = image.get_bounds()
        if (right - left) * (top - bottom) >= SCAN_COVER * area:
            return True
    return False
