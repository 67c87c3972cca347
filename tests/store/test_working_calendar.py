"""One working-day calendar: the inbox's "überfällig" and the dashboard's SLA breaches name the
same cases around Good Friday (3.4.2026) and Corpus Christi (4.6.2026, a holiday in NRW), also
with the SLA overridden by the setting. The Meldebescheinigung's SLA is 2 working days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from app.domain.cases import OPEN_STATUSES
from app.domain.inbox import InboxQuery
from app.domain.users import User
from app.integrations.settings import Settings
from app.services.reporting import Period
from app.wiring import Core, build_core, build_reports
from tests.conftest import FixedClock, meldebescheinigung_form

SERVICE = "meldebescheinigung_einfach"


def at(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=dt.UTC)


def overridden(db_url: str, clock: FixedClock, sla: str) -> Iterator[Core]:
    """A second seat on the same database whose settings override the SLA."""
    core = build_core(Settings(database_url=db_url, sla_working_days=sla), clock=clock)
    yield core
    core.close()


def user(core: Core, login: str) -> User:
    found = core.users.by_login(login)
    assert found is not None
    return found


def receive(core: Core, clock: FixedClock, when: dt.datetime) -> str:
    clock.current = when
    return core.desk.open_walk_in(
        user=user(core, "a.becker"), service_id=SERVICE, form=meldebescheinigung_form()
    ).reference


def late_in_inbox(core: Core, now: dt.datetime) -> set[str]:
    """What the inbox marks "überfällig" (`InboxTableModel` asks the desk's calendar so)."""
    rows = core.desk.inbox_page(InboxQuery(), offset=0, limit=1000)
    return {
        row.reference
        for row in rows
        if row.status in OPEN_STATUSES
        and core.desk.calendar.late(row.service_id, row.received_at, now)
    }


def overdue_on_dashboard(core: Core, clock: FixedClock, now: dt.datetime) -> int:
    clock.current = now
    report = build_reports(core).report(
        user=user(core, "t.leitung"), period=Period(dt.date(2026, 3, 1), now.date())
    )
    return sum(row["open_overdue"] for row in report.sla)


def test_good_friday_and_easter_monday_are_not_working_days(
    core: Core, staff: dict[str, User], clock: FixedClock
) -> None:
    monday = receive(core, clock, at(3, 30))  # due Wed 1.4.: late on Tuesday after Easter
    receive(core, clock, at(4, 1))  # due Tue 7.4. (Mon–Fri alone would say Fri 3.4.)
    receive(core, clock, at(4, 2))  # due Wed 8.4.
    now = at(4, 7, 12)
    assert late_in_inbox(core, now) == {monday}
    assert overdue_on_dashboard(core, clock, now) == 1
    assert core.desk.calendar.due_day(SERVICE, at(4, 1)) == dt.date(2026, 4, 7)


def test_corpus_christi_counts_as_a_holiday_in_nrw(
    core: Core, staff: dict[str, User], clock: FixedClock
) -> None:
    tuesday = receive(core, clock, at(6, 2))  # due Fri 5.6.: Thursday 4.6. is Fronleichnam
    friday = at(6, 5, 12)
    assert late_in_inbox(core, friday) == set()
    assert overdue_on_dashboard(core, clock, friday) == 0
    monday = at(6, 8, 12)
    assert late_in_inbox(core, monday) == {tuesday}
    assert overdue_on_dashboard(core, clock, monday) == 1


def test_an_sla_set_by_the_setting_is_the_inboxs_and_the_dashboards(
    db_url: str, staff: dict[str, User], clock: FixedClock
) -> None:
    for core in overridden(db_url, clock, f"{SERVICE}=4"):
        early = receive(core, clock, at(3, 30))  # 4 working days over Easter: due Tue 7.4.
        receive(core, clock, at(4, 1))  # due Thu 9.4.
        now = at(4, 9, 12)
        assert core.desk.calendar.due_day(SERVICE, at(3, 30)) == dt.date(2026, 4, 7)
        assert late_in_inbox(core, now) == {early}
        assert overdue_on_dashboard(core, clock, now) == 1
