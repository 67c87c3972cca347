"""The return: a seat's journal carried into the central database once. Each case is one
central transaction that also writes its `merged_items` key, so a merge killed halfway
resumes where it stopped and never doubles a case. The journal's audit records continue the
central chain (each with its case, the rest at the end) and a merge record closes it.

What a person must decide is never overwritten: a copied case that changed on both sides keeps
the central side and lists the offline one; a case number the central database already has
(a seat outside its blocks) is not carried; the same person opened offline and centrally is
carried and listed. The conflicts go to `merge_conflicts`, both sides as JSON."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from app.domain.audit import AuditEntry
from app.domain.cases import CaseStatus
from app.domain.outage import ConflictKind
from app.store.audit import append_audit, append_audit_many
from app.store.database import Database, utc
from app.store.journal import CASE_TREE, JournalState, read_state, rows_of, table
from app.store.models import (
    AuditRecordRow,
    CaseEventRow,
    CaseRow,
    MergeConflictRow,
    MergedItemRow,
    TillDayRow,
    table_of,
)

ADDITIVE = ("notes", "attachments")  # rows that change nothing another seat wrote
BATCH = 100  # cases carried per central transaction (a killed merge redoes at most one)


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


def merge(journal: Database, central: Database, *, by: str, at: dt.datetime) -> MergeReport:
    """Carry what the journal holds offline into the central database (database lane)."""
    with journal.reading() as local:
        state = read_state(local)
        if state is None:
            return MergeReport()
        mark = state.watermarks
        new_cases = rows_of(local, table_of(CaseRow), CaseRow.id > mark.get("cases", 0))
        touched = _touched_copies(local, state)
        audit = rows_of(local, table_of(AuditRecordRow), AuditRecordRow.seq > 0)
        days = rows_of(local, table_of(TillDayRow), TillDayRow.office_id == state.office_id)
    report = MergeReport(journal=state.id)
    by_subject: dict[str, list[dict[str, Any]]] = {}
    for record in sorted(audit, key=lambda r: r["seq"]):
        by_subject.setdefault(record["subject"], []).append(record)
    with central.writing() as target:
        _carry_days(target, days)
    offline = _offline_rows(journal, state) if new_cases else {}
    ordered = sorted(new_cases, key=lambda r: r["id"])
    for start in range(0, len(ordered), BATCH):
        with central.writing() as target:
            batch = ordered[start : start + BATCH]
            _carry_new_cases(target, state, batch, offline, by_subject, report, at)
    for case_id in touched:
        with journal.reading() as local, central.writing() as target:
            _carry_changed_copy(local, target, state, case_id, by_subject, report, at)
    with central.writing() as target:
        if _done(target, state.id, "merge:done"):
            return report
        rest = [r for records in by_subject.values() for r in records]
        _append_records(target, state, sorted(rest, key=lambda r: r["seq"]), report)
        summary = (
            f"journal {state.id}: {report.cases} cases, {report.changed} changed, "
            f"{report.conflicts} conflicts"
        )
        append_audit(target, AuditEntry(by, "outage.merged", state.seat, summary, at))
        _mark(target, state.id, "merge:done", None, at)
    return report


def _touched_copies(local: Session, state: JournalState) -> list[int]:
    """Copied cases the seat changed offline: a new version, or rows of theirs written
    offline (a note, an attachment, a print)."""
    copies = state.versions
    touched = {
        row.id
        for row in local.execute(
            select(CaseRow.id, CaseRow.version).where(CaseRow.id.in_(list(copies)))
        )
        if row.version != copies[row.id]
    }
    for name in CASE_TREE:
        each = table(name)
        if "id" not in each.c or "case_id" not in each.c:
            continue
        mark = state.watermarks.get(name, 0)
        touched |= {
            case_id
            for case_id in local.scalars(select(each.c.case_id).where(each.c.id > mark))
            if case_id in copies
        }
    return sorted(touched)


def _done(session: Session, journal: str, item: str) -> bool:
    return session.get(MergedItemRow, (journal, item)) is not None


def _mark(
    session: Session, journal: str, item: str, central_id: int | None, at: dt.datetime
) -> None:
    session.add(MergedItemRow(journal=journal, item=item, central_id=central_id, merged_at=at))
    session.flush()


def _carry_days(session: Session, days: list[dict[str, Any]]) -> None:
    """Till days opened offline: the central database gets those it does not have."""
    for day in days:
        key = (day["office_id"], day["counter"], day["day"])
        if session.get(TillDayRow, key) is None:
            session.execute(insert(table_of(TillDayRow)).values(**day))


def _conflict(
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


def _case_side(case: dict[str, Any]) -> dict[str, object]:
    keys = ("reference", "service_id", "status", "assignee", "version", "received_at")
    return {key: case.get(key) for key in keys}


def _offline_rows(journal: Database, state: JournalState) -> dict[str, dict[int, list[Any]]]:
    """Every row the journal wrote offline in the case tables, by its parent's id (the case's,
    a print's document's): read once, not per case."""
    cases_mark = state.watermarks.get("cases", 0)
    grouped: dict[str, dict[int, list[Any]]] = {}
    with journal.reading() as local:
        for name in CASE_TREE:
            each = table(name)
            parent = each.c.document_id if name == "document_prints" else each.c.case_id
            if "id" in each.c:
                where = each.c.id > state.watermarks.get(name, 0)
            else:  # one row or a set per case, no id of its own: those of the new cases
                where = each.c.case_id > cases_mark
            rows = grouped.setdefault(name, {})
            for row in sorted(rows_of(local, each, where), key=lambda r: r.get("id", 0)):
                rows.setdefault(row[parent.name], []).append(row)
    return grouped


def _person(case: dict[str, Any]) -> tuple[object, ...]:
    return (case["service_id"], case["family_name"], case["given_names"], case["birth_date"])


def _carry_new_cases(
    target: Session,
    state: JournalState,
    batch: list[dict[str, Any]],
    offline: dict[str, dict[int, list[Any]]],
    audit: dict[str, list[dict[str, Any]]],
    report: MergeReport,
    at: dt.datetime,
) -> None:
    """A batch of the cases opened offline, in one central transaction with their keys."""
    keys = {case["id"]: f"case:{case['id']}" for case in batch}
    done = set(
        target.scalars(
            select(MergedItemRow.item).where(
                MergedItemRow.journal == state.id, MergedItemRow.item.in_(list(keys.values()))
            )
        )
    )
    todo = [case for case in batch if keys[case["id"]] not in done]
    report.already += len(batch) - len(todo)
    if not todo:
        return
    clashes = {
        row.reference: dict(row._mapping)
        for row in target.execute(
            select(table_of(CaseRow)).where(CaseRow.reference.in_([c["reference"] for c in todo]))
        )
    }
    marks: list[dict[str, Any]] = []
    carry = []
    for case in todo:
        if case["reference"] in clashes:
            central = _case_side(clashes[case["reference"]])
            _conflict(
                target,
                state,
                ConflictKind.NUMBER_USED_TWICE,
                case["reference"],
                central,
                _case_side(case),
                at,
                report,
            )
            marks.append({"item": keys[case["id"]], "central_id": None})
        else:
            carry.append(case)
    twins = _twins(target, state, carry)
    cases = table_of(CaseRow)
    new_ids = (
        target.scalars(
            insert(cases).returning(cases.c.id, sort_by_parameter_order=True),
            [{k: v for k, v in case.items() if k != "id"} for case in carry],
        ).all()
        if carry
        else []
    )
    maps: dict[str, dict[int, int]] = {
        "cases": dict(zip([c["id"] for c in carry], new_ids, strict=True))
    }
    for name in CASE_TREE:
        _carry_rows(target, name, offline.get(name, {}), maps)
    records = sorted(
        (record for case in carry for record in audit.pop(case["reference"], [])),
        key=lambda r: r["seq"],
    )
    _append_records(target, state, records, report)
    for case in carry:
        twin = twins.get(_person(case))
        if twin is not None:
            _conflict(
                target,
                state,
                ConflictKind.SAME_PERSON,
                case["reference"],
                _case_side(twin),
                _case_side(case),
                at,
                report,
            )
        marks.append({"item": keys[case["id"]], "central_id": maps["cases"][case["id"]]})
    target.execute(
        insert(table_of(MergedItemRow)),
        [{"journal": state.id, "merged_at": at, **mark} for mark in marks],
    )
    report.cases += len(carry)


def _twins(
    target: Session, state: JournalState, carry: list[dict[str, Any]]
) -> dict[tuple[object, ...], dict[str, Any]]:
    """Cases opened centrally since the copy for the same person and service as one of
    `carry` (not a copied case, not one of this journal's carried before)."""
    if not carry:
        return {}
    rows = target.execute(
        select(table_of(CaseRow)).where(
            CaseRow.family_name.in_({c["family_name"] for c in carry}),
            CaseRow.received_at >= state.copied_at,
            CaseRow.status != CaseStatus.CLOSED.value,
            CaseRow.id.not_in(list(state.versions)),
            CaseRow.id.not_in(
                select(MergedItemRow.central_id).where(
                    MergedItemRow.journal == state.id, MergedItemRow.central_id.is_not(None)
                )
            ),
        )
    )
    return {_person(dict(row._mapping)): dict(row._mapping) for row in rows}


def _carry_rows(
    target: Session, name: str, by_parent: dict[int, list[Any]], maps: dict[str, dict[int, int]]
) -> None:
    """The rows of one table whose parents were carried: new ids where the table has them,
    references to carried rows renamed; a row that names another of the same table not yet
    carried (a cancellation) goes after it."""
    each = table(name)
    parent = "documents" if name == "document_prints" else "cases"
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
        values = [_renamed(each, row, maps) for row in group]
        if "id" in each.c:
            olds = [value.pop("id") for value in values]
            news = target.scalars(
                insert(each).returning(each.c.id, sort_by_parameter_order=True), values
            ).all()
            maps.setdefault(name, {}).update(zip(olds, news, strict=True))
        else:
            target.execute(insert(each), values)


def _renamed(each: Table, row: dict[str, Any], maps: dict[str, dict[int, int]]) -> dict[str, Any]:
    values = dict(row)
    for foreign in each.foreign_keys:
        referred = maps.get(foreign.column.table.name, {})
        if values.get(foreign.parent.name) in referred:
            values[foreign.parent.name] = referred[values[foreign.parent.name]]
    return values


def _append_records(
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


def _carry_changed_copy(
    local: Session,
    target: Session,
    state: JournalState,
    case_id: int,
    audit: dict[str, list[dict[str, Any]]],
    report: MergeReport,
    at: dt.datetime,
) -> None:
    offline = rows_of(local, table_of(CaseRow), CaseRow.id == case_id)[0]
    key = f"copy:{case_id}:{offline['version']}"
    if _done(target, state.id, key):
        report.already += 1
        return
    central = target.execute(select(table_of(CaseRow)).where(CaseRow.id == case_id)).first()
    copied = state.versions.get(case_id)
    if central is None or central._mapping["version"] != copied:
        events = rows_of(
            local,
            table_of(CaseEventRow),
            (CaseEventRow.case_id == case_id)
            & (CaseEventRow.id > state.watermarks.get("case_events", 0)),
        )
        side = {**_case_side(offline), "events": [e["action"] for e in events]}
        _conflict(
            target,
            state,
            ConflictKind.CHANGED_ON_BOTH_SIDES,
            offline["reference"],
            _case_side(dict(central._mapping)) if central else {},
            side,
            at,
            report,
        )
        # what only adds (a note, an attachment) is carried all the same: nothing is lost
        _carry_tree(
            local,
            target,
            {"cases": {case_id: case_id}},
            lambda name: state.watermarks.get(name, 0),
            only=ADDITIVE,
        )
        _append_records(target, state, audit.pop(offline["reference"], []), report)
        _mark(target, state.id, key, None, at)
        return
    target.execute(
        update(table_of(CaseRow))
        .where(CaseRow.id == case_id)
        .values(**{k: v for k, v in offline.items() if k != "id"})
    )
    for name in ("case_facts", "case_tokens"):  # one row, or a set, per case: the journal's
        target.execute(delete(table(name)).where(table(name).c.case_id == case_id))
    _carry_tree(
        local,
        target,
        {"cases": {case_id: case_id}},
        lambda name: state.watermarks.get(name, 0),
    )
    _append_records(target, state, audit.pop(offline["reference"], []), report)
    _mark(target, state.id, key, case_id, at)
    report.changed += 1


def _carry_tree(
    local: Session,
    target: Session,
    maps: dict[str, dict[int, int]],
    watermark: Any,
    *,
    only: tuple[str, ...] = CASE_TREE,
) -> None:
    """The rows of the mapped cases in every table of CASE_TREE, parents first, each with a
    new central id where it has one and its references to carried rows renamed. `watermark`:
    for a copied case, only rows above the table's watermark (written offline) are carried."""
    for name in only:
        each = table(name)
        parent = "documents" if name == "document_prints" else "cases"
        column = each.c.document_id if name == "document_prints" else each.c.case_id
        old_parents = list(maps.get(parent, {}))
        if not old_parents:
            continue
        where = column.in_(old_parents)
        mark = watermark(name)
        if mark is not None and "id" in each.c:
            where = where & (each.c.id > mark)
        rows = sorted(rows_of(local, each, where), key=lambda r: r.get("id", 0))
        for row in rows:
            values = dict(row)
            for foreign in each.foreign_keys:
                referred = maps.get(foreign.column.table.name, {})
                if values.get(foreign.parent.name) in referred:
                    values[foreign.parent.name] = referred[values[foreign.parent.name]]
            if "id" in each.c:
                old = values.pop("id")
                new = target.execute(insert(each).values(**values).returning(each.c.id))
                maps.setdefault(name, {})[old] = new.scalar_one()
            else:
                target.execute(insert(each).values(**values))
