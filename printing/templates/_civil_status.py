"""What birth, marriage and death certificates share: the register entry as a certificate,
issued by the Standesamt, in the form the civil-status rules (PStV, Anlage) give."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from app.domain.documents import DocumentContent, german_date
from printing.layout import STYLES, escape, fact_table, paragraphs


def certificate_story(content: DocumentContent, *, heading: str, note: str) -> list[Flowable]:
    return [
        Paragraph(escape(heading), STYLES.certificate_title),
        *paragraphs(f"Standesamt {content.issuer.city.removeprefix('Stadt ')}"),
        fact_table(content.facts, label_width=60 * mm),
        Spacer(1, 6 * mm),
        *paragraphs(note, STYLES.small),
        *paragraphs(
            f"{content.issuer.city.removeprefix('Stadt ')}, den {german_date(content.issued_on)}"
            f"\nDer Standesbeamte / Die Standesbeamtin – {content.issuer.clerk_name}"
        ),
    ]
