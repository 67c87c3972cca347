"""The audit log on SQLAlchemy: a hash chain appended in the writer's transaction."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import (
    select,
)
from sqlalchemy.orm import Session

from app.domain.audit import AuditEntry, AuditRecord, seal, verify_chain
from app.domain.cases import (
    CaseEvent,
)
from app.store.database import Database, utc
from app.store.models import (
    AuditHeadRow,
    AuditRecordRow,
)

# --- audit chain -------------------------------------------------------------------------------


def lock_audit_head(session: Session) -> AuditHeadRow:
    """The chain's tip, locked until the transaction ends (SQLite: by BEGIN IMMEDIATE)."""
    head = session.execute(
        select(AuditHeadRow).where(AuditHeadRow.id == 1).with_for_update()
    ).scalar_one()
    return head


def append_audit(session: Session, entry: AuditEntry) -> None:
    head = lock_audit_head(session)
    entry = AuditEntry(entry.actor, entry.action, entry.subject, entry.detail, utc(entry.at))
    record = seal(head.last_seq + 1, entry, head.last_hash)
    session.add(_audit_row(record))
    head.last_seq, head.last_hash = record.seq, record.hash


def _audit_row(record: AuditRecord) -> AuditRecordRow:
    entry = record.entry
    return AuditRecordRow(
        seq=record.seq,
        at=entry.at,
        actor=entry.actor,
        action=entry.action,
        subject=entry.subject,
        detail=entry.detail,
        prev_hash=record.prev_hash,
        hash=record.hash,
    )


def case_audit(case_reference: str, event: CaseEvent) -> AuditEntry:
    change = f"{event.from_status or '-'}→{event.to_status or '-'}"
    return AuditEntry(event.actor, f"case.{event.action}", case_reference, change, event.at)


class SqlAuditLog:
    """The audit chain in the database."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def append(self, entry: AuditEntry) -> None:
        with self._db.writing() as session:
            append_audit(session, entry)

    def records(self) -> Iterator[AuditRecord]:
        with self._db.reading() as session:
            rows = session.execute(
                select(AuditRecordRow)
                .order_by(AuditRecordRow.seq)
                .execution_options(yield_per=5000)
            ).scalars()
            for row in rows:
                yield AuditRecord(
                    row.seq,
                    AuditEntry(row.actor, row.action, row.subject, row.detail, utc(row.at)),
                    row.prev_hash,
                    row.hash,
                )

    def verify(self) -> list[str]:
        with self._db.reading() as session:
            head = session.get_one(AuditHeadRow, 1)
            head_seq, head_hash = head.last_seq, head.last_hash
        return verify_chain(self.records(), head_seq=head_seq, head_hash=head_hash)


# --- users and offices -------------------------------------------------------------------------
