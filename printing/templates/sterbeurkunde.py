"""Sterbeurkunde (§ 60 PStG): the deceased's names, date and place of death, last residence."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.domain.documents import DocumentContent
from printing.templates._civil_status import certificate_story


def story(content: DocumentContent, seals: tuple[bytes, ...]) -> list[Flowable]:
    return certificate_story(
        content,
        heading="Sterbeurkunde",
        note="Die Urkunde gibt den Inhalt des Sterberegisters wieder (§ 60 PStG).",
    )
