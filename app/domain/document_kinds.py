"""The documents the offices issue: their kinds, titles and legal basis, the register number's
form, and which document a case gets now."""

from __future__ import annotations

from enum import StrEnum

from app.domain.cases import (
    ALLOWED_FROM,
    Case,
    CaseAction,
    CaseStatus,
)
from app.domain.errors import DomainError


class DocumentKind(StrEnum):
    MELDEBESCHEINIGUNG = "meldebescheinigung"
    MELDEBESCHEINIGUNG_ERWEITERT = "meldebescheinigung_erweitert"
    BEWOHNERPARKAUSWEIS = "bewohnerparkausweis"
    GEBURTSURKUNDE = "geburtsurkunde"
    EHEURKUNDE = "eheurkunde"
    STERBEURKUNDE = "sterbeurkunde"
    ABLEHNUNGSBESCHEID = "ablehnungsbescheid"


TITLES: dict[DocumentKind, str] = {
    DocumentKind.MELDEBESCHEINIGUNG: "Meldebescheinigung",
    DocumentKind.MELDEBESCHEINIGUNG_ERWEITERT: "Erweiterte Meldebescheinigung",
    DocumentKind.BEWOHNERPARKAUSWEIS: "Bewohnerparkausweis",
    DocumentKind.GEBURTSURKUNDE: "Geburtsurkunde",
    DocumentKind.EHEURKUNDE: "Eheurkunde",
    DocumentKind.STERBEURKUNDE: "Sterbeurkunde",
    DocumentKind.ABLEHNUNGSBESCHEID: "Bescheid",
}

LEGAL_BASIS: dict[DocumentKind, str] = {
    DocumentKind.MELDEBESCHEINIGUNG: "§ 18 Abs. 1 Bundesmeldegesetz (BMG)",
    DocumentKind.MELDEBESCHEINIGUNG_ERWEITERT: "§ 18 Abs. 2 Bundesmeldegesetz (BMG)",
    DocumentKind.BEWOHNERPARKAUSWEIS: "§ 45 Abs. 1b Nr. 2a StVO, § 6a Abs. 5a StVG",
    DocumentKind.GEBURTSURKUNDE: "§ 59 Personenstandsgesetz (PStG)",
    DocumentKind.EHEURKUNDE: "§ 57 Personenstandsgesetz (PStG)",
    DocumentKind.STERBEURKUNDE: "§ 60 Personenstandsgesetz (PStG)",
    DocumentKind.ABLEHNUNGSBESCHEID: "§ 35 Verwaltungsverfahrensgesetz NRW (VwVfG NRW)",
}

CIVIL_STATUS_KINDS = frozenset(
    {DocumentKind.GEBURTSURKUNDE, DocumentKind.EHEURKUNDE, DocumentKind.STERBEURKUNDE}
)


class DocumentRefused(DomainError):
    """No original can be issued for this case now."""


def format_document_number(year: int, serial: int) -> str:
    """The register number printed on the document: one gap-free series per year."""
    return f"{year}-{serial:06d}"


def kind_for(case: Case, service_document: str) -> DocumentKind:
    """The document a case gets now: the service's original once approved, the notice once
    rejected."""
    if case.status not in ALLOWED_FROM[CaseAction.PRINT]:
        raise DocumentRefused("document.not_decided", reference=case.reference)
    if case.status is CaseStatus.REJECTED:
        return DocumentKind.ABLEHNUNGSBESCHEID
    try:
        return DocumentKind(service_document)
    except ValueError:
        raise DocumentRefused(
            "document.no_original", reference=case.reference, document=service_document
        ) from None
