"""Gap-free numbers per office and year (case references, receipts): one upsert that creates
or bumps the counter row and says its number. The caller holds the audit chain's lock, so no
two transactions race to create the same row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.store.models import ReceiptCounterRow, ReferenceCounterRow, table_of


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


def next_number(session: Session, model: type, office_id: int, year: int) -> int:
    bump = _BUMPS[(model, session.get_bind().dialect.name)]
    result = session.connection().execute(bump, {"office_id": office_id, "year": year})
    return int(result.scalar_one())
