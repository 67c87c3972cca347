"""Eheurkunde (§ 57 PStG): the spouses' names at marriage, date and place, the married name."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.domain.documents import DocumentContent
from printing.templates._civil_status import certificate_story


def story(content: DocumentContent, seals: tuple[bytes, ...]) -> list[Flowable]:
    return certificate_story(
        content,
        heading="Eheurkunde",
        note="Die Urkunde gibt den Inhalt des Eheregisters wieder (§ 57 PStG).",
    )
