"""Sealed originals: making, registering and printing them; the population register."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from app.domain.cases import Case, CaseEvent
from app.domain.documents import (
    DocumentContent,
    DocumentKind,
    IssuedDocument,
    MadeDocument,
    PrintRecord,
    RegisterEntry,
    RegisterFacts,
    Reservation,
)


class DocumentMaker(Protocol):
    """Generates and seals an original (printing/ implements it)."""

    def make(self, content: DocumentContent) -> MadeDocument: ...


class DocumentRegister(Protocol):
    """The year's gap-free document numbers and the sealed originals under them."""

    def reserve(self, case: Case, kind: DocumentKind, *, by: str, at: dt.datetime) -> Reservation:
        """Allocate the next number of the year for the case, in one short transaction."""
        ...

    def record(self, reservation: Reservation, made: MadeDocument, *, by: str) -> IssuedDocument:
        """Store the sealed original under its reserved number (NotFound if it was voided)."""
        ...

    def void(self, reservation: Reservation, *, reason: str, by: str, at: dt.datetime) -> None:
        """Record the reserved number as spoiled, with the reason; it is never reused."""
        ...

    def void_stale(self, *, reserved_before: dt.datetime, by: str, at: dt.datetime) -> int:
        """Void what is still reserved from before `reserved_before` (its seat ended)."""
        ...

    def entries(self, year: int) -> list[RegisterEntry]: ...

    def for_case(self, case_id: int) -> list[IssuedDocument]: ...

    def get(self, document_id: int) -> IssuedDocument: ...

    def pdf(self, document_id: int) -> bytes: ...

    def record_print(
        self, record: PrintRecord, transition: tuple[Case, CaseEvent, int] | None
    ) -> PrintRecord:
        """Store a print (reprint if the document was printed before) and, in the same
        transaction, the case transition (case, event, expected version) it brings."""
        ...

    def prints(self, document_id: int) -> list[PrintRecord]: ...

    def awaiting_timestamp(self, *, limit: int) -> list[tuple[int, str, bytes]]:
        """(id, number, sealed bytes) of originals sealed without their timestamp."""
        ...

    def add_timestamp(self, document_id: int, pdf: bytes, *, by: str, at: dt.datetime) -> None:
        """The original with its document timestamp added replaces the stored bytes."""
        ...


class PopulationRegister(Protocol):
    """The municipal registration software (Melderegister), reached through its vendor's
    adapter; the project does not build one. It answers with the facts `register_fields`
    names for the case's document, keyed as there."""

    def facts_for(self, case: Case) -> Mapping[str, str]: ...


class RegisterConfirmations(Protocol):
    """Register facts a clerk read in the register and confirmed, where no adapter is set up."""

    def confirm(self, facts: RegisterFacts, *, case_reference: str) -> RegisterFacts:
        """Store the clerk's confirmation and audit it, in one transaction."""
        ...

    def latest(self, case_id: int) -> RegisterFacts | None: ...


class DocumentPrinter(Protocol):
    """The counter printer: prints a sealed PDF's pages (the window implements it on Qt)."""

    def print_pdf(
        self, pdf: bytes, *, printer_name: str, copies: int, title: str, mark: str = ""
    ) -> PrintedJob:
        """Raises an Explained error (printer.*) when the printer cannot take the job."""
        ...


@dataclass(frozen=True, slots=True)
class PrintedJob:
    printer: str
    pages: int
    copies: int
