"""The one working-day calendar: Monday to Friday except the public holidays (NRW's come from
app/integrations/holiday_calendar.py). It answers every question about days in the house: when a
case is due and whether it is late (the inbox, the case, the dashboard, the SLA report), how long
an item waits in the pickup box and when its reminder goes. Pure: the holidays are data.

Days are UTC calendar days of the stored instants, as the reports' SQL counts them, so a case
the inbox calls late is one the dashboard counts as late."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field

from app.domain.catalogue import Service


def utc_day(instant: dt.datetime) -> dt.date:
    return instant.astimezone(dt.UTC).date()


def past_due(due_day: dt.date, as_of: dt.date) -> bool:
    """A case is late from the day after its due day."""
    return as_of > due_day


def _no_holidays(year: int) -> Collection[dt.date]:
    return ()


@dataclass(frozen=True, slots=True)
class WorkingDays:
    """Monday to Friday without the holidays that `holidays_in(year)` names (asked once a year)."""

    holidays_in: Callable[[int], Collection[dt.date]] = _no_holidays
    _years: dict[int, frozenset[dt.date]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, holidays: Collection[dt.date]) -> WorkingDays:
        """A calendar of the holidays given (tests, a fixed list)."""
        fixed = frozenset(holidays)
        return cls(lambda year: {day for day in fixed if day.year == year})

    def _holidays(self, year: int) -> frozenset[dt.date]:
        if year not in self._years:
            self._years[year] = frozenset(self.holidays_in(year))
        return self._years[year]

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self._holidays(day.year)

    def add(self, start: dt.date, days: int) -> dt.date:
        """The day `days` working days after `start` (the SLA's last day)."""
        current, remaining = start, days
        while remaining > 0:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def back(self, end: dt.date, days: int) -> dt.date:
        """The day `days` working days before `end`."""
        current, remaining = end, days
        while remaining > 0:
            current -= dt.timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def on_or_after(self, day: dt.date) -> dt.date:
        """`day` if it is a working day, else the next one."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        count, current = 0, start
        while current < end:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """Working days with each service's SLA (the catalogue's, overridden by the settings)."""

    days: WorkingDays
    sla_by_service: Mapping[str, int]

    @classmethod
    def of_services(
        cls,
        days: WorkingDays,
        services: Iterable[Service],
        overrides: Mapping[str, int] | None = None,
    ) -> WorkingCalendar:
        """Each service's SLA from the catalogue unless `overrides` (the setting) names it."""
        overrides = overrides or {}
        return cls(days, {s.id: overrides.get(s.id, s.sla_working_days) for s in services})

    def sla_days(self, service_id: str) -> int:
        return self.sla_by_service[service_id]

    def due_day(self, service_id: str, received_at: dt.datetime) -> dt.date:
        """The SLA's last day: the case is late from the day after."""
        return self.days.add(utc_day(received_at), self.sla_days(service_id))

    def due_at(self, service_id: str, received_at: dt.datetime) -> dt.datetime:
        """The received instant moved to its due day (cases due the same day keep their order)."""
        received = received_at.astimezone(dt.UTC)
        return received + (self.due_day(service_id, received_at) - received.date())

    def late(self, service_id: str, received_at: dt.datetime, as_of: dt.datetime) -> bool:
        """Whether a case received then and open (or decided) at `as_of` broke its SLA."""
        return self.late_by_days(service_id, utc_day(received_at), utc_day(as_of))

    def late_by_days(self, service_id: str, received: dt.date, as_of: dt.date) -> bool:
        """`late` for whole days (the reports group cases by their received day)."""
        return past_due(self.days.add(received, self.sla_days(service_id)), as_of)

    def late_before(self, service_id: str, as_of: dt.datetime) -> dt.datetime:
        """The instant before which a case of the service, still open at `as_of`, is late
        (the start of the UTC day after the last late received day): a list filter that
        names the same cases as `late`. Due days only grow with the received day, so the
        last late day is found walking back from today."""
        today = utc_day(as_of)
        day = today
        while not self.late_by_days(service_id, day, today):
            day -= dt.timedelta(days=1)
        after = day + dt.timedelta(days=1)
        return dt.datetime(after.year, after.month, after.day, tzinfo=dt.UTC)

    def box_deadline(self, loaded_at: dt.datetime, hold_days: int) -> dt.datetime:
        """The end of an item's hold period: `hold_days` after loading, moved on to a working day
        (items past it come back over the counter), at 23:59:59 UTC."""
        last_day = self.days.on_or_after(utc_day(loaded_at) + dt.timedelta(days=hold_days))
        return dt.datetime.combine(last_day, dt.time(23, 59, 59), tzinfo=dt.UTC)

    def reminder_due(self, deadline: dt.datetime, now: dt.datetime, days_before: int) -> bool:
        """From the start of the working day `days_before` working days before the deadline's
        day, until the deadline."""
        first = self.days.back(utc_day(deadline), days_before)
        return utc_day(now) >= first and now < deadline
