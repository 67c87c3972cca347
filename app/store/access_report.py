"""Everything the offices hold on one person, for their access report (DSGVO Art. 15): their
cases found by birth date (and, where a case has none yet, by name tokens), each with its
documents, identity checks, notices, box loadings, payments, notes, attachments and who read
it when (the retrieval log). Read in one transaction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.access_report import (
    RETRIEVALS,
    CaseRecord,
    Person,
    Retrieval,
    is_theirs,
    name_parts,
)
from app.domain.case_states import Transition
from app.store.database import Database, utc
from app.store.models import (
    AttachmentRow,
    AuditRecordRow,
    BoxLoadingRow,
    CaseEventRow,
    CaseRow,
    CaseTokenRow,
    DocumentRow,
    NoteRow,
    OfficeRow,
    OutboxMessageRow,
    PlatformPaymentRow,
    TillEntryRow,
)


def _when(value: object) -> str:
    """An instant as ISO text with its zone (SQLite hands them back naive, in UTC)."""
    return utc(value).isoformat() if isinstance(value, dt.datetime) else ""


class SqlAccessReport:
    def __init__(self, database: Database) -> None:
        self._db = database

    def cases_of(self, person: Person) -> list[CaseRecord]:
        with self._db.reading() as session:
            by_birth = select(CaseRow).where(CaseRow.birth_date == person.birth_date)
            tokens = sorted(name_parts(person.family_name))
            undated = (
                select(CaseRow)
                .where(CaseRow.birth_date.is_(None))
                .where(
                    CaseRow.id.in_(
                        select(CaseTokenRow.case_id).where(CaseTokenRow.token.in_(tokens))
                    )
                )
            )
            rows = [
                row
                for query in (by_birth, undated)
                for row in session.execute(query).scalars()
                if is_theirs(person, row.family_name, row.given_names, row.birth_date)
            ]
            offices = {office.id: office.code for office in session.scalars(select(OfficeRow))}
            return [
                self._record(session, row, offices)
                for row in sorted(rows, key=lambda case: case.received_at)
            ]

    def _record(self, session: Session, row: CaseRow, offices: dict[int, str]) -> CaseRecord:
        case = CaseRecord(
            reference=row.reference,
            service=row.service_id,
            channel=row.channel,
            status=row.status,
            office=offices.get(row.office_id, ""),
            received_at=utc(row.received_at),
            family_name=row.family_name,
            given_names=row.given_names,
            birth_date=row.birth_date,
            contact={"email": row.email, "mobile_phone": row.mobile_phone},
            form_data=dict(row.form_data or {}),
        )
        documents = select(DocumentRow).where(DocumentRow.case_id == row.id)
        for document in session.scalars(documents):
            case.documents.append(
                {
                    "number": document.number,
                    "kind": document.kind,
                    "issued_at": _when(document.issued_at),
                    "pages": str(document.pages),
                }
            )
        for event in session.scalars(
            select(CaseEventRow)
            .where(CaseEventRow.case_id == row.id)
            .where(CaseEventRow.action == Transition.VERIFY_IDENTITY.value)
        ):
            case.identity_checks.append(
                {"at": _when(event.at), "by": event.actor, "check": event.reason}
            )
        for message in session.scalars(
            select(OutboxMessageRow).where(OutboxMessageRow.case_id == row.id)
        ):
            case.notices.append(
                {
                    "channel": message.channel,
                    "to": message.recipient,
                    "subject": message.subject,
                    "state": message.state,
                    "written_at": _when(message.created_at),
                    "sent_at": _when(message.sent_at),
                }
            )
        for loading in session.scalars(
            select(BoxLoadingRow).where(BoxLoadingRow.case_id == row.id)
        ):
            case.box_loadings.append(
                {
                    "office": loading.office_code,
                    "compartment": loading.compartment,
                    "state": loading.state,
                    "loaded_at": _when(loading.loaded_at),
                    "ended_at": _when(loading.ended_at),
                }
            )
        for payment in session.scalars(
            select(PlatformPaymentRow).where(PlatformPaymentRow.case_id == row.id)
        ):
            case.payments.append(
                {
                    "kind": f"online ({payment.source})",
                    "status": payment.status,
                    "amount_cents": str(payment.amount_cents or ""),
                    "reference": payment.reference,
                }
            )
        till = select(TillEntryRow).where(TillEntryRow.case_id == row.id)
        for entry in session.scalars(till):
            case.payments.append(
                {
                    "kind": f"counter ({entry.method})",
                    "status": "cancelled" if entry.cancels else "booked",
                    "amount_cents": str(entry.amount_cents),
                    "reference": entry.receipt,
                }
            )
        notes = select(NoteRow).where(NoteRow.case_id == row.id)
        for note in session.scalars(notes):
            case.notes.append({"at": _when(note.at), "by": note.author, "text": note.text})
        for attachment in session.execute(
            select(AttachmentRow.filename, AttachmentRow.media_type, AttachmentRow.size).where(
                AttachmentRow.case_id == row.id
            )
        ):
            case.attachments.append(
                {
                    "file": attachment.filename,
                    "type": attachment.media_type,
                    "bytes": str(attachment.size),
                }
            )
        for record in session.scalars(
            select(AuditRecordRow)
            .where(AuditRecordRow.subject == row.reference)
            .where(AuditRecordRow.action.in_(sorted(RETRIEVALS)))
            .order_by(AuditRecordRow.seq)
        ):
            case.retrievals.append(Retrieval(record.actor, record.action, utc(record.at)))
        return case


class SqlRetrievalLog:
    """The retrieval log for the data-protection officer: which cases one member of staff
    opened in a period (entries only: no counts, no rates, nothing to measure anyone by)."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def by_clerk(
        self, login: str, first: dt.datetime, last: dt.datetime
    ) -> list[tuple[dt.datetime, str, str]]:
        with self._db.reading() as session:
            rows = session.execute(
                select(AuditRecordRow.at, AuditRecordRow.action, AuditRecordRow.subject)
                .where(AuditRecordRow.actor == login)
                .where(AuditRecordRow.action.in_(sorted(RETRIEVALS)))
                .where(AuditRecordRow.at >= first)
                .where(AuditRecordRow.at < last)
                .order_by(AuditRecordRow.seq)
            )
            return [(utc(row.at), row.action, row.subject) for row in rows]
