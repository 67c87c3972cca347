"""Bewohnerparkausweis: the permit letter, and below the cut line the part for the windscreen
with zone, plate, validity and the printed seal (an enforcement officer scans it)."""

from __future__ import annotations

from reportlab.lib.colors import HexColor, black, white
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.domain.documents import DocumentContent, german_date
from printing.layout import (
    ACCENT,
    FONT,
    FONT_BOLD,
    STYLES,
    TEXT_WIDTH,
    draw_seal,
    fact_table,
    paragraphs,
)

CARD_WIDTH, CARD_HEIGHT = 105 * mm, 74 * mm  # DIN A7 landscape fits behind a windscreen


class WindscreenPart(Flowable):  # type: ignore[misc]
    def __init__(self, content: DocumentContent, seals: tuple[bytes, ...]) -> None:
        super().__init__()
        self.content, self.seals = content, seals
        self.width, self.height = TEXT_WIDTH, CARD_HEIGHT + 8 * mm

    def draw(self) -> None:
        canvas = self.canv
        content = self.content
        canvas.saveState()
        canvas.setDash(3, 3)
        canvas.setStrokeColor(HexColor("#888888"))
        canvas.line(0, CARD_HEIGHT + 4 * mm, self.width, CARD_HEIGHT + 4 * mm)
        canvas.setFont(FONT, 7)
        canvas.drawString(
            0,
            CARD_HEIGHT + 5.5 * mm,
            "Hier abtrennen – gut sichtbar hinter die Windschutzscheibe legen",
        )
        canvas.setDash()
        canvas.setStrokeColor(black)
        canvas.roundRect(0, 0, CARD_WIDTH, CARD_HEIGHT, 3 * mm)
        canvas.setFillColor(ACCENT)
        canvas.rect(0, CARD_HEIGHT - 12 * mm, CARD_WIDTH, 12 * mm, 0, 1)
        canvas.setFillColor(white)
        canvas.setFont(FONT_BOLD, 12)
        canvas.drawString(4 * mm, CARD_HEIGHT - 8 * mm, "BEWOHNERPARKAUSWEIS")
        canvas.setFont(FONT, 8)
        canvas.drawRightString(CARD_WIDTH - 4 * mm, CARD_HEIGHT - 8 * mm, content.issuer.city)
        canvas.setFillColor(black)
        canvas.setFont(FONT_BOLD, 40)
        canvas.drawString(4 * mm, CARD_HEIGHT - 30 * mm, content.fact("Parkzone"))
        canvas.setFont(FONT, 7)
        canvas.drawString(4 * mm, CARD_HEIGHT - 34 * mm, "Zone")
        canvas.setFont(FONT_BOLD, 15)
        canvas.drawString(26 * mm, CARD_HEIGHT - 22 * mm, content.fact("Amtliches Kennzeichen"))
        canvas.setFont(FONT, 9)
        valid_until = german_date(content.valid_until) if content.valid_until else ""
        canvas.drawString(26 * mm, CARD_HEIGHT - 29 * mm, f"gültig bis {valid_until}")
        canvas.setFont(FONT, 7)
        canvas.drawString(26 * mm, CARD_HEIGHT - 34 * mm, f"Nr. {content.number}")
        canvas.drawString(
            4 * mm, 4 * mm, "Nur gültig in der angegebenen Zone und für das angegebene Fahrzeug."
        )
        for index, seal in enumerate(reversed(self.seals)):
            draw_seal(canvas, seal, CARD_WIDTH - (34 + 30 * index) * mm, 9 * mm, 28 * mm)
        canvas.restoreState()


def story(content: DocumentContent, seals: tuple[bytes, ...]) -> list[Flowable]:
    return [
        *paragraphs(
            "Auf Ihren Antrag wird Ihnen als Bewohnerin oder Bewohner der unten genannten Zone "
            "ein Bewohnerparkausweis für das bezeichnete Fahrzeug erteilt:"
        ),
        fact_table(content.facts),
        Spacer(1, 3 * mm),
        *paragraphs(
            "Der Ausweis berechtigt nicht zum Parken auf einem bestimmten Platz. Er ist ungültig, "
            "sobald Sie aus der Zone wegziehen oder das Fahrzeug nicht mehr halten oder nutzen; "
            "bitte geben Sie ihn dann zurück.",
            STYLES.small,
        ),
        WindscreenPart(content, seals),
    ]
