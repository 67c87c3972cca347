"""The counter till's journal and its days (app.store.till.SqlTillJournal)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from app.domain.cases import Case, CaseEvent
from app.domain.till import DayState, TillDay, TillEntry


@dataclass(frozen=True, slots=True)
class FinanceRow:
    """One booking as the city's finance system imports it."""

    day: dt.date
    kassenzeichen: str
    amount_cents: int
    method: str
    account: str
    cost_centre: str
    product: str
    booking_text: str


class FinanceExport(Protocol):
    """Writes a confirmed day's bookings in the finance system's import format."""

    def write(self, rows: Sequence[FinanceRow], target: Path) -> None: ...


class TillJournal(Protocol):
    def book(
        self,
        draft: TillEntry,
        *,
        event_for: Callable[[str], tuple[Case, CaseEvent]],
        expected_version: int,
    ) -> tuple[TillEntry, Case]: ...

    def entry(self, entry_id: int) -> TillEntry: ...

    def by_receipt(self, receipt: str) -> TillEntry | None: ...

    def entries(self, office_id: int, counter: str, day: dt.date) -> list[TillEntry]: ...

    def entries_of_office(self, office_id: int, day: dt.date) -> list[TillEntry]: ...

    def entries_for_case(self, case_id: int) -> list[TillEntry]: ...

    def day(self, office_id: int, counter: str, day: dt.date) -> TillDay: ...

    def days(self, office_id: int, day: dt.date) -> list[TillDay]: ...

    def save_day(
        self, day: TillDay, *, expected: DayState, by: str, at: dt.datetime
    ) -> TillDay: ...
