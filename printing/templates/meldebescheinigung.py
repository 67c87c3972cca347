"""Meldebescheinigung, simple (§ 18 Abs. 1 BMG) and extended (§ 18 Abs. 2 BMG): it certifies what
the resident register holds, as of the issue date."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.domain.documents import DocumentContent, DocumentKind, german_date
from printing.layout import STYLES, fact_table, paragraphs


def story(content: DocumentContent, seals: tuple[bytes, ...]) -> list[Flowable]:
    extended = content.kind is DocumentKind.MELDEBESCHEINIGUNG_ERWEITERT
    scope = "folgende Daten" if extended else "die Daten nach § 18 Abs. 1 BMG"
    return [
        *paragraphs(
            f"Es wird bescheinigt, dass im Melderegister der {content.issuer.city} für die "
            f"nachstehend bezeichnete Person {scope} gespeichert sind:"
        ),
        fact_table(content.facts),
        Spacer(1, 5 * mm),
        *paragraphs(
            f"Diese Bescheinigung gibt den Stand des Melderegisters am "
            f"{german_date(content.issued_on)} wieder. Sie ist ohne Unterschrift gültig; ihre "
            "Echtheit belegen das elektronische Siegel der PDF-Datei und das aufgedruckte "
            "2D-Siegel.",
            STYLES.small,
        ),
    ]
