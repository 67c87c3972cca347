"""A seat's journal: a SQLite database of the same schema in the seat's data folder, which the
seat works on while the central database is gone. While the central database is there the
journal holds a copy (`refresh`): the offices and staff (to sign in), the office's open cases
with everything of theirs a clerk reads or prints again, today's till days, and the seat's
number blocks; what is written into it offline is carried back by `app.store.merge`.

Rows are copied with their central ids; a row written offline gets a higher id than any copy
(SQLite gives max + 1), so the journal knows its own rows by the watermarks it keeps."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from app.domain.audit import GENESIS_HASH
from app.domain.cases import CaseStatus
from app.store.database import Database, utc
from app.store.models import (
    AttachmentRow,
    AuditHeadRow,
    Base,
    CaseEventRow,
    CaseRow,
    JournalStateRow,
    NumberBlockRow,
    OfficeRow,
    TillDayRow,
    UserRow,
    table_of,
)

if TYPE_CHECKING:
    from app.store.merge_rows import MergeReport

# the tables of a case's own rows, parents before children (document_prints hang on documents)
CASE_TREE = (
    "attachments",
    "case_events",
    "case_facts",
    "case_tokens",
    "notes",
    "register_facts",
    "document_numbers",
    "documents",
    "document_prints",
    "till_entries",
    "outbox_messages",
)
# rows a seat writes offline in the tables the merge carries back by watermark
WATERMARKED = ("cases", *CASE_TREE, "till_days")


@dataclass(frozen=True)
class JournalState:
    """The journal's own facts: its id (a merge's key), whose seat and office, when its copy
    was taken, up to which id each table is a copy, and each copied case's version."""

    id: str
    seat: str
    office_id: int
    copied_at: dt.datetime
    watermarks: dict[str, int]
    versions: dict[int, int]


def read_state(session: Session) -> JournalState | None:
    values = {row.key: row.value for row in session.scalars(select(JournalStateRow))}
    if "id" not in values:
        return None
    return JournalState(
        id=values["id"],
        seat=values["seat"],
        office_id=int(values["office_id"]),
        copied_at=dt.datetime.fromisoformat(values["copied_at"]),
        watermarks={k: int(v) for k, v in json.loads(values["watermarks"]).items()},
        versions={int(k): int(v) for k, v in json.loads(values["versions"]).items()},
    )


def table(name: str) -> Table:
    return Base.metadata.tables[name]


def rows_of(session: Session, source: Table, where: Any = None) -> list[dict[str, Any]]:
    """The rows as plain values; instants in UTC (SQLite hands them back naive)."""
    statement = select(source) if where is None else select(source).where(where)
    return [
        {
            name: utc(value) if isinstance(value, dt.datetime) else value
            for name, value in row._mapping.items()
        }
        for row in session.execute(statement)
    ]


def _copy(target: Session, into: Table, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        target.execute(insert(into), list(rows))


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def refresh(
    central: Database, journal: Database, *, seat: str, office_id: int, at: dt.datetime
) -> JournalState:
    """Replace the journal's copy with the central database's as it is now (database lane).
    Only a journal with nothing unmerged may be refreshed: the caller merges first."""
    with central.snapshot() as source:
        offices = rows_of(source, table_of(OfficeRow))
        users = rows_of(source, table_of(UserRow))
        open_cases = rows_of(
            source,
            table_of(CaseRow),
            (CaseRow.office_id == office_id) & (CaseRow.status != CaseStatus.CLOSED.value),
        )
        case_ids = [row["id"] for row in open_cases]
        tree: dict[str, list[dict[str, Any]]] = {}
        for name in CASE_TREE:
            rows: list[dict[str, Any]] = []
            if name == "document_prints":
                document_ids = [row["id"] for row in tree["documents"]]
                for part in _chunks(document_ids):
                    rows += rows_of(source, table(name), table(name).c.document_id.in_(part))
            else:
                for part in _chunks(case_ids):
                    rows += rows_of(source, table(name), table(name).c.case_id.in_(part))
            tree[name] = rows
        days = rows_of(
            source,
            table_of(TillDayRow),
            (TillDayRow.office_id == office_id) & (TillDayRow.day == at.date()),
        )
        blocks = [
            {**row, "here": True}
            for row in rows_of(source, table_of(NumberBlockRow), NumberBlockRow.seat == seat)
        ]
    state = JournalState(
        id=str(uuid.uuid4()),
        seat=seat,
        office_id=office_id,
        copied_at=at,
        watermarks={},
        versions={row["id"]: row["version"] for row in open_cases},
    )
    with journal.writing() as target:
        for each in reversed(Base.metadata.sorted_tables):  # children first
            if each.name != "audit_head":
                target.execute(delete(each))
        # the journal's own chain starts again: what it holds after this is offline work
        target.execute(update(table_of(AuditHeadRow)).values(last_seq=0, last_hash=GENESIS_HASH))
        _copy(target, table_of(OfficeRow), offices)
        _copy(target, table_of(UserRow), users)
        _copy(target, table_of(CaseRow), open_cases)
        for name in CASE_TREE:
            _copy(target, table(name), tree[name])
        _copy(target, table_of(TillDayRow), days)
        _copy(target, table_of(NumberBlockRow), blocks)
        watermarks = {
            name: max((row["id"] for row in rows), default=0)
            for name, rows in (("cases", open_cases), *tree.items())
            if "id" in table(name).c
        }
        state = JournalState(state.id, seat, office_id, at, watermarks, state.versions)
        _write_state(target, state)
    return state


def _write_state(session: Session, state: JournalState) -> None:
    session.execute(delete(JournalStateRow))
    values = {
        "id": state.id,
        "seat": state.seat,
        "office_id": str(state.office_id),
        "copied_at": state.copied_at.isoformat(),
        "watermarks": json.dumps(state.watermarks),
        "versions": json.dumps({str(k): v for k, v in state.versions.items()}),
    }
    session.execute(
        insert(table_of(JournalStateRow)), [{"key": k, "value": v} for k, v in values.items()]
    )


def offline_counts(journal: Database) -> dict[str, int]:
    """What the journal holds that the central database does not have yet: its own cases,
    events (also on copied cases) and attachments."""
    with journal.reading() as session:
        state = read_state(session)
        if state is None:
            return {}
        counts = {}
        for name, row in (
            ("cases", CaseRow),
            ("case_events", CaseEventRow),
            ("attachments", AttachmentRow),
        ):
            mark = state.watermarks.get(name, 0)
            counts[name] = len(session.scalars(select(row.id).where(row.id > mark)).all())
        return counts


class SqlJournal:
    """`app.ports.outage.SeatJournal` on two databases: the central one and the seat's."""

    def __init__(self, central: Database, journal: Database) -> None:
        self.central, self.journal = central, journal

    def refresh(self, *, seat: str, office_id: int, at: dt.datetime) -> int:
        state = refresh(self.central, self.journal, seat=seat, office_id=office_id, at=at)
        return len(state.versions)

    def merge(self, *, by: str, at: dt.datetime) -> MergeReport:
        from app.store.merge import merge

        return merge(self.journal, self.central, by=by, at=at)

    def offline_work(self) -> dict[str, int]:
        return offline_counts(self.journal)

    def prepared(self) -> bool:
        with self.journal.reading() as session:
            return read_state(session) is not None
