"""Working days: Monday to Friday, except the public holidays given (NRW's come from
app/integrations/holiday_calendar.py). Pure: the holidays are data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WorkingDays:
    holidays: frozenset[dt.date] = frozenset()

    @classmethod
    def of(cls, holidays: Collection[dt.date]) -> WorkingDays:
        return cls(frozenset(holidays))

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def add(self, start: dt.date, days: int) -> dt.date:
        """The day `days` working days after `start` (the SLA's last day)."""
        current, remaining = start, days
        while remaining > 0:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        count, current = 0, start
        while current < end:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count
