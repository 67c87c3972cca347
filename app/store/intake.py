"""The intake's records and the lease that lets one seat at a time pull from the portal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer

from app.domain.audit import AuditEntry
from app.domain.cases import Case, CaseEvent, CaseStatus, NewAttachment
from app.domain.errors import DomainError
from app.domain.intake import QUARANTINED, SETTLED, IntakeRecord, Lease, SettleReason
from app.domain.new_case import NewCase
from app.domain.payments import PlatformPayment
from app.store.audit import append_audit, case_audit, lock_audit_head
from app.store.case_rows import attachment_values, case_from_row, event_values, insert_case
from app.store.database import Database, server_now, utc
from app.store.models import (
    AttachmentRow,
    CaseEventRow,
    CaseRow,
    IntakeSubmissionRow,
    LeaseRow,
    NoteRow,
    table_of,
)
from app.store.payments import payment_row


def _record(row: IntakeSubmissionRow) -> IntakeRecord:
    return IntakeRecord(
        submission_id=row.submission_id,
        fit_case_id=row.fit_case_id,
        state=row.state,
        case_id=row.case_id,
        problem=row.problem,
        detail=row.detail,
        event_payload=row.event_payload,
        event_sent=row.event_sent,
        received_at=utc(row.received_at),
        service=row.service_name,
        applicant=row.applicant,
    )


def _row(
    record: IntakeRecord, *, case_id: int | None = None, raw: bytes | None
) -> IntakeSubmissionRow:
    return IntakeSubmissionRow(**_values(record, case_id=case_id, raw=raw))


def _values(record: IntakeRecord, *, case_id: int | None, raw: bytes | None) -> dict[str, Any]:
    return {
        "submission_id": record.submission_id,
        "fit_case_id": record.fit_case_id,
        "state": record.state,
        "case_id": case_id,
        "raw": raw,
        "problem": record.problem,
        "detail": record.detail,
        "event_payload": record.event_payload,
        "event_sent": record.event_sent,
        "received_at": utc(record.received_at),
        "service_name": record.service[:200],
        "applicant": record.applicant[:200],
    }


class SqlIntakeStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    def known(self, submission_id: str) -> IntakeRecord | None:
        with self._db.reading() as session:
            row = session.get(IntakeSubmissionRow, submission_id)
            return None if row is None else _record(row)

    def known_ids(self, submission_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        with self._db.reading() as session:
            for start in range(0, len(submission_ids), 500):  # bound the IN list
                chunk = list(submission_ids[start : start + 500])
                found.update(
                    session.scalars(
                        select(IntakeSubmissionRow.submission_id).where(
                            IntakeSubmissionRow.submission_id.in_(chunk)
                        )
                    )
                )
        return found

    def store_case(
        self,
        record: IntakeRecord,
        draft: NewCase,
        event: CaseEvent,
        attachments: Sequence[NewAttachment],
        payment: PlatformPayment | None = None,
    ) -> Case:
        """The case, the intake record and the portal's payment in one transaction: all or
        none (an INITIAL payment is never left without the row that has it asked about)."""
        with self._db.writing() as session:
            case = insert_case(session, draft, event, attachments)
            session.connection().execute(
                insert(table_of(IntakeSubmissionRow)), _values(record, case_id=case.id, raw=None)
            )
            if payment is not None:
                session.add(payment_row(replace(payment, case_id=case.id), at=record.received_at))
            return case

    def quarantine(self, record: IntakeRecord, raw: bytes) -> None:
        with self._db.writing() as session:
            session.add(_row(record, raw=raw))
            append_audit(
                session,
                AuditEntry(
                    "intake",
                    "intake.quarantined",
                    record.submission_id,
                    record.problem,
                    record.received_at,
                ),
            )

    def case_for(self, fit_case_id: str) -> int | None:
        with self._db.reading() as session:
            return session.execute(
                select(IntakeSubmissionRow.case_id)
                .where(IntakeSubmissionRow.fit_case_id == fit_case_id)
                .where(IntakeSubmissionRow.case_id.is_not(None))
                .limit(1)
            ).scalar_one_or_none()

    def store_reply(
        self, record: IntakeRecord, case_id: int, message: str, attachments: Sequence[NewAttachment]
    ) -> Case:
        """Attachments, a note and (if the case waited) the transition, in one transaction."""
        with self._db.writing() as session:
            lock_audit_head(session)
            row = session.get_one(CaseRow, case_id)
            case = case_from_row(row)
            at = record.received_at
            if attachments:
                session.connection().execute(
                    insert(table_of(AttachmentRow)),
                    [attachment_values(case_id, attachment) for attachment in attachments],
                )
            session.add(
                NoteRow(case_id=case_id, author="portal", at=utc(at), text=f"Antwort: {message}")
            )
            if case.status is CaseStatus.WAITING:
                case, event = case.citizen_answered("portal", at, f"{len(attachments)} Anlage(n)")
                row.status, row.version, row.updated_at = (
                    case.status.value,
                    row.version + 1,
                    utc(at),
                )
                session.connection().execute(
                    insert(table_of(CaseEventRow)), event_values(case_id, event)
                )
                append_audit(session, case_audit(case.reference, event))
            session.add(_row(record, case_id=case_id, raw=None))
            session.flush()
            return case_from_row(row)

    def unsent_events(self) -> list[IntakeRecord]:
        with self._db.reading() as session:
            rows = session.execute(
                select(IntakeSubmissionRow).where(IntakeSubmissionRow.event_sent.is_(False))
            ).scalars()
            return [_record(row) for row in rows]

    def mark_events_sent(self, submission_ids: Sequence[str]) -> None:
        with self._db.writing() as session:
            session.execute(
                update(IntakeSubmissionRow)
                .where(IntakeSubmissionRow.submission_id.in_(list(submission_ids)))
                .values(event_sent=True)
            )

    def quarantined(self, *, offset: int, limit: int) -> list[IntakeRecord]:
        with self._db.reading() as session:
            rows = session.execute(
                select(IntakeSubmissionRow)
                .options(defer(IntakeSubmissionRow.raw))  # the list needs no bytes (up to 20 MB)
                .where(IntakeSubmissionRow.state == QUARANTINED)
                .order_by(IntakeSubmissionRow.received_at.desc())
                .offset(offset)
                .limit(limit)
            ).scalars()
            return [_record(row) for row in rows]

    def quarantine_count(self) -> int:
        with self._db.reading() as session:
            return int(
                session.execute(
                    select(func.count())
                    .select_from(IntakeSubmissionRow)
                    .where(IntakeSubmissionRow.state == QUARANTINED)
                ).scalar_one()
            )

    def raw(self, submission_id: str) -> bytes:
        with self._db.reading() as session:
            row = session.get(IntakeSubmissionRow, submission_id)
            return b"" if row is None or row.raw is None else row.raw

    def settle_quarantined(
        self, submission_id: str, *, actor: str, reason: SettleReason, at: dt.datetime
    ) -> None:
        with self._db.writing() as session:
            settled = session.execute(
                update(IntakeSubmissionRow)
                .where(IntakeSubmissionRow.submission_id == submission_id)
                .where(IntakeSubmissionRow.state == QUARANTINED)
                .values(state=SETTLED)
            )
            if settled.rowcount != 1:  # type: ignore[attr-defined]
                raise DomainError("quarantine.not_listed", submission=submission_id)
            append_audit(
                session,
                AuditEntry(actor, "intake.quarantine_settled", submission_id, reason.value, at),
            )

    def acquire_lease(
        self, name: str, holder: str, *, seconds: float, replacing: str = ""
    ) -> Lease:
        """Take or renew the lease on the server's clock: one conditional UPDATE (or the first
        INSERT), then the row as it is, so the answer says who holds it and until when."""
        try:
            with self._db.writing() as session:
                now = server_now(session)
                until = now + dt.timedelta(seconds=seconds)
                free = (LeaseRow.holder == holder) | (LeaseRow.expires_at < now)
                if replacing:
                    free = free | (LeaseRow.holder == replacing)
                taken = session.execute(
                    update(LeaseRow)
                    .where(LeaseRow.name == name)
                    .where(free)
                    .values(holder=holder, expires_at=until)
                )
                if taken.rowcount == 1:  # type: ignore[attr-defined]
                    return Lease(True, holder, until)
                row = session.get(LeaseRow, name)
                if row is not None:
                    return Lease(False, row.holder, utc(row.expires_at))
                session.add(LeaseRow(name=name, holder=holder, expires_at=until))
            return Lease(True, holder, until)
        except IntegrityError:  # another seat created the lease a moment earlier
            return Lease(False, "", dt.datetime.now(dt.UTC))

    def release_lease(self, name: str, holder: str) -> None:
        with self._db.writing() as session:
            session.execute(
                update(LeaseRow)
                .where(LeaseRow.name == name, LeaseRow.holder == holder)
                .values(expires_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
            )
