"""The document register on SQLAlchemy: gap-free numbers per year, the sealed bytes, the prints."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import replace

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.orm import Session

from app.domain.audit import AuditEntry
from app.domain.cases import Case, CaseEvent
from app.domain.documents import (
    DocumentKind,
    IssuedDocument,
    MadeDocument,
    PrintRecord,
    format_document_number,
)
from app.domain.errors import NotFound
from app.store.database import Database, utc
from app.store.models import DocumentCounterRow, DocumentPrintRow, DocumentRow
from app.store.repositories import append_audit, lock_audit_head, save_case


class SqlDocumentRegister:
    def __init__(self, database: Database) -> None:
        self._db = database

    def issue(
        self,
        case: Case,
        kind: DocumentKind,
        *,
        by: str,
        at: dt.datetime,
        make: Callable[[str], MadeDocument],
    ) -> IssuedDocument:
        year = at.year
        with self._db.writing() as session:
            lock_audit_head(session)  # one writer at a time also on PostgreSQL
            counter = session.get(DocumentCounterRow, year, with_for_update=True)
            if counter is None:
                counter = DocumentCounterRow(year=year, last_number=0)
                session.add(counter)
            serial = counter.last_number + 1
            number = format_document_number(year, serial)
            made = make(number)
            counter.last_number = serial
            row = DocumentRow(
                number=number,
                year=year,
                serial=serial,
                kind=kind.value,
                case_id=case.id,
                issued_at=utc(at),
                issued_by=by,
                sha256=hashlib.sha256(made.pdf).hexdigest(),
                pages=made.pages,
                pdf=made.pdf,
                seal=made.seal,
            )
            session.add(row)
            session.flush()
            append_audit(
                session, AuditEntry(by, "document.issued", case.reference, number, utc(at))
            )
            return _issued(row, prints=0)

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
