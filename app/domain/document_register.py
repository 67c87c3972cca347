"""The document register's records: a reservation of the year's next number, an issued
original, a void number, a print."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from app.domain.document_kinds import DocumentKind


@dataclass(frozen=True, slots=True)
class MadeDocument:
    """A generated, sealed original."""

    pdf: bytes
    pages: int
    seal: bytes  # the printed seal: its symbols' Visible Digital Seals one after another
    timestamp_pending: bool = False  # sealed B-B: the TSA did not answer; added later


class NumberState(StrEnum):
    RESERVED = "reserved"  # allocated, the original is being sealed
    ISSUED = "issued"
    VOID = "void"  # sealing failed or the seat ended first: the number is spoiled, never reused


@dataclass(frozen=True, slots=True)
class Reservation:
    """A document number taken for a case before its original is sealed. Sealing happens
    outside the database transaction (an HSM or a TSA may be slow), so every number is first
    reserved, then either issued or voided with the reason: none goes missing."""

    id: int
    number: str
    kind: DocumentKind
    case_id: int
    reserved_at: dt.datetime
    reserved_by: str


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    """One line of the year's document register: every number, whatever became of it."""

    number: str
    kind: DocumentKind
    case_id: int
    state: NumberState
    reserved_at: dt.datetime
    reserved_by: str
    void_reason: str = ""


@dataclass(frozen=True, slots=True)
class IssuedDocument:
    id: int
    number: str
    kind: DocumentKind
    case_id: int
    issued_at: dt.datetime
    issued_by: str
    sha256: str
    pages: int
    prints: int = 0


@dataclass(frozen=True, slots=True)
class PrintRecord:
    document_id: int
    printer: str
    at: dt.datetime
    by: str
    pages: int
    copies: int
    reprint: bool

    def describe(self) -> str:
        kind = "Nachdruck" if self.reprint else "Druck"
        return f"{kind} auf {self.printer}: {self.pages} Seite(n), {self.copies} Exemplar(e)"
