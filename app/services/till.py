"""The counter till: a fee paid in cash or by card at the counter is booked in the counter's
journal with a receipt number and settles the case's fee in the same transaction; a
cancellation is a counter-booking that opens the fee again; the day's closing compares the
counted cash with the journal, and a second person confirms it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.cases import PaymentState
from app.domain.errors import DomainError
from app.domain.till import (
    DayState,
    TillDay,
    TillEntry,
    TillMethod,
    Totals,
    cancellable,
    close,
    confirm,
    require_open,
    totals,
)
from app.domain.users import Role, User
from app.ports import CaseRepository, Clock
from app.ports.till import TillJournal


@dataclass(frozen=True, slots=True)
class DayView:
    """A counter's day as the closing dialog shows it."""

    day: TillDay
    entries: tuple[TillEntry, ...]
    totals: Totals


class TillDesk:
    def __init__(self, *, journal: TillJournal, cases: CaseRepository, clock: Clock) -> None:
        self.journal, self.cases, self.clock = journal, cases, clock

    def today(self) -> dt.date:
        return self.clock.now().astimezone().date()

    def pay(self, *, user: User, case_id: int, method: TillMethod, counter: str) -> TillEntry:
        """The citizen pays the case's fee at `counter`: the journal's entry and the case's
        payment (its reference the receipt number) in one transaction."""
        user.require(Role.CLERK, "take a payment")
        case = self.cases.get(case_id)
        if case.fee_cents == 0 or not case.fee_due:
            raise DomainError("payment.nothing_due", reference=case.reference)
        now = self.clock.now()
        day = self.today()
        require_open(self.journal.day(case.office_id, counter, day))
        draft = TillEntry(
            id=0,
            office_id=case.office_id,
            counter=counter,
            day=day,
            case_id=case.id,
            case_reference=case.reference,
            amount_cents=case.fee_cents,
            method=method,
            receipt="",
            by=user.login,
            at=now,
        )
        entry, _case = self.journal.book(
            draft,
            event_for=lambda receipt: case.record_payment(user, PaymentState.PAID, receipt, now),
            expected_version=case.version,
        )
        return entry

    def cancel(self, *, user: User, entry_id: int, reason: str, counter: str) -> TillEntry:
        """A counter-booking for the entry, in today's journal of `counter` (the money goes
        back out of this till now); the case's fee is open again."""
        user.require(Role.CLERK, "cancel a payment")
        entry = self.journal.entry(entry_id)
        cancellable(entry, self.journal.entries_for_case(entry.case_id))
        case = self.cases.get(entry.case_id)
        now = self.clock.now()
        draft = TillEntry(
            id=0,
            office_id=entry.office_id,
            counter=counter,
            day=self.today(),
            case_id=entry.case_id,
            case_reference=entry.case_reference,
            amount_cents=-entry.amount_cents,
            method=entry.method,
            receipt="",
            by=user.login,
            at=now,
            cancels=entry.id,
            reason=reason.strip()[:500],
        )
        cancelled, _case = self.journal.book(
            draft,
            event_for=lambda _receipt: case.reverse_payment(user, entry.receipt, reason, now),
            expected_version=case.version,
        )
        return cancelled

    def view(self, *, office_id: int, counter: str, day: dt.date | None = None) -> DayView:
        on = day or self.today()
        entries = self.journal.entries(office_id, counter, on)
        return DayView(self.journal.day(office_id, counter, on), tuple(entries), totals(entries))

    def close_day(
        self,
        *,
        user: User,
        office_id: int,
        counter: str,
        counted_cents: int,
        note: str = "",
        day: dt.date | None = None,
    ) -> TillDay:
        user.require(Role.CLERK, "close the till")
        view = self.view(office_id=office_id, counter=counter, day=day)
        now = self.clock.now()
        closed = close(
            view.day, view.entries, counted_cents=counted_cents, by=user.login, at=now, note=note
        )
        return self.journal.save_day(closed, expected=DayState.OPEN, by=user.login, at=now)

    def confirm_day(
        self, *, user: User, office_id: int, counter: str, day: dt.date | None = None
    ) -> TillDay:
        user.require(Role.CLERK, "confirm the till")
        view = self.view(office_id=office_id, counter=counter, day=day)
        now = self.clock.now()
        confirmed = confirm(view.day, view.entries, by=user.login, at=now)
        return self.journal.save_day(confirmed, expected=DayState.CLOSED, by=user.login, at=now)
