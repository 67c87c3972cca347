"""Geburtsurkunde (§ 59 PStG): the child's names, sex, date and place of birth, the parents."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.domain.documents import DocumentContent
from printing.templates._civil_status import certificate_story


def story(content: DocumentContent, seals: tuple[bytes, ...]) -> list[Flowable]:
    return certificate_story(
        content,
        heading="Geburtsurkunde",
        note=(
            "Die Urkunde gibt den Inhalt des Geburtenregisters wieder. Auf Antrag können Angaben "
            "über die Eltern weggelassen werden (§ 59 Abs. 2 PStG)."
        ),
    )
