"""One module per document; each turns a `DocumentContent` into the flowables of its body."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.platypus import Flowable

from app.domain.documents import DocumentContent, DocumentKind
from printing.templates import (
    bescheid,
    bewohnerparkausweis,
    eheurkunde,
    geburtsurkunde,
    meldebescheinigung,
    sterbeurkunde,
)

Template = Callable[[DocumentContent, tuple[bytes, ...]], list[Flowable]]

TEMPLATES: dict[DocumentKind, Template] = {
    DocumentKind.MELDEBESCHEINIGUNG: meldebescheinigung.story,
    DocumentKind.MELDEBESCHEINIGUNG_ERWEITERT: meldebescheinigung.story,
    DocumentKind.BEWOHNERPARKAUSWEIS: bewohnerparkausweis.story,
    DocumentKind.GEBURTSURKUNDE: geburtsurkunde.story,
    DocumentKind.EHEURKUNDE: eheurkunde.story,
    DocumentKind.STERBEURKUNDE: sterbeurkunde.story,
    DocumentKind.ABLEHNUNGSBESCHEID: bescheid.story,
}
