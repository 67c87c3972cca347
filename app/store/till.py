"""The counter till in the database (app.ports.till.TillJournal). Every write takes the audit
chain's lock first (it appends an audit record), so a booking and a closing of the same day
never interleave: a booking checks the day is open in the transaction that writes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.audit import AuditEntry
from app.domain.cases import Case, CaseEvent
from app.domain.errors import DomainError
from app.domain.till import DayState, TillDay, TillEntry, TillMethod, receipt_number
from app.store.audit import append_audit, lock_audit_chain
from app.store.case_rows import save_case
from app.store.counters import next_number
from app.store.database import Database, utc
from app.store.models import OfficeRow, ReceiptCounterRow, TillDayRow, TillEntryRow


def _entry(row: TillEntryRow) -> TillEntry:
    return TillEntry(
        id=row.id,
        office_id=row.office_id,
        counter=row.counter,
        day=row.day,
        case_id=row.case_id,
        case_reference=row.case_reference,
        amount_cents=row.amount_cents,
        method=TillMethod(row.method),
        receipt=row.receipt,
        by=row.by,
        at=utc(row.at),
        cancels=row.cancels,
        reason=row.reason,
    )


def _day(row: TillDayRow) -> TillDay:
    return TillDay(
        office_id=row.office_id,
        counter=row.counter,
        day=row.day,
        state=DayState(row.state),
        expected_cash_cents=row.expected_cash_cents,
        counted_cash_cents=row.counted_cash_cents,
        card_cents=row.card_cents,
        closed_by=row.closed_by,
        closed_at=utc(row.closed_at) if row.closed_at else None,
        confirmed_by=row.confirmed_by,
        confirmed_at=utc(row.confirmed_at) if row.confirmed_at else None,
        note=row.note,
    )


def _day_row(session: Session, office_id: int, counter: str, day: dt.date) -> TillDayRow | None:
    return session.get(TillDayRow, (office_id, counter, day))


class SqlTillJournal:
    def __init__(self, database: Database) -> None:
        self._db = database

    def book(
        self,
        draft: TillEntry,
        *,
        event_for: Callable[[str], tuple[Case, CaseEvent]],
        expected_version: int,
    ) -> tuple[TillEntry, Case]:
        """The entry (its receipt number given here) and the case's change it causes, in one
        transaction; refused when the counter's day is closed. `event_for(receipt)` gives the
        case's changed state and event for the receipt number."""
        with self._db.writing() as session:
            lock_audit_chain(session)
            row = _day_row(session, draft.office_id, draft.counter, draft.day)
            if row is not None and row.state != DayState.OPEN.value:
                raise DomainError(
                    "till.day_closed", day=draft.day.isoformat(), counter=draft.counter
                )
            number = next_number(session, ReceiptCounterRow, draft.office_id, draft.day.year)
            code = session.execute(
                select(OfficeRow.code).where(OfficeRow.id == draft.office_id)
            ).scalar_one()
            receipt = receipt_number(code, draft.day.year, number)
            changed, event = event_for(receipt)
            saved = save_case(session, changed, event, expected_version=expected_version)
            entry_row = TillEntryRow(
                office_id=draft.office_id,
                counter=draft.counter,
                day=draft.day,
                case_id=draft.case_id,
                case_reference=draft.case_reference,
                amount_cents=draft.amount_cents,
                method=draft.method.value,
                receipt=receipt,
                by=draft.by,
                at=draft.at,
                cancels=draft.cancels,
                reason=draft.reason,
            )
            session.add(entry_row)
            session.flush()
            action = "till.cancel" if draft.cancels else "till.book"
            detail = f"{receipt} {draft.method.value} {draft.amount_cents}"
            append_audit(
                session, AuditEntry(draft.by, action, draft.case_reference, detail, draft.at)
            )
            return _entry(entry_row), saved

    def entry(self, entry_id: int) -> TillEntry:
        with self._db.reading() as session:
            row = session.get(TillEntryRow, entry_id)
            if row is None:
                raise DomainError("till.no_entry", entry=entry_id)
            return _entry(row)

    def entries(self, office_id: int, counter: str, day: dt.date) -> list[TillEntry]:
        with self._db.reading() as session:
            rows = session.execute(
                select(TillEntryRow)
                .where(
                    TillEntryRow.office_id == office_id,
                    TillEntryRow.counter == counter,
                    TillEntryRow.day == day,
                )
                .order_by(TillEntryRow.id)
            ).scalars()
            return [_entry(row) for row in rows]

    def by_receipt(self, receipt: str) -> TillEntry | None:
        with self._db.reading() as session:
            row = session.execute(
                select(TillEntryRow).where(TillEntryRow.receipt == receipt)
            ).scalar_one_or_none()
            return _entry(row) if row else None

    def entries_of_office(self, office_id: int, day: dt.date) -> list[TillEntry]:
        with self._db.reading() as session:
            rows = session.execute(
                select(TillEntryRow)
                .where(TillEntryRow.office_id == office_id, TillEntryRow.day == day)
                .order_by(TillEntryRow.counter, TillEntryRow.id)
            ).scalars()
            return [_entry(row) for row in rows]

    def entries_for_case(self, case_id: int) -> list[TillEntry]:
        with self._db.reading() as session:
            rows = session.execute(
                select(TillEntryRow)
                .where(TillEntryRow.case_id == case_id)
                .order_by(TillEntryRow.id)
            ).scalars()
            return [_entry(row) for row in rows]

    def day(self, office_id: int, counter: str, day: dt.date) -> TillDay:
        with self._db.reading() as session:
            row = _day_row(session, office_id, counter, day)
            return _day(row) if row else TillDay(office_id, counter, day)

    def days(self, office_id: int, day: dt.date) -> list[TillDay]:
        """Every counter's day of an office that had a closing."""
        with self._db.reading() as session:
            rows = session.execute(
                select(TillDayRow)
                .where(TillDayRow.office_id == office_id, TillDayRow.day == day)
                .order_by(TillDayRow.counter)
            ).scalars()
            return [_day(row) for row in rows]

    def save_day(self, day: TillDay, *, expected: DayState, by: str, at: dt.datetime) -> TillDay:
        """The closing or its confirmation, if the day is still in `expected` (a second clerk
        closing at the same time is refused, not overwritten)."""
        with self._db.writing() as session:
            lock_audit_chain(session)
            row = _day_row(session, day.office_id, day.counter, day.day)
            state = DayState(row.state) if row else DayState.OPEN
            if state is not expected:
                raise DomainError("till.day_changed", day=day.day.isoformat(), counter=day.counter)
            if row is None:
                row = TillDayRow(office_id=day.office_id, counter=day.counter, day=day.day)
                session.add(row)
            row.state = day.state.value
            row.expected_cash_cents = day.expected_cash_cents
            row.counted_cash_cents = day.counted_cash_cents
            row.card_cents = day.card_cents
            row.closed_by, row.closed_at = day.closed_by, day.closed_at
            row.confirmed_by, row.confirmed_at = day.confirmed_by, day.confirmed_at
            row.note = day.note
            detail = f"{day.counter} {day.day.isoformat()} {day.difference_cents or 0}"
            code = session.execute(
                select(OfficeRow.code).where(OfficeRow.id == day.office_id)
            ).scalar_one()
            append_audit(session, AuditEntry(by, f"till.{day.state.value}", code, detail, at))
            return day
