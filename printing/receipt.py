"""The Quittung for a fee taken at the till (or its cancellation): an A6 page the counter
printer prints for the citizen, with everything the city's audit of cash asks of a receipt:
who received how much, for what, when, by which way, under which number."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.domain.cases import format_cents
from app.domain.till import TillEntry
from printing.layout import ACCENT, FONT, FONT_BOLD

WIDTH, HEIGHT = A6
MARGIN = 10 * mm
METHODS = {"cash": "bar", "card": "Karte (girocard/Kreditkarte)"}


@dataclass(frozen=True, slots=True)
class ReceiptIssuer:
    authority: str  # "Stadt Siegen"
    office: str  # "Bürgerbüro Siegen"
    address: str


def receipt_pdf(entry: TillEntry, *, issuer: ReceiptIssuer, service: str) -> bytes:
    """One page; a cancellation says so in its title and its amount is negative."""
    buffer = io.BytesIO()
    cancellation = entry.cancels is not None
    title = "Stornoquittung" if cancellation else "Quittung"
    canvas = Canvas(buffer, pagesize=A6, pageCompression=1)
    canvas.setTitle(f"{title} {entry.receipt}")
    canvas.setAuthor(issuer.authority)
    y = HEIGHT - MARGIN
    canvas.setFillColor(ACCENT)
    canvas.setFont(FONT_BOLD, 11)
    canvas.drawString(MARGIN, y, issuer.authority)
    y -= 5 * mm
    canvas.setFont(FONT, 8)
    canvas.drawString(MARGIN, y, issuer.office)
    y -= 4 * mm
    canvas.drawString(MARGIN, y, issuer.address)
    canvas.setFillColorRGB(0, 0, 0)
    y -= 12 * mm
    canvas.setFont(FONT_BOLD, 16)
    canvas.drawString(MARGIN, y, title)
    y -= 10 * mm
    rows = [
        ("Nr.", entry.receipt),
        ("Datum", entry.at.astimezone().strftime("%d.%m.%Y %H:%M")),
        ("Aktenzeichen", entry.case_reference),
        ("Leistung", service),
        ("Zahlweg", METHODS.get(entry.method.value, entry.method.value)),
        ("Kasse", entry.counter),
        ("Kassiert von", entry.by),
    ]
    if cancellation and entry.reason:
        rows.append(("Grund", entry.reason))
    canvas.setFont(FONT, 9)
    for label, value in rows:
        canvas.drawString(MARGIN, y, label)
        canvas.drawString(MARGIN + 28 * mm, y, value[:42])
        y -= 5.5 * mm
    y -= 4 * mm
    canvas.setFont(FONT_BOLD, 13)
    amount = format_cents(abs(entry.amount_cents))
    canvas.drawString(
        MARGIN, y, ("Zurückgezahlt: " if cancellation else "Betrag erhalten: ") + amount
    )
    canvas.setFont(FONT, 7)
    canvas.drawString(
        MARGIN, MARGIN, "Gebühr nach der Verwaltungsgebührensatzung; keine Umsatzsteuer."
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
