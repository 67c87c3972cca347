"""The document register on SQLAlchemy: gap-free numbers per year, the sealed bytes, the prints."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.orm import Session

from app.domain.audit import AuditEntry
from app.domain.cases import Case, CaseEvent
from app.domain.documents import (
    DocumentKind,
    IssuedDocument,
    MadeDocument,
    NumberState,
    PrintRecord,
    RegisterEntry,
    Reservation,
    format_document_number,
)
from app.domain.errors import NotFound
from app.domain.outage import Series
from app.store.audit import append_audit, lock_audit_head
from app.store.case_rows import save_case
from app.store.counters import within_blocks
from app.store.database import Database, utc
from app.store.models import (
    CaseRow,
    DocumentCounterRow,
    DocumentNumberRow,
    DocumentPrintRow,
    DocumentRow,
)

STALE_REASON = "Sitzung beendet, bevor das Original gesiegelt war"


class SqlDocumentRegister:
    def __init__(self, database: Database) -> None:
        self._db = database

    def reserve(self, case: Case, kind: DocumentKind, *, by: str, at: dt.datetime) -> Reservation:
        """Take the year's next number for the case, in one short transaction."""
        year = at.year
        with self._db.writing() as session:
            lock_audit_head(session)  # one writer at a time also on PostgreSQL
            counter = session.get(DocumentCounterRow, year, with_for_update=True)
            if counter is None:
                counter = DocumentCounterRow(year=year, last_number=0)
                session.add(counter)
            counter.last_number = within_blocks(
                session, Series.DOCUMENT, None, year, counter.last_number + 1
            )
            row = DocumentNumberRow(
                number=format_document_number(year, counter.last_number),
                year=year,
                serial=counter.last_number,
                kind=kind.value,
                case_id=case.id,
                state=NumberState.RESERVED.value,
                reserved_at=utc(at),
                reserved_by=by,
                void_reason="",
            )
            session.add(row)
            session.flush()
            append_audit(
                session, AuditEntry(by, "document.reserved", case.reference, row.number, utc(at))
            )
            return _reservation(row)

    def record(self, reservation: Reservation, made: MadeDocument, *, by: str) -> IssuedDocument:
        """Store the sealed original under its reserved number; NotFound if the reservation
        was voided meanwhile (the seat was taken for dead)."""
        with self._db.writing() as session:
            lock_audit_head(session)
            number = self._reserved(session, reservation.id)
            case_reference = self._case_reference(session, reservation.case_id)
            row = DocumentRow(
                number=number.number,
                year=number.year,
                serial=number.serial,
                kind=number.kind,
                case_id=number.case_id,
                issued_at=number.reserved_at,
                issued_by=by,
                sha256=hashlib.sha256(made.pdf).hexdigest(),
                pages=made.pages,
                pdf=made.pdf,
                seal=made.seal,
                timestamp_pending=made.timestamp_pending,
            )
            session.add(row)
            number.state = NumberState.ISSUED.value
            session.flush()
            append_audit(
                session,
                AuditEntry(
                    by, "document.issued", case_reference, number.number, utc(number.reserved_at)
                ),
            )
            return _issued(row, prints=0)

    def void(self, reservation: Reservation, *, reason: str, by: str, at: dt.datetime) -> None:
        """The number is spoiled: recorded with the reason, never given out again."""
        with self._db.writing() as session:
            lock_audit_head(session)
            number = self._reserved(session, reservation.id)
            self._void(session, number, reason=reason, by=by, at=at)

    def void_stale(self, *, reserved_before: dt.datetime, by: str, at: dt.datetime) -> int:
        """Void reservations left by a seat that ended while sealing; returns how many."""
        with self._db.writing() as session:
            lock_audit_head(session)
            stale = session.execute(
                select(DocumentNumberRow)
                .where(
                    DocumentNumberRow.state == NumberState.RESERVED.value,
                    DocumentNumberRow.reserved_at < utc(reserved_before),
                )
                .order_by(DocumentNumberRow.id)
            ).scalars()
            count = 0
            for number in stale:
                self._void(session, number, reason=STALE_REASON, by=by, at=at)
                count += 1
            return count

    def entries(self, year: int) -> list[RegisterEntry]:
        with self._db.reading() as session:
            rows = session.execute(
                select(DocumentNumberRow)
                .where(DocumentNumberRow.year == year)
                .order_by(DocumentNumberRow.serial)
            ).scalars()
            return [
                RegisterEntry(
                    number=row.number,
                    kind=DocumentKind(row.kind),
                    case_id=row.case_id,
                    state=NumberState(row.state),
                    reserved_at=utc(row.reserved_at),
                    reserved_by=row.reserved_by,
                    void_reason=row.void_reason,
                )
                for row in rows
            ]

    @staticmethod
    def _reserved(session: Session, reservation_id: int) -> DocumentNumberRow:
        number = session.get(DocumentNumberRow, reservation_id, with_for_update=True)
        if number is None or number.state != NumberState.RESERVED.value:
            raise NotFound("document.reservation_gone", reservation_id=reservation_id)
        return number

    @staticmethod
    def _case_reference(session: Session, case_id: int) -> str:
        return session.execute(select(CaseRow.reference).where(CaseRow.id == case_id)).scalar_one()

    def _void(
        self, session: Session, number: DocumentNumberRow, *, reason: str, by: str, at: dt.datetime
    ) -> None:
        number.state = NumberState.VOID.value
        number.void_reason = reason[:500]
        append_audit(
            session,
            AuditEntry(
                by,
                "document.voided",
                self._case_reference(session, number.case_id),
                f"{number.number}: {reason[:200]}",
                utc(at),
            ),
        )

    def for_case(self, case_id: int) -> list[IssuedDocument]:
        with self._db.reading() as session:
            rows = session.execute(
                select(DocumentRow, _print_count())
                .where(DocumentRow.case_id == case_id)
                .order_by(DocumentRow.id)
            ).all()
            return [_issued(row, prints=count) for row, count in rows]

    def get(self, document_id: int) -> IssuedDocument:
        with self._db.reading() as session:
            return self._get(session, document_id)

    @staticmethod
    def _get(session: Session, document_id: int) -> IssuedDocument:
        found = session.execute(
            select(DocumentRow, _print_count()).where(DocumentRow.id == document_id)
        ).first()
        if found is None:
            raise NotFound("document.not_found", document_id=document_id)
        row, count = found
        return _issued(row, prints=count)

    def pdf(self, document_id: int) -> bytes:
        with self._db.reading() as session:
            content = session.execute(
                select(DocumentRow.pdf).where(DocumentRow.id == document_id)
            ).scalar_one_or_none()
            if content is None:
                raise NotFound("document.not_found", document_id=document_id)
            return content

    def record_print(
        self, record: PrintRecord, transition: tuple[Case, CaseEvent, int] | None
    ) -> PrintRecord:
        with self._db.writing() as session:
            document = session.get(DocumentRow, record.document_id)
            if document is None:
                raise NotFound("document.not_found", document_id=record.document_id)
            earlier = session.execute(
                select(func.count())
                .select_from(DocumentPrintRow)
                .where(DocumentPrintRow.document_id == record.document_id)
            ).scalar_one()
            stored = replace(record, reprint=earlier > 0)
            session.add(
                DocumentPrintRow(
                    document_id=stored.document_id,
                    printed_at=utc(stored.at),
                    printed_by=stored.by,
                    printer=stored.printer,
                    pages=stored.pages,
                    copies=stored.copies,
                    reprint=stored.reprint,
                )
            )
            if transition is not None:
                case, event, expected_version = transition
                save_case(session, case, event, expected_version=expected_version)
            append_audit(
                session,
                AuditEntry(
                    stored.by,
                    "document.reprinted" if stored.reprint else "document.printed",
                    document.number,
                    f"{stored.copies}x{stored.pages}",
                    utc(stored.at),
                ),
            )
            return stored

    def prints(self, document_id: int) -> list[PrintRecord]:
        with self._db.reading() as session:
            rows = session.execute(
                select(DocumentPrintRow)
                .where(DocumentPrintRow.document_id == document_id)
                .order_by(DocumentPrintRow.id)
            ).scalars()
            return [
                PrintRecord(
                    document_id=row.document_id,
                    printer=row.printer,
                    at=utc(row.printed_at),
                    by=row.printed_by,
                    pages=row.pages,
                    copies=row.copies,
                    reprint=row.reprint,
                )
                for row in rows
            ]

    def awaiting_timestamp(self, *, limit: int) -> list[tuple[int, str, bytes]]:
        with self._db.reading() as session:
            rows = session.execute(
                select(DocumentRow.id, DocumentRow.number, DocumentRow.pdf)
                .where(DocumentRow.timestamp_pending.is_(True))
                .order_by(DocumentRow.id)
                .limit(limit)
            ).all()
            return [(row.id, row.number, bytes(row.pdf)) for row in rows]

    def add_timestamp(self, document_id: int, pdf: bytes, *, by: str, at: dt.datetime) -> None:
        with self._db.writing() as session:
            row = session.get(DocumentRow, document_id)
            if row is None or not row.timestamp_pending:
                return  # another seat added it first
            row.pdf, row.sha256 = pdf, hashlib.sha256(pdf).hexdigest()
            row.timestamp_pending = False
            reference = self._case_reference(session, row.case_id)
            append_audit(session, AuditEntry(by, "document.timestamped", reference, row.number, at))


def _print_count() -> ScalarSelect[int]:
    return (
        select(func.count())
        .select_from(DocumentPrintRow)
        .where(DocumentPrintRow.document_id == DocumentRow.id)
        .scalar_subquery()
    )


def _issued(row: DocumentRow, *, prints: int) -> IssuedDocument:
    return IssuedDocument(
        id=row.id,
        number=row.number,
        kind=DocumentKind(row.kind),
        case_id=row.case_id,
        issued_at=utc(row.issued_at),
        issued_by=row.issued_by,
        sha256=row.sha256,
        pages=row.pages,
        prints=prints,
    )


def _reservation(row: DocumentNumberRow) -> Reservation:
    return Reservation(
        id=row.id,
        number=row.number,
        kind=DocumentKind(row.kind),
        case_id=row.case_id,
        reserved_at=utc(row.reserved_at),
        reserved_by=row.reserved_by,
    )
