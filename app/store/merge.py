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
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from app.domain.audit import AuditEntry
from app.domain.cases import CaseStatus
from app.domain.outage import ConflictKind
from app.domain.till import DayState
from app.store.audit import append_audit
from app.store.database import Database, utc
from app.store.journal import CASE_TREE, JournalState, read_state, rows_of, table
from app.store.merge_rows import (
    MergeReport,
    append_records,
    carry_rows,
    carry_tree,
    case_side,
    conflict,
    done,
    mark,
    offline_rows,
)
from app.store.models import (
    AuditRecordRow,
    CaseEventRow,
    CaseRow,
    MergedItemRow,
    TillDayRow,
    TillEntryRow,
    table_of,
)

ADDITIVE = ("notes", "attachments")  # rows that change nothing another seat wrote
BATCH = 100  # cases carried per central transaction (a killed merge redoes at most one)


def merge(journal: Database, central: Database, *, by: str, at: dt.datetime) -> MergeReport:
    """Carry what the journal holds offline into the central database (database lane)."""
    with journal.reading() as local:
        state = read_state(local)
        if state is None:
            return MergeReport()
        copied_up_to = state.watermarks.get("cases", 0)
        new_cases = rows_of(local, table_of(CaseRow), CaseRow.id > copied_up_to)
        touched = _touched_copies(local, state)
        audit = rows_of(local, table_of(AuditRecordRow), AuditRecordRow.seq > 0)
        days = rows_of(local, table_of(TillDayRow), TillDayRow.office_id == state.office_id)
        entries = table_of(TillEntryRow)
        booked = {
            (row.office_id, row.counter, row.day)
            for row in local.execute(
                select(entries.c.office_id, entries.c.counter, entries.c.day)
                .where(entries.c.id > state.watermarks.get("till_entries", 0))
                .distinct()
            )
        }
    report = MergeReport(journal=state.id)
    by_subject: dict[str, list[dict[str, Any]]] = {}
    for record in sorted(audit, key=lambda r: r["seq"]):
        by_subject.setdefault(record["subject"], []).append(record)
    with central.writing() as target:
        _carry_days(target, state, days, booked, report, at)
    offline = offline_rows(journal, state) if new_cases else {}
    ordered = sorted(new_cases, key=lambda r: r["id"])
    for start in range(0, len(ordered), BATCH):
        with central.writing() as target:
            batch = ordered[start : start + BATCH]
            _carry_new_cases(target, state, batch, offline, by_subject, report, at)
    for case_id in touched:
        with journal.reading() as local, central.writing() as target:
            _carry_changed_copy(local, target, state, case_id, by_subject, report, at)
    with central.writing() as target:
        if done(target, state.id, "merge:done"):
            return report
        rest = [r for records in by_subject.values() for r in records]
        append_records(target, state, sorted(rest, key=lambda r: r["seq"]), report)
        summary = (
            f"journal {state.id}: {report.cases} cases, {report.changed} changed, "
            f"{report.conflicts} conflicts"
        )
        append_audit(target, AuditEntry(by, "outage.merged", state.seat, summary, at))
        mark(target, state.id, "merge:done", None, at)
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
        copied = state.watermarks.get(name, 0)
        touched |= {
            case_id
            for case_id in local.scalars(select(each.c.case_id).where(each.c.id > copied))
            if case_id in copies
        }
    return sorted(touched)


TILL_DAYS = table_of(TillDayRow)
DAY_KEY = ("office_id", "counter", "day")
CLOSING = ("closed_by", "closed_at", "expected_cash_cents", "counted_cash_cents", "card_cents")
FURTHER = {DayState.OPEN: 0, DayState.CLOSED: 1, DayState.CONFIRMED: 2}


