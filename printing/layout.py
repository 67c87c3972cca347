"""The frame every original shares: letterhead, reference block, page numbers, and the printed
seal with the line that says how to check it. Templates fill in the body.

Fonts are Bitstream Vera as shipped inside reportlab, embedded in every PDF: the same glyphs on
Windows and Linux, with umlauts and ß.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import reportlab
from reportlab.lib.colors import HexColor, black
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.domain.documents import CIVIL_STATUS_KINDS, DocumentContent, german_date
from printing.datamatrix import encode_modules

FONT, FONT_BOLD = "BBVera", "BBVera-Bold"
ACCENT = HexColor("#1f4e79")
SEAL_SIZE = 30 * mm
ARMS_SIZE = 16 * mm
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT, MARGIN_RIGHT = 25 * mm, 20 * mm
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
# the body frame's margins: letterhead above, seal and footer below
MARGIN_TOP, MARGIN_BOTTOM = 62 * mm, 55 * mm
TRUST_LIST_HINT = "Vertrauensliste: www.siegen.de/siegel"


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    fonts = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(fonts / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(fonts / "VeraBd.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)


_register_fonts()


class Styles:
    """The paragraph styles every template uses (one shared, read-only set)."""

    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14)
    small = ParagraphStyle("small", fontName=FONT, fontSize=8, leading=10)
    title = ParagraphStyle("title", fontName=FONT_BOLD, fontSize=18, leading=22, spaceAfter=4 * mm)
    certificate_title = ParagraphStyle(
        "certificate_title",
        fontName=FONT_BOLD,
        fontSize=22,
        leading=28,
        alignment=TA_CENTER,
        spaceAfter=6 * mm,
    )
    heading = ParagraphStyle(
        "heading", fontName=FONT_BOLD, fontSize=11, leading=15, spaceBefore=3 * mm
    )


STYLES = Styles()


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fact_table(facts: Sequence[tuple[str, str]], *, label_width: float = 55 * mm) -> Table:
    rows = [
        [Paragraph(escape(label), STYLES.body), Paragraph(escape(value), STYLES.body)]
        for label, value in facts
    ]
    table = Table(rows, colWidths=[label_width, TEXT_WIDTH - label_width])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 10),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TEXTCOLOR", (0, 0), (0, -1), HexColor("#444444")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, HexColor("#bbbbbb")),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def paragraphs(text: str, style: ParagraphStyle | None = None) -> list[Flowable]:
    return [
        Paragraph(escape(part).replace("\n", "<br/>"), style or STYLES.body)
        for part in text.split("\n\n")
        if part.strip()
    ] + [Spacer(1, 2 * mm)]


def draw_seal(canvas: Canvas, seal: bytes, x: float, y: float, size: float = SEAL_SIZE) -> None:
    """The DataMatrix as vector modules, crisp at any printer resolution. The runs are written
    as literal `re` operators in a module-sized coordinate system: integers, one line each,
    instead of a thousand float-formatted path calls."""
    matrix = encode_modules(seal)
    module = size / max(len(matrix), len(matrix[0]))
    runs: list[str] = []
    for row, line in enumerate(matrix):
        run_start: int | None = None
        for column, dark in enumerate((*line, False)):
            if dark and run_start is None:
                run_start = column
            elif not dark and run_start is not None:
                runs.append(f"{run_start} {row} {column - run_start} 1 re")
                run_start = None
    canvas.saveState()
    canvas.setFillColor(black)
    canvas.transform(module, 0, 0, -module, x, y + size)  # y runs down, one unit per module
    canvas.addLiteral("\n".join(runs) + "\nf")
    canvas.restoreState()


def seal_caption(content: DocumentContent, symbols: int = 1) -> str:
    where = "Das 2D-Siegel links enthält" if symbols == 1 else "Die 2D-Siegel links enthalten"
    url = content.issuer.verifier_url
    how = (
        f"Prüfen: {url} (auch offline, im Browser)"
        if url
        else "Mit einer VDS-Prüf-App oder »buergerbuero verify-seal« offline prüfbar. "
        + TRUST_LIST_HINT
    )
    return (
        f"Elektronisch gesiegelt von {content.issuer.authority}. {where} alle "
        f"Angaben des Dokuments und ihre Signatur. {how}. Dokumentnummer {content.number}."
    )


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Writes 'Seite x von y' once the page count is known (reportlab's two-pass idiom)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs["initialFontName"] = FONT  # else every page references Helvetica
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, object]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(FONT, 8)
            self.drawRightString(
                PAGE_WIDTH - MARGIN_RIGHT, 12 * mm, f"Seite {self._pageNumber} von {total}"
            )
            super().showPage()
        super().save()


def render(
    content: DocumentContent,
    seals: tuple[bytes, ...],
    story: list[Flowable],
    *,
    coat_of_arms: bytes | None = None,
) -> tuple[bytes, int]:
    """The PDF and its page count. Every page carries the letterhead and the printed seal, so a
    single page still proves what it belongs to."""
    buffer = io.BytesIO()
    pages = [0]
    arms = ImageReader(io.BytesIO(coat_of_arms)) if coat_of_arms else None

    def on_page(canvas: Canvas, document: BaseDocTemplate) -> None:
        pages[0] = document.page
        _letterhead(canvas, content, first=document.page == 1, arms=arms)
        _seal_block(canvas, content, seals)

    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{content.title} {content.number}",
        author=content.issuer.authority,
        subject=content.case_reference,
        creator="Bürgerbüro Desk",
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
    )
    frame = Frame(
        document.leftMargin, document.bottomMargin, document.width, document.height, id="body"
    )
    document.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    document.build(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue(), pages[0]


def _letterhead(
    canvas: Canvas, content: DocumentContent, *, first: bool, arms: ImageReader | None
) -> None:
    issuer = content.issuer
    canvas.saveState()
    canvas.setFillColor(ACCENT)
    canvas.rect(0, PAGE_HEIGHT - 8 * mm, PAGE_WIDTH, 8 * mm, 0, 1)
    canvas.setFillColor(black)
    left = MARGIN_LEFT
    if arms is not None:  # the city's arms left of its name, kept in proportion
        canvas.drawImage(
            arms,
            MARGIN_LEFT,
            PAGE_HEIGHT - 31 * mm,
            width=ARMS_SIZE,
            height=ARMS_SIZE,
            preserveAspectRatio=True,
            anchor="nw",
            mask="auto",
        )
        left += ARMS_SIZE + 4 * mm
    canvas.setFont(FONT_BOLD, 14)
    canvas.drawString(left, PAGE_HEIGHT - 20 * mm, issuer.authority)
    canvas.setFont(FONT, 10)
    canvas.drawString(left, PAGE_HEIGHT - 25 * mm, issuer.office_name)
    canvas.setFont(FONT, 8.5)
    canvas.drawString(left, PAGE_HEIGHT - 29.5 * mm, issuer.office_address)
    right = PAGE_WIDTH - MARGIN_RIGHT
    lines = [
        ("Dokumentnummer", content.number),
        ("Aktenzeichen", content.case_reference),
        ("Datum", german_date(content.issued_on)),
        ("Bearbeitet von", issuer.clerk_name),
    ]
    if content.fee:
        lines.append(("Gebühr", content.fee))
    y = PAGE_HEIGHT - 20 * mm
    for label, value in lines:
        canvas.setFont(FONT, 7.5)
        canvas.drawRightString(right - 45 * mm, y, label)
        font = FONT_BOLD if label == "Dokumentnummer" else FONT
        size = 9.0
        while size > 6 and canvas.stringWidth(value, font, size) > 43 * mm:
            size -= 0.5  # a long cash reference shrinks rather than runs off the page
        canvas.setFont(font, size)
        canvas.drawString(right - 43 * mm, y, value)
        y -= 4.5 * mm
    if first and content.kind not in CIVIL_STATUS_KINDS:  # certificates carry their own title
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN_LEFT, PAGE_HEIGHT - 44 * mm, right, PAGE_HEIGHT - 44 * mm)
        canvas.setFont(FONT_BOLD, 16)
        canvas.drawString(MARGIN_LEFT, PAGE_HEIGHT - 54 * mm, content.title)
        canvas.setFont(FONT, 8)
        canvas.drawRightString(right, PAGE_HEIGHT - 54 * mm, content.legal_basis)
    canvas.setFont(FONT, 7.5)
    canvas.setFillColor(HexColor("#555555"))
    canvas.drawString(
        MARGIN_LEFT,
        12 * mm,
        f"{issuer.authority} · {issuer.office_name} · {content.title} {content.number}",
    )
    canvas.restoreState()


def _seal_block(canvas: Canvas, content: DocumentContent, seals: tuple[bytes, ...]) -> None:
    """The symbols side by side (a two-part seal reads left to right), the caption after."""
    x, y = MARGIN_LEFT, 18 * mm
    for seal in seals:
        draw_seal(canvas, seal, x, y)
        x += SEAL_SIZE + 5 * mm
    caption = Paragraph(escape(seal_caption(content, len(seals))), STYLES.small)
    width = PAGE_WIDTH - MARGIN_RIGHT - x - 1 * mm
    _, height = caption.wrap(width, SEAL_SIZE)
    caption.drawOn(canvas, x + 1 * mm, y + SEAL_SIZE - height)
