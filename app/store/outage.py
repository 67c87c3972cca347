"""Number blocks and merge conflicts in the central database (app.ports.outage)."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain.audit import AuditEntry
from app.domain.errors import NotFound
from app.domain.outage import Conflict, ConflictKind, NumberBlock, Series
from app.store.audit import append_audit, lock_audit_chain
from app.store.counters import block_of
from app.store.database import Database, utc
from app.store.models import (
    DocumentCounterRow,
    MergeConflictRow,
    NumberBlockRow,
    ReceiptCounterRow,
    ReferenceCounterRow,
)


def _take(session: Session, series: Series, office_id: int | None, year: int, size: int) -> int:
    """Advance the series' central counter by `size`; the first number of what it skipped."""
    if series is Series.DOCUMENT:
        counter = session.get(DocumentCounterRow, year, with_for_update=True)
        if counter is None:
            counter = DocumentCounterRow(year=year, last_number=0)
            session.add(counter)
        first = counter.last_number + 1
        counter.last_number += size
        session.flush()
        return first
    assert office_id is not None
    row: ReferenceCounterRow | ReceiptCounterRow | None
    if series is Series.CASE:
        row = session.get(ReferenceCounterRow, (office_id, year), with_for_update=True)
        if row is None:
            row = ReferenceCounterRow(office_id=office_id, year=year, last_number=0)
    else:
        row = session.get(ReceiptCounterRow, (office_id, year), with_for_update=True)
        if row is None:
            row = ReceiptCounterRow(office_id=office_id, year=year, last_number=0)
    session.add(row)
    first = int(row.last_number) + 1
    row.last_number = first - 1 + size
    session.flush()
    return first


class SqlNumberBlocks:
    def __init__(self, database: Database) -> None:
        self._db = database

    def reserve(
        self,
        *,
        seat: str,
        series: Series,
        office_id: int | None,
        year: int,
        size: int,
        by: str,
        at: dt.datetime,
    ) -> NumberBlock:
        """The series' next `size` numbers, for `seat` alone (the central counter moves past
        them at once: no other seat and no online work takes them)."""
        with self._db.writing() as session:
            lock_audit_chain(session)  # the order every numbering writer takes its locks in
            first = _take(session, series, office_id, year, size)
            row = NumberBlockRow(
                series=series.value,
                office_id=office_id,
                year=year,
                first=first,
                last=first + size - 1,
                seat=seat,
                here=False,
                reserved_at=at,
                reserved_by=by,
            )
            session.add(row)
            session.flush()
            block = block_of(row)
            detail = f"{series.value} {year} {block.first}-{block.last}"
            append_audit(session, AuditEntry(by, "outage.block_reserved", seat, detail, at))
            return block

    def blocks(self, seat: str | None = None) -> list[NumberBlock]:
        with self._db.reading() as session:
            statement = select(NumberBlockRow).order_by(NumberBlockRow.id)
            if seat is not None:
                statement = statement.where(NumberBlockRow.seat == seat)
            return [block_of(row) for row in session.scalars(statement)]

    def conflicts(self, *, open_only: bool = True) -> list[Conflict]:
        with self._db.reading() as session:
            statement = select(MergeConflictRow).order_by(MergeConflictRow.id)
            if open_only:
                statement = statement.where(MergeConflictRow.resolved_at.is_(None))
            return [
                Conflict(
                    kind=ConflictKind(row.kind),
                    reference=row.reference,
                    central=json.loads(row.central),
                    local=json.loads(row.local),
                    seat=row.seat,
                    found_at=utc(row.found_at),
                    id=row.id,
                    resolved_by=row.resolved_by,
                    resolution=row.resolution,
                )
                for row in session.scalars(statement)
            ]

    def resolve(self, conflict_id: int, *, by: str, resolution: str, at: dt.datetime) -> None:
        with self._db.writing() as session:
            row = session.get(MergeConflictRow, conflict_id)
            if row is None or row.resolved_at is not None:
                raise NotFound("outage.conflict_not_found", conflict=conflict_id)
            session.execute(
                update(MergeConflictRow)
                .where(MergeConflictRow.id == conflict_id)
                .values(resolved_by=by, resolved_at=at, resolution=resolution[:500])
            )
            append_audit(
                session,
                AuditEntry(by, "outage.conflict_resolved", row.reference, resolution[:200], at),
            )
