"""Gap-free numbers per office and year (case references, receipts): one upsert that creates
or bumps the counter row and says its number. The caller holds the audit chain's lock, so no
two transactions race to create the same row. In a seat's journal (the central database is
down) every series stays inside the blocks the seat reserved in advance."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.domain.outage import NumberBlock, Series, next_in_blocks
from app.store.database import utc
from app.store.models import (
    JournalStateRow,
    NumberBlockRow,
    ReceiptCounterRow,
    ReferenceCounterRow,
    table_of,
)


def _bump(dialect: Any, model: type) -> Any:
    counters = table_of(model)
    return (
        dialect.insert(counters)
        .values(office_id=bindparam("office_id"), year=bindparam("year"), last_number=1)
        .on_conflict_do_update(
            index_elements=[counters.c.office_id, counters.c.year],
            set_={"last_number": counters.c.last_number + 1},
        )
        .returning(counters.c.last_number)
    )


# built once: a statement with its values inlined is coerced anew on every call
_BUMPS: dict[tuple[type, str], Any] = {
    (model, name): _bump(dialect, model)
    for model in (ReferenceCounterRow, ReceiptCounterRow)
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}


SERIES: dict[type, Series] = {ReferenceCounterRow: Series.CASE, ReceiptCounterRow: Series.RECEIPT}


def next_number(session: Session, model: type, office_id: int, year: int) -> int:
    bump = _BUMPS[(model, session.get_bind().dialect.name)]
    result = session.connection().execute(bump, {"office_id": office_id, "year": year})
    number = int(result.scalar_one())
    allowed = within_blocks(session, SERIES[model], office_id, year, number)
    if allowed != number:  # a seat's journal: on to its next block
        counters = table_of(model)
        session.execute(
            update(counters)
            .where(counters.c.office_id == office_id, counters.c.year == year)
            .values(last_number=allowed)
        )
    return allowed


def is_journal(session: Session) -> bool:
    """Whether this database is a seat's journal (it has an id of its own)."""
    return session.get(JournalStateRow, "id") is not None


def within_blocks(
    session: Session, series: Series, office_id: int | None, year: int, number: int
) -> int:
    """`number` as the next of its series may be used here: in the central database as it
    is; in a seat's journal only inside the blocks the seat reserved (the next block's first
    where the counter left one; BlockExhausted where none is left)."""
    if not is_journal(session):
        return number
    rows = session.scalars(
        select(NumberBlockRow).where(
            NumberBlockRow.here.is_(True),
            NumberBlockRow.series == series.value,
            NumberBlockRow.year == year,
            NumberBlockRow.office_id.is_(None)
            if office_id is None
            else NumberBlockRow.office_id == office_id,
        )
    ).all()
    return next_in_blocks(number, [block_of(row) for row in rows])


def block_of(row: NumberBlockRow) -> NumberBlock:
    return NumberBlock(
        series=Series(row.series),
        office_id=row.office_id,
        year=row.year,
        first=row.first,
        last=row.last,
        seat=row.seat,
        reserved_at=utc(row.reserved_at),
        reserved_by=row.reserved_by,
    )
