"""PDF pages as images (pypdfium2), for the preview, the printer and for reading seals back as a
scanner would. Form widgets are drawn, so a visible signature field does not vanish."""

from __future__ import annotations

from collections.abc import Iterator

import pypdfium2
from PIL import Image


class PdfError(ValueError):
    """pdfium cannot open or draw the file (damaged, cut short, not a PDF)."""


def pages(pdf: bytes, *, dpi: int, grayscale: bool = False) -> Iterator[Image.Image]:
    try:
        document = pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError as error:
        raise PdfError(str(error)) from error
    try:
        document.init_forms()
        for index in range(len(document)):
            page = document[index]
            try:
                bitmap = page.render(scale=dpi / 72, grayscale=grayscale, may_draw_forms=True)
                yield bitmap.to_pil()
            except pypdfium2.PdfiumError as error:
                raise PdfError(str(error)) from error
            finally:
                page.close()
    finally:
        document.close()
