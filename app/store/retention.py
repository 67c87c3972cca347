"""Deleting what is past its period (`app.domain.retention`), in batches, on both engines.

A finished case keeps its row (service, office, channel, dates, status, fee: the figures of
past years stay as they were) and loses, kind by kind as each period runs out: its attachments;
how its identity was checked; the stored copies of its originals (the register keeps number,
kind and date); and last its personal data (names, birth date, contact, form, notes, the
register's facts, the texts of its events and notices, its search words but the reference).
Its summary row for the figures (`case_facts`: service, office, channel, days) stays.
Each deletion is an audit record naming the case's reference and the kind, in the batch's
transaction. A case under legal hold keeps everything. Settled quarantined submissions lose
their raw bytes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import ColumnElement, delete, exists, func, select, update
from sqlalchemy.orm import Session

from app.domain.audit import AuditEntry
from app.domain.case_states import Transition
from app.domain.inbox import search_tokens
from app.domain.intake import SETTLED
from app.domain.retention import FINISHED, DataKind, RetentionResult, RetentionRules
from app.store.audit import append_audit_many, prune_audit
from app.store.database import Database, utc
from app.store.models import (
    AttachmentRow,
    AuditRecordRow,
    CaseEventRow,
    CaseRow,
    CaseTokenRow,
    DocumentRow,
    IntakeSubmissionRow,
    NoteRow,
    OutboxMessageRow,
    RegisterFactsRow,
)

BATCH = 500
RUN_ACTION, RUN_SUBJECT = "retention.run", "retention"
CASE_KINDS = (
    DataKind.ATTACHMENTS,
    DataKind.IDENTITY_CHECKS,
    DataKind.ORIGINALS,
    DataKind.APPLICATION_DATA,
)


def _still_held(kind: DataKind) -> ColumnElement[bool]:
    """The case still holds data of `kind`."""
    if kind is DataKind.ATTACHMENTS:
        return exists().where(AttachmentRow.case_id == CaseRow.id)
    if kind is DataKind.IDENTITY_CHECKS:
        return exists().where(
            (CaseEventRow.case_id == CaseRow.id)
            & (CaseEventRow.action == Transition.VERIFY_IDENTITY.value)
            & (CaseEventRow.reason != "")
        )
    if kind is DataKind.ORIGINALS:
        return exists().where(
            (DocumentRow.case_id == CaseRow.id) & (func.length(DocumentRow.pdf) > 0)
        )
    return CaseRow.anonymised_at.is_(None)


class SqlRetention:
    def __init__(self, database: Database, rules: RetentionRules, services: Sequence[str]) -> None:
        self._db, self.rules, self.services = database, rules, list(services)

    def _due(self, session: Session, kind: DataKind, now: dt.datetime) -> list[tuple[int, str]]:
        """The cases whose `kind` of data is due: one query for every service on the kind's
        own period (a service the catalogue no longer offers among them), one for each
        service with a period of its own."""
        own = sorted(s for s in self.services if kind in self.rules.by_service.get(s, {}))
        groups: list[tuple[ColumnElement[bool], str]] = [
            (CaseRow.service_id.not_in(own), ""),
            *((CaseRow.service_id == service, service) for service in own),
        ]
        found: list[tuple[int, str]] = []
        for of_group, service in groups:
            rows = session.execute(
                select(CaseRow.id, CaseRow.reference)
                .where(of_group)
                .where(CaseRow.status.in_(sorted(FINISHED)))
                .where(CaseRow.legal_hold == "")
                .where(CaseRow.updated_at < self.rules.due_before(kind, service, now))
                .where(_still_held(kind))
                .order_by(CaseRow.id)
            )
            found.extend((row.id, row.reference) for row in rows)
        return found

    def run(self, now: dt.datetime, *, actor: str, dry_run: bool = False) -> RetentionResult:
        result = RetentionResult()
        for kind in CASE_KINDS:
            with self._db.reading() as session:
                due = self._due(session, kind, now)
            result.cases[kind] = [reference for _, reference in due]
            if dry_run:
                continue
            for start in range(0, len(due), BATCH):
                batch = due[start : start + BATCH]
                with self._db.writing() as session:
                    _delete(session, kind, [case_id for case_id, _ in batch], now)
                    append_audit_many(
                        session,
                        [
                            AuditEntry(actor, "retention.deleted", reference, kind.value, now)
                            for _, reference in batch
                        ],
                    )
        result.quarantine_raw = self._quarantine_raw(now, actor=actor, dry_run=dry_run)
        result.audit_records = self._audit_records(now, actor=actor, dry_run=dry_run)
        if not dry_run:  # the day's run, for the next seat's `last_run` (counts, no one's data)
            with self._db.writing() as session:
                entry = AuditEntry(actor, RUN_ACTION, RUN_SUBJECT, result.summary(), now)
                append_audit_many(session, [entry])
        return result

    def last_run(self) -> dt.datetime | None:
        with self._db.reading() as session:
            last = session.scalar(
                select(func.max(AuditRecordRow.at))
                .where(AuditRecordRow.subject == RUN_SUBJECT)
                .where(AuditRecordRow.action == RUN_ACTION)
            )
        return utc(last) if last is not None else None

    def _audit_records(self, now: dt.datetime, *, actor: str, dry_run: bool) -> int:
        """The chain's records older than their period go, from its start; the pruning is
        itself a record, and the chain verifies from where it now starts."""
        cutoff = self.rules.due_before(DataKind.AUDIT_RECORDS, "", now)
        with self._db.writing() as session:
            first, last = prune_audit(session, cutoff, dry_run=dry_run)
            if not last or dry_run:
                return last - first + 1 if last else 0
            detail = f"records {first}-{last}, made before {cutoff.date().isoformat()}"
            append_audit_many(
                session, [AuditEntry(actor, "retention.audit_pruned", "audit", detail, now)]
            )
            return last - first + 1

    def _quarantine_raw(self, now: dt.datetime, *, actor: str, dry_run: bool) -> int:
        cutoff = self.rules.due_before(DataKind.QUARANTINE_RAW, "", now)
        due = (
            (IntakeSubmissionRow.state == SETTLED)
            & IntakeSubmissionRow.raw.is_not(None)
            & (IntakeSubmissionRow.received_at < cutoff)
        )
        with self._db.writing() as session:
            ids = list(session.scalars(select(IntakeSubmissionRow.submission_id).where(due)))
            if ids and not dry_run:
                session.execute(
                    update(IntakeSubmissionRow)
                    .where(IntakeSubmissionRow.submission_id.in_(ids))
                    .values(raw=None, applicant="")
                )
                append_audit_many(
                    session,
                    [
                        AuditEntry(actor, "retention.deleted", sid, "quarantine_raw", now)
                        for sid in ids
                    ],
                )
        return len(ids)

    def hold(self, reference: str, reason: str, *, actor: str, at: dt.datetime) -> bool:
        """Keep (reason given) or release (reason "") a case's data; False: no such case."""
        with self._db.writing() as session:
            changed = session.execute(
                update(CaseRow).where(CaseRow.reference == reference).values(legal_hold=reason)
            )
            if changed.rowcount != 1:  # type: ignore[attr-defined]
                return False
            action = "retention.hold" if reason else "retention.released"
            append_audit_many(session, [AuditEntry(actor, action, reference, reason, at)])
            return True


