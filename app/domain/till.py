"""The counter till (Barkasse / Kartenzahlung an der Theke): an append-only journal per office,
counter and day, and the day's closing (Tagesabschluss). A cancellation is a counter-booking,
never an edit; a closed day takes no more bookings; a second person confirms the closing,
never one who took the day's payments. No I/O here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from app.domain.errors import DomainError


class TillMethod(StrEnum):
    CASH = "cash"
    CARD = "card"  # girocard or credit card at the counter's terminal


class DayState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"  # counted, waiting for the second person
    CONFIRMED = "confirmed"  # counted and confirmed: ready for the finance export


@dataclass(frozen=True, slots=True)
class TillEntry:
    """One line of the journal. A cancellation has a negative amount and names the entry it
    cancels; the receipt number is the citizen's Quittung (and the case's payment reference)."""

    id: int
    office_id: int
    counter: str
    day: dt.date
    case_id: int
    case_reference: str
    amount_cents: int
    method: TillMethod
    receipt: str
    by: str
    at: dt.datetime
    cancels: int | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class TillDay:
    office_id: int
    counter: str
    day: dt.date
    state: DayState = DayState.OPEN
    expected_cash_cents: int = 0
    counted_cash_cents: int | None = None
    card_cents: int = 0
    closed_by: str = ""
    closed_at: dt.datetime | None = None
    confirmed_by: str = ""
    confirmed_at: dt.datetime | None = None
    note: str = ""

    @property
    def difference_cents(self) -> int | None:
        """Counted minus expected: a shortfall is negative."""
        if self.counted_cash_cents is None:
            return None
        return self.counted_cash_cents - self.expected_cash_cents


@dataclass(frozen=True, slots=True)
class Totals:
    cash_cents: int
    card_cents: int
    bookings: int
    cancellations: int


def totals(entries: Iterable[TillEntry]) -> Totals:
    cash = card = bookings = cancellations = 0
    for entry in entries:
        if entry.method is TillMethod.CASH:
            cash += entry.amount_cents
        else:
            card += entry.amount_cents
        if entry.cancels is None:
            bookings += 1
        else:
            cancellations += 1
    return Totals(cash, card, bookings, cancellations)


def require_open(day: TillDay | None) -> None:
    if day is not None and day.state is not DayState.OPEN:
        raise DomainError("till.day_closed", day=day.day.isoformat(), counter=day.counter)


def cancellable(entry: TillEntry, entries: Iterable[TillEntry]) -> None:
    """A booking may be cancelled once; a cancellation is not cancelled (book again)."""
    if entry.cancels is not None:
        raise DomainError("till.cancel_cancellation", receipt=entry.receipt)
    if any(other.cancels == entry.id for other in entries):
        raise DomainError("till.cancelled_already", receipt=entry.receipt)


def close(
    day: TillDay,
    entries: Iterable[TillEntry],
    *,
    counted_cents: int,
    by: str,
    at: dt.datetime,
    note: str = "",
) -> TillDay:
    """The clerk counted the cash: expected and counted side by side; a difference needs a
    note saying what is known of it."""
    require_open(day)
    if counted_cents < 0:
        raise DomainError("till.counted_negative")
    summed = totals(entries)
    if counted_cents != summed.cash_cents and not note.strip():
        raise DomainError("till.difference_needs_note")
    return replace(
        day,
        state=DayState.CLOSED,
        expected_cash_cents=summed.cash_cents,
        counted_cash_cents=counted_cents,
        card_cents=summed.card_cents,
        closed_by=by,
        closed_at=at,
        note=note.strip()[:500],
    )


def confirm(day: TillDay, entries: Iterable[TillEntry], *, by: str, at: dt.datetime) -> TillDay:
    """Four eyes: the confirming person neither closed the day nor took any of its payments."""
    if day.state is not DayState.CLOSED:
        raise DomainError("till.not_closed", day=day.day.isoformat(), counter=day.counter)
    takers = {entry.by for entry in entries}
    if by == day.closed_by or by in takers:
        raise DomainError("till.confirm_own", login=by)
    return replace(day, state=DayState.CONFIRMED, confirmed_by=by, confirmed_at=at)


def receipt_number(office_code: str, year: int, number: int) -> str:
    """The Quittung's number: per office and year, gap-free ("SI-Q-2026-000042")."""
    return f"{office_code}-Q-{year}-{number:06d}"