def _carry_days(
    target: Session,
    state: JournalState,
    days: list[dict[str, Any]],
    booked: set[tuple[Any, ...]],
    report: MergeReport,
    at: dt.datetime,
) -> None:
    """The counter's days as the seat closed or confirmed them offline. The central database
    takes a day it does not have, and a step further of the same closing (confirmed
    offline); a day closed on both sides (by two PCs with one counter name), or closed
    centrally while the seat booked into it offline (`booked`: office, counter, day), is
    listed, the central closing kept."""
    ours: dict[tuple[Any, ...], dict[str, Any]] = {tuple(d[c] for c in DAY_KEY): d for d in days}
    for key in sorted(set(ours) | booked, key=str):
        day, found = ours.get(key), target.get(TillDayRow, key)
        if found is None:
            if day is not None:
                target.execute(insert(TILL_DAYS).values(**day))
            continue
        central = {column.name: getattr(found, column.name) for column in TILL_DAYS.columns}
        if day is None or DayState(day["state"]) is DayState.OPEN:
            if key in booked and DayState(central["state"]) is not DayState.OPEN:
                _day_conflict(target, state, key, central, day or {}, report, at)
            continue
        same = all(_same(central[c], day[c]) for c in CLOSING)  # the same closing
        if same and FURTHER[DayState(day["state"])] > FURTHER[DayState(central["state"])]:
            target.execute(
                update(TILL_DAYS)
                .where(*(TILL_DAYS.c[c] == v for c, v in zip(DAY_KEY, key, strict=True)))
                .values(**{c: v for c, v in day.items() if c not in DAY_KEY})
            )
        elif not same:
            _day_conflict(target, state, key, central, day, report, at)


def _same(central: object, local: object) -> bool:
    if isinstance(central, dt.datetime) and isinstance(local, dt.datetime):
        return utc(central) == utc(local)  # SQLite gives them back without their zone
    return central == local


def _day_conflict(
    target: Session,
    state: JournalState,
    key: tuple[Any, ...],
    central: dict[str, Any],
    local: dict[str, Any],
    report: MergeReport,
    at: dt.datetime,
) -> None:
    item = f"till:{key[1]}:{key[2]}"
    if done(target, state.id, item):
        return
    shown = f"{key[1]} {key[2]}"[:40]  # the counter and the day, as the list shows them
    conflict(target, state, ConflictKind.TILL_DAY_DIFFERS, shown, central, local, at, report)
    mark(target, state.id, item, None, at)


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
            central = case_side(clashes[case["reference"]])
            conflict(
                target,
                state,
                ConflictKind.NUMBER_USED_TWICE,
                case["reference"],
                central,
                case_side(case),
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
        carry_rows(target, name, offline.get(name, {}), maps)
    records = sorted(
        (record for case in carry for record in audit.pop(case["reference"], [])),
        key=lambda r: r["seq"],
    )
    append_records(target, state, records, report)
    for case in carry:
        twin = twins.get(_person(case))
        if twin is not None:
            conflict(
                target,
                state,
                ConflictKind.SAME_PERSON,
                case["reference"],
                case_side(twin),
                case_side(case),
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
    if done(target, state.id, key):
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
        side = {**case_side(offline), "events": [e["action"] for e in events]}
        conflict(
            target,
            state,
            ConflictKind.CHANGED_ON_BOTH_SIDES,
            offline["reference"],
            case_side(dict(central._mapping)) if central else {},
            side,
            at,
            report,
        )
        # what only adds (a note, an attachment) is carried all the same: nothing is lost
        carry_tree(
            local,
            target,
            {"cases": {case_id: case_id}},
            lambda name: state.watermarks.get(name, 0),
            only=ADDITIVE,
        )
        append_records(target, state, audit.pop(offline["reference"], []), report)
        mark(target, state.id, key, None, at)
        return
    target.execute(
        update(table_of(CaseRow))
        .where(CaseRow.id == case_id)
        .values(**{k: v for k, v in offline.items() if k != "id"})
    )
    for name in ("case_facts", "case_tokens"):  # one row, or a set, per case: the journal's
        target.execute(delete(table(name)).where(table(name).c.case_id == case_id))
    carry_tree(
        local,
        target,
        {"cases": {case_id: case_id}},
        lambda name: state.watermarks.get(name, 0),
    )
    append_records(target, state, audit.pop(offline["reference"], []), report)
    mark(target, state.id, key, case_id, at)
    report.changed += 1