def _delete(session: Session, kind: DataKind, case_ids: list[int], now: dt.datetime) -> None:
    if kind is DataKind.ATTACHMENTS:
        session.execute(delete(AttachmentRow).where(AttachmentRow.case_id.in_(case_ids)))
    elif kind is DataKind.IDENTITY_CHECKS:
        session.execute(
            update(CaseEventRow)
            .where(CaseEventRow.case_id.in_(case_ids))
            .where(CaseEventRow.action == Transition.VERIFY_IDENTITY.value)
            .values(reason="")
        )
    elif kind is DataKind.ORIGINALS:
        session.execute(
            update(DocumentRow).where(DocumentRow.case_id.in_(case_ids)).values(pdf=b"", seal=b"")
        )
    else:
        _anonymise(session, case_ids, now)


def _anonymise(session: Session, case_ids: list[int], now: dt.datetime) -> None:
    references = {
        row.id: row.reference
        for row in session.execute(
            select(CaseRow.id, CaseRow.reference).where(CaseRow.id.in_(case_ids))
        )
    }
    session.execute(
        update(CaseRow)
        .where(CaseRow.id.in_(case_ids))
        .values(
            family_name="",
            given_names="",
            birth_date=None,
            email="",
            mobile_phone="",
            form_data={},
            decision_reason="",
            anonymised_at=now,
        )
    )
    for model in (
        NoteRow,
        RegisterFactsRow,
        CaseTokenRow,
    ):  # case_facts: the figures, no one's data
        session.execute(delete(model).where(model.case_id.in_(case_ids)))
    session.add_all(
        CaseTokenRow(token=token, case_id=case_id)
        for case_id, reference in references.items()
        for token in search_tokens(reference, "", "")
    )
    session.execute(
        update(CaseEventRow).where(CaseEventRow.case_id.in_(case_ids)).values(reason="")
    )
    session.execute(
        update(OutboxMessageRow)
        .where(OutboxMessageRow.case_id.in_(case_ids))
        .values(recipient="", subject="", body="")
    )
    session.execute(
        update(IntakeSubmissionRow)
        .where(IntakeSubmissionRow.case_id.in_(case_ids))
        .values(raw=None, applicant="")
    )
