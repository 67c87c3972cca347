"""The pieces of a merge (app.store.merge): its report, its keys in `merged_items`, the
conflicts it lists, and carrying a journal's rows into the central database (new ids, the
references to carried rows renamed along the tables' foreign keys)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Table, insert, select
from sqlalchemy.orm import Session

from app.domain.audit import AuditEntry
from app.domain.outage import ConflictKind
from app.store.audit import append_audit, append_audit_many
from app.store.database import Database, utc
from app.store.journal import CASE_TREE, JournalState, rows_of, table
from app.store.models import MergeConflictRow, MergedItemRow, table_of


@dataclass
class MergeReport:
    journal: str = ""
    cases: int = 0  # carried: opened offline
    changed: int = 0  # copied cases whose offline changes were carried
    audit_records: int = 0
    conflicts: int = 0
    already: int = 0  # carried by an earlier (interrupted) run
    conflict_kinds: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "journal": self.journal,
            "cases": self.cases,
            "changed": self.changed,
            "audit_records": self.audit_records,
            "conflicts": self.conflicts,
            "already_merged": self.already,
            "conflict_kinds": sorted(set(self.conflict_kinds)),
        }


def done(session: Session, journal: str, item: str) -> bool:
    return session.get(MergedItemRow, (journal, item)) is not None


def mark(
    session: Session, journal: str, item: str, central_id: int | None, at: dt.datetime
) -> None:
    session.add(MergedItemRow(journal=journal, item=item, central_id=central_id, merged_at=at))
    session.flush()


def conflict(
    session: Session,
    state: JournalState,
    kind: ConflictKind,
    reference: str,
    central: dict[str, object],
    local: dict[str, object],
    at: dt.datetime,
    report: MergeReport,
) -> None:
    session.add(
        MergeConflictRow(
            journal=state.id,
            seat=state.seat,
            kind=kind.value,
            reference=reference,
            central=json.dumps(central, default=str, ensure_ascii=False),
            local=json.dumps(local, default=str, ensure_ascii=False),
            found_at=at,
            resolved_by="",
            resolution="",
        )
    )
    append_audit(session, AuditEntry(state.seat, "outage.conflict", reference, kind.value, at))
    report.conflicts += 1
    report.conflict_kinds.append(kind.value)


def case_side(case: dict[str, Any]) -> dict[str, object]:
    keys = ("reference", "service_id", "status", "assignee", "version", "received_at")
    return {key: case.get(key) for key in keys}


def offline_rows(journal: Database, state: JournalState) -> dict[str, dict[int, list[Any]]]:
    """Every row the journal wrote offline in the case tables, by its parent's id (the case's,
    a print's document's): read once, not per case."""
    cases_mark = state.watermarks.get("cases", 0)
    grouped: dict[str, dict[int, list[Any]]] = {}
    with journal.reading() as local:
        for name in CASE_TREE:
            each = table(name)
            _parent, parent = parent_of(name)
            if "id" in each.c:
                where = each.c.id > state.watermarks.get(name, 0)
            else:  # one row or a set per case, no id of its own: those of the new cases
                where = each.c.case_id > cases_mark
            rows = grouped.setdefault(name, {})
            for row in sorted(rows_of(local, each, where), key=lambda r: r.get("id", 0)):
                rows.setdefault(row[parent.name], []).append(row)
    return grouped


def parent_of(name: str) -> tuple[str, Column[Any]]:
    """The table a case-tree table's rows hang on, and the column naming their parent."""
    each = table(name)
    if name == "document_prints":
        return "documents", each.c.document_id
    return "cases", each.c.case_id


def carry_rows(
    target: Session, name: str, by_parent: dict[int, list[Any]], maps: dict[str, dict[int, int]]
) -> None:
    """The rows of one table whose parents were carried: new ids where the table has them,
    references to carried rows renamed; a row that names another of the same table not yet
    carried (a cancellation) goes after it."""
    each = table(name)
    parent, _column = parent_of(name)
    rows = [row for old in maps.get(parent, {}) for row in by_parent.get(old, [])]
    if not rows:
        return
    rows.sort(key=lambda r: r.get("id", 0))
    own = {row["id"] for row in rows} if "id" in each.c else set()
    selfish = [fk.parent.name for fk in each.foreign_keys if fk.column.table is each]
    first = [r for r in rows if not any(r.get(col) in own for col in selfish)]
    later = [r for r in rows if any(r.get(col) in own for col in selfish)]
    for group in (first, *([row] for row in later)):
        if not group:
            continue
        values = [renamed(each, row, maps) for row in group]
        if "id" in each.c:
            olds = [value.pop("id") for value in values]
            news = target.scalars(
                insert(each).returning(each.c.id, sort_by_parameter_order=True), values
            ).all()
            maps.setdefault(name, {}).update(zip(olds, news, strict=True))
        else:
            target.execute(insert(each), values)


def renamed(each: Table, row: dict[str, Any], maps: dict[str, dict[int, int]]) -> dict[str, Any]:
    values = dict(row)
    for foreign in each.foreign_keys:
        referred = maps.get(foreign.column.table.name, {})
        if values.get(foreign.parent.name) in referred:
            values[foreign.parent.name] = referred[values[foreign.parent.name]]
    return values


def append_records(
    target: Session, state: JournalState, records: list[dict[str, Any]], report: MergeReport
) -> None:
    """The journal's audit records onto the central chain, once each (their keys)."""
    if not records:
        return
    keys = [f"audit:{record['seq']}" for record in records]
    done = set(
        target.scalars(
            select(MergedItemRow.item).where(
                MergedItemRow.journal == state.id, MergedItemRow.item.in_(keys)
            )
        )
    )
    fresh = [(key, r) for key, r in zip(keys, records, strict=True) if key not in done]
    append_audit_many(
        target,
        [
            AuditEntry(
                r["actor"],
                r["action"],
                r["subject"],
                f"{r['detail']} (offline, {state.seat})".strip(),
                utc(r["at"]),
            )
            for _key, r in fresh
        ],
    )
    if fresh:
        target.execute(
            insert(table_of(MergedItemRow)),
            [
                {"journal": state.id, "item": key, "central_id": None, "merged_at": utc(r["at"])}
                for key, r in fresh
            ],
        )
    report.audit_records += len(fresh)


def carry_tree(
    local: Session,
    target: Session,
    maps: dict[str, dict[int, int]],
    watermark: Any,
    *,
    only: tuple[str, ...] = CASE_TREE,
) -> None:
    """The rows of the mapped cases in every table of `only`, read from the journal and
    carried by `carry_rows`. `watermark`: for a copied case, only rows above the table's
    watermark (written offline) are carried."""
    for name in only:
        each = table(name)
        parent, column = parent_of(name)
        old_parents = list(maps.get(parent, {}))
        if not old_parents:
            continue
        where = column.in_(old_parents)
        mark = watermark(name)
        if mark is not None and "id" in each.c:
            where = where & (each.c.id > mark)
        by_parent: dict[int, list[Any]] = {}
        for row in rows_of(local, each, where):
            by_parent.setdefault(row[column.name], []).append(row)
        carry_rows(target, name, by_parent, maps)
