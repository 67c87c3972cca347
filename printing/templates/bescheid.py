"""Rejection notice (Bescheid): decision, reasons, and the legal-remedy instructions.

In NRW there is no Widerspruch against most municipal decisions (§ 110 JustG NRW): the remedy is
an action at the administrative court; for Siegen that is the Verwaltungsgericht Arnsberg."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from app.domain.documents import DocumentContent
from printing.layout import STYLES, escape, fact_table, paragraphs

LEGAL_REMEDY = (
    "Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Klage beim "
    "Verwaltungsgericht Arnsberg, Jägerstraße 1, 59821 Arnsberg, erhoben werden. Die Klage ist "
    "schriftlich oder zur Niederschrift der Urkundsbeamtin oder des Urkundsbeamten der "
    "Geschäftsstelle zu erheben. Sie kann auch als elektronisches Dokument nach Maßgabe des "
    "§ 55a der Verwaltungsgerichtsordnung (VwGO) und der Elektronischer-Rechtsverkehr-Verordnung "
    "(ERVV) eingereicht werden."
)


def story(content: DocumentContent, seals: tuple[bytes, ...]) -> list[Flowable]:
    applicant = f"{content.holder_given_names} {content.holder_family_name}"
    return [
        *paragraphs(f"Sehr geehrte/r {applicant},"),
        fact_table(content.facts),
        Spacer(1, 4 * mm),
        Paragraph("Entscheidung", STYLES.heading),
        *paragraphs("Ihr oben bezeichneter Antrag wird abgelehnt."),
        Paragraph("Begründung", STYLES.heading),
        *paragraphs(content.reasons or "—"),
        KeepTogether(
            [
                Paragraph("Rechtsbehelfsbelehrung", STYLES.heading),
                Paragraph(escape(LEGAL_REMEDY), STYLES.body),
            ]
        ),
        Spacer(1, 6 * mm),
        *paragraphs(f"Mit freundlichen Grüßen\nIm Auftrag\n{content.issuer.clerk_name}"),
    ]
