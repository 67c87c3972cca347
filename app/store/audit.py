"""The audit log on SQLAlchemy: a hash chain appended in the writer's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from app.domain.audit import AuditEntry, AuditRecord, seal, verify_chain
from app.domain.cases import (
    CaseEvent,
)
from app.domain.identity import IdentityCheck
from app.store.database import Database, utc
from app.store.models import (
    AuditHeadRow,
    AuditRecordRow,
    table_of,
)

# --- audit chain -------------------------------------------------------------------------------


def lock_audit_head(session: Session) -> AuditHeadRow:
    """The chain's tip, locked until the transaction ends (SQLite: by BEGIN IMMEDIATE)."""
    head = session.execute(
        select(AuditHeadRow).where(AuditHeadRow.id == 1).with_for_update()
    ).scalar_one()
    return head


_HEAD = (
    select(AuditHeadRow.last_seq, AuditHeadRow.last_hash)
    .where(AuditHeadRow.id == 1)
    .with_for_update()
)
_MOVE_HEAD = (
    update(table_of(AuditHeadRow))
    .where(table_of(AuditHeadRow).c.id == 1)
    .values(last_seq=bindparam("seq"), last_hash=bindparam("hash"))
)


def lock_audit_chain(session: Session) -> None:
    """`lock_audit_head` for a writer that needs the lock, not the row."""
    session.execute(_HEAD)


def append_audit(session: Session, entry: AuditEntry) -> None:
    """Seal `entry` onto the chain inside the caller's transaction. Core statements, not ORM
    objects: every stored change writes one, and the unit of work cost more than the SQL."""
    head = session.execute(_HEAD).one()
    entry = AuditEntry(entry.actor, entry.action, entry.subject, entry.detail, utc(entry.at))
    record = seal(head.last_seq + 1, entry, head.last_hash)
    connection = session.connection()
    connection.execute(insert(table_of(AuditRecordRow)), audit_values(record))
    connection.execute(_MOVE_HEAD, {"seq": record.seq, "hash": record.hash})


def append_audit_many(session: Session, entries: list[AuditEntry]) -> None:
    """`append_audit` for many entries in one go: the head read and moved once (a merge
    carries thousands)."""
    if not entries:
        return
    head = session.execute(_HEAD).one()
    seq, previous, values = head.last_seq, head.last_hash, []
    for entry in entries:
        seq += 1
        fixed = AuditEntry(entry.actor, entry.action, entry.subject, entry.detail, utc(entry.at))
        record = seal(seq, fixed, previous)
        values.append(audit_values(record))
        previous = record.hash
    connection = session.connection()
    connection.execute(insert(table_of(AuditRecordRow)), values)
    connection.execute(_MOVE_HEAD, {"seq": seq, "hash": previous})


def prune_audit(session: Session, before: dt.datetime, *, dry_run: bool = False) -> tuple[int, int]:
    """Delete the chain's oldest records, all made before `before` (the chain's prefix up to
    the first record made later), and record where the chain now starts: the last deleted
    record's number and hash, which the first kept record links to. Under the head's lock;
    returns the first and last number deleted ((0, 0): none; `dry_run`: would be)."""
    head = session.execute(
        select(AuditHeadRow.last_seq, AuditHeadRow.pruned_seq)
        .where(AuditHeadRow.id == 1)
        .with_for_update()
    ).one()
    first_kept = session.scalar(
        select(func.min(AuditRecordRow.seq)).where(AuditRecordRow.at >= utc(before))
    )
    last = head.last_seq if first_kept is None else first_kept - 1
    if last <= head.pruned_seq:
        return 0, 0
    if dry_run:
        return head.pruned_seq + 1, last
    last_hash = session.scalar(select(AuditRecordRow.hash).where(AuditRecordRow.seq == last))
    connection = session.connection()
    connection.execute(
        delete(table_of(AuditRecordRow)).where(table_of(AuditRecordRow).c.seq <= last)
    )
    connection.execute(
        update(table_of(AuditHeadRow))
        .where(table_of(AuditHeadRow).c.id == 1)
        .values(pruned_seq=last, pruned_hash=last_hash)
    )
    return head.pruned_seq + 1, last


def audit_values(record: AuditRecord) -> dict[str, Any]:
    """A sealed record as the row's values (for Core inserts, one or many)."""
    entry = record.entry
    return {
        "seq": record.seq,
        "at": entry.at,
        "actor": entry.actor,
        "action": entry.action,
        "subject": entry.subject,
        "detail": entry.detail,
        "prev_hash": record.prev_hash,
        "hash": record.hash,
    }


def case_audit(case_reference: str, event: CaseEvent) -> AuditEntry:
    """The event's record: its state change, never its free-text reason (which may name the
    person); an identity check taken over names the case it came from."""
    change = f"{event.from_status or '-'}→{event.to_status or '-'}"
    check = IdentityCheck.from_reason(event.reason) if event.action == "verify_identity" else None
    if check is not None and check.taken_over_from:
        change += f" taken over from {check.taken_over_from}"
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
            yield from _records(session)

    def head(self) -> tuple[int, str]:
        with self._db.reading() as session:
            row = session.execute(
                select(AuditHeadRow.last_seq, AuditHeadRow.last_hash).where(AuditHeadRow.id == 1)
            ).one()
            return int(row.last_seq), str(row.last_hash)

    def record(self, seq: int) -> AuditRecord | None:
        with self._db.reading() as session:
            found = list(_records(session, only=seq))
            return found[0] if found else None

    def pruned(self) -> tuple[int, str]:
        """The last record retention deleted (0 and the genesis hash: none)."""
        with self._db.reading() as session:
            row = session.execute(
                select(AuditHeadRow.pruned_seq, AuditHeadRow.pruned_hash).where(
                    AuditHeadRow.id == 1
                )
            ).one()
            return int(row.pruned_seq), str(row.pruned_hash)

    def verify(self) -> list[str]:
        """The chain and its head as of one moment: clerks append while this reads, and a
        head read before (or records read after) their appends would look like tampering."""
        with self._db.snapshot() as session:
            head = session.execute(select(AuditHeadRow).where(AuditHeadRow.id == 1)).scalar_one()
            return verify_chain(
                _records(session, up_to=head.last_seq),
                head_seq=head.last_seq,
                head_hash=head.last_hash,
                start_seq=head.pruned_seq,
                start_hash=head.pruned_hash,
            )


def _records(
    session: Session, *, up_to: int | None = None, only: int | None = None
) -> Iterator[AuditRecord]:
    """In sequence order; with `up_to`, none after it (appended since the head was read)."""
    statement = select(AuditRecordRow).order_by(AuditRecordRow.seq)
    if up_to is not None:
        statement = statement.where(AuditRecordRow.seq <= up_to)
    if only is not None:
        statement = statement.where(AuditRecordRow.seq == only)
    rows = session.execute(statement.execution_options(yield_per=5000)).scalars()
    for row in rows:
        yield AuditRecord(
            row.seq,
            AuditEntry(row.actor, row.action, row.subject, row.detail, utc(row.at)),
            row.prev_hash,
            row.hash,
        )


# --- users and offices -------------------------------------------------------------------------
