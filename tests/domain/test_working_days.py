"""The working-day calendar alone: SLAs, the box's hold period and its reminder, with the
holidays given as data (Easter 2026: Good Friday 3.4., Easter Monday 6.4.)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.catalogue import BOX_PICKUP, CatalogueError, default_catalogue
from app.domain.working_days import WorkingCalendar, WorkingDays

EASTER = WorkingDays.of({dt.date(2026, 4, 3), dt.date(2026, 4, 6)})
CALENDAR = WorkingCalendar.of_services(EASTER, default_catalogue().services)


def at(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=dt.UTC)


def test_working_days_skip_weekends_and_the_holidays_given() -> None:
    assert WorkingDays().add(dt.date(2026, 11, 20), 2) == dt.date(2026, 11, 24)
    assert EASTER.add(dt.date(2026, 4, 2), 1) == dt.date(2026, 4, 7)
    assert EASTER.back(dt.date(2026, 4, 7), 1) == dt.date(2026, 4, 2)
    assert EASTER.on_or_after(dt.date(2026, 4, 3)) == dt.date(2026, 4, 7)
    assert EASTER.between(dt.date(2026, 4, 1), dt.date(2026, 4, 7)) == 2


def test_a_case_is_due_on_its_slas_last_working_day_and_late_the_day_after() -> None:
    received = at(4, 1, 15)
    assert CALENDAR.due_day("meldebescheinigung_einfach", received) == dt.date(2026, 4, 7)
    assert CALENDAR.due_at("meldebescheinigung_einfach", received) == at(4, 7, 15)
    assert not CALENDAR.late("meldebescheinigung_einfach", received, at(4, 7, 23))
    assert CALENDAR.late("meldebescheinigung_einfach", received, at(4, 8, 0))
    overridden = WorkingCalendar.of_services(
        EASTER, default_catalogue().services, {"meldebescheinigung_einfach": 5}
    )
    assert overridden.due_day("meldebescheinigung_einfach", received) == dt.date(2026, 4, 10)


def test_the_box_hold_period_ends_on_a_working_day_and_its_reminder_counts_working_days() -> None:
    deadline = CALENDAR.box_deadline(at(3, 27), 7)  # 3.4. is Good Friday, 6.4. Easter Monday
    assert deadline == dt.datetime(2026, 4, 7, 23, 59, 59, tzinfo=dt.UTC)
    assert not CALENDAR.reminder_due(deadline, at(3, 31, 23), 2)
    assert CALENDAR.reminder_due(deadline, at(4, 1, 0), 2)  # two working days before 7.4.
    assert not CALENDAR.reminder_due(deadline, at(4, 8, 0), 2)  # past: it comes back instead


def test_the_box_services_setting_narrows_the_one_box_rule() -> None:
    catalogue = default_catalogue()
    offered = [s.id for s in catalogue.services if s.pickup_box]
    narrowed = catalogue.with_pickup_box(offered[:1])
    assert [s.id for s in narrowed.services if s.pickup_box] == offered[:1]
    other = narrowed.service(offered[1])
    assert BOX_PICKUP not in {spec.name for spec in other.fields}  # the form no longer asks
    assert BOX_PICKUP in {spec.name for spec in narrowed.service(offered[0]).fields}
    with pytest.raises(CatalogueError) as refused:
        catalogue.with_pickup_box(["ausweisabholung"])  # an ID card never goes into the box
    assert "box_services" in refused.value.text("en")


@pytest.mark.parametrize("today", [at(4, 7), at(4, 8, 23), at(4, 13), at(5, 20)])
def test_the_overdue_filter_names_the_same_cases_as_late(today: dt.datetime) -> None:
    """The drill-down's "received before" cut-off, around Easter: every case received before
    it is late, none from it on (the inbox's list and the dashboard's figure agree)."""
    service = "meldebescheinigung_einfach"
    cut = CALENDAR.late_before(service, today)
    for hours in range(0, 24 * 20, 7):
        received = today - dt.timedelta(hours=hours)
        assert CALENDAR.late(service, received, today) == (received < cut), received
