"""The supervisors' figures against hand-computed values on a small fixed data set, the same on
SQLite and PostgreSQL; the role gate; working days over NRW's holidays; `buergerbuero report`.

The data (all Bürgerbüro Siegen, Meldebescheinigung, SLA 2 working days):
  A received Mon 16.11. 09:00, approved Wed 18.11. 09:00: 2 working days, 48 h, in time
  B received Mon 16.11. 10:00, approved Fri 20.11. 10:00: 4 working days, 96 h, late
  C received Tue 17.11. 09:00, still open on Fri 20.11. 12:00: 3 days old, overdue
"""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.cases import PaymentState
from app.domain.errors import PermissionDenied
from app.domain.identity import IdentityLevel
from app.domain.users import User
from app.domain.working_days import WorkingDays
from app.integrations.holiday_calendar import nrw_holidays, nrw_working_days
from app.services.reporting import Period
from app.wiring import Core, build_reports
from tests.conftest import FixedClock, meldebescheinigung_form

UTC = dt.UTC


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=UTC)


def received(core: Core, clerk: User, clock: FixedClock, when: dt.datetime) -> int:
    clock.current = when
    return core.desk.open_walk_in(
        user=clerk, service_id="meldebescheinigung_einfach", form=meldebescheinigung_form()
    ).id


def approved(core: Core, clerk: User, clock: FixedClock, case_id: int, when: dt.datetime) -> None:
    clock.current = when
    desk = core.desk
    desk.claim(user=clerk, case_id=case_id)
    desk.verify_identity(
        user=clerk, case_id=case_id, level=IdentityLevel.HIGH, method="counter_visual", note="PA"
    )
    desk.record_payment(user=clerk, case_id=case_id, state=PaymentState.PAID, reference="bar")
    desk.approve(user=clerk, case_id=case_id)


@pytest.fixture
def figures(core: Core, staff: dict[str, User], clock: FixedClock):  # type: ignore[no-untyped-def]
    clerk = staff["clerk"]
    a = received(core, clerk, clock, at(16, 9))
    b = received(core, clerk, clock, at(16, 10))
    received(core, clerk, clock, at(17, 9))
    approved(core, clerk, clock, a, at(18, 9))
    approved(core, clerk, clock, b, at(20, 10))
    clock.current = at(20, 12)
    return build_reports(core).report(
        user=staff["supervisor"], period=Period(dt.date(2026, 11, 16), dt.date(2026, 11, 20))
    )


def test_incoming_by_day_service_and_channel_and_the_online_share(figures) -> None:  # type: ignore[no-untyped-def]
    assert figures.incoming == [
        {
            "day": "2026-11-16",
            "service": "meldebescheinigung_einfach",
            "channel": "counter",
            "cases": 2,
        },
        {
            "day": "2026-11-17",
            "service": "meldebescheinigung_einfach",
            "channel": "counter",
            "cases": 1,
        },
    ]
    assert figures.channels == {"online": 0, "counter": 3, "pdf_form": 0}
    assert figures.online_share == 0.0


def test_backlog_by_age_and_office_and_sla_breaches(figures) -> None:  # type: ignore[no-untyped-def]
    siegen = [row for row in figures.backlog if row["office"] == "SI"]
    assert siegen == [
        {"office": "SI", "age_days": "0–2", "cases": 0},
        {"office": "SI", "age_days": "3–5", "cases": 1},
        {"office": "SI", "age_days": "6–10", "cases": 0},
        {"office": "SI", "age_days": "> 10", "cases": 0},
    ]
    others = [row for row in figures.backlog if row["office"] != "SI"]
    assert len(others) == 12 and all(row["cases"] == 0 for row in others)  # zeros shown too
    assert figures.sla == [
        {
            "service": "meldebescheinigung_einfach",
            "sla_working_days": 2,
            "decided": 2,
            "decided_late": 1,
            "open": 1,
            "open_overdue": 1,
        }
    ]


def test_processing_time_percentiles(figures) -> None:  # type: ignore[no-untyped-def]
    decided = figures.processing["received_to_decided"]["meldebescheinigung_einfach"]
    assert decided == {"cases": 2.0, "p50_hours": 48.0, "p90_hours": 96.0}
    assert figures.processing["decided_to_handed_over"] == {}


def test_waiting_unpaid_and_the_box_without_data(figures) -> None:  # type: ignore[no-untyped-def]
    assert figures.waiting == {
        "waiting_on_citizen": 0,
        "quarantined": 0,
        "unpaid": 1,  # C: its fee not yet recorded
        "paid_not_released": 2,  # A and B approved, paid, not printed
        "released_unpaid": 0,
        "payments_failed": 0,
        "till_days_unconfirmed": 0,
        "till_difference_cents": 0,
    }
    assert figures.box is None  # no box used yet: "no data", not zero


def test_only_supervisors_get_figures(core: Core, staff: dict[str, User]) -> None:
    with pytest.raises(PermissionDenied):
        build_reports(core).report(
            user=staff["clerk"], period=Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
        )


def test_working_days_skip_weekends_and_nrw_holidays() -> None:
    days = nrw_working_days()
    assert days.add(dt.date(2026, 4, 2), 1) == dt.date(2026, 4, 7)  # Good Friday, Easter Monday
    assert days.between(dt.date(2026, 12, 23), dt.date(2026, 12, 28)) == 2  # 24th and 28th
    assert dt.date(2026, 6, 4) in nrw_holidays([2026])  # Corpus Christi: NRW, not Berlin
    assert dt.date(2026, 11, 1) in nrw_holidays([2026])
    assert WorkingDays().between(dt.date(2026, 11, 16), dt.date(2026, 11, 20)) == 4


def test_the_exports_csv_xlsx_and_the_councils_pdf(
    figures, core: Core, staff: dict[str, User], tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    from app.wiring import build_core
    from printing.report_cli import main as report_main

    monkeypatch.setenv("BUERGERBUERO_DATABASE_URL", core.settings.database_url)
    monkeypatch.setenv("BUERGERBUERO_LOGIN", staff["supervisor"].login)
    # the command on the test's clock: the figures are as of the test's day, not today's
    monkeypatch.setattr(
        "app.wiring.build_core", lambda settings: build_core(settings, clock=core.clock)
    )
    period = ["--from", "2026-11-16", "--to", "2026-11-20"]
    for name in ("csv", "xlsx", "pdf"):
        assert report_main([*period, "--format", name, "--out", str(tmp_path / f"r.{name}")]) == 0
    text = (tmp_path / "r.csv").read_text("utf-8-sig")
    assert "Fristen je Leistung" in text
    assert "Meldebescheinigung (einfach);2;2;1;1;1" in text

    workbook = load_workbook(io.BytesIO((tmp_path / "r.xlsx").read_bytes()))
    assert workbook.sheetnames == [
        "incoming",
        "backlog",
        "sla",
        "processing",
        "throughput",
        "figures",
        "basis",
    ]
    sla = list(workbook["sla"].iter_rows(min_row=3, values_only=True))
    assert sla == [("Meldebescheinigung (einfach)", 2, 2, 1, 1, 1)]

    pdf = PdfReader(str(tmp_path / "r.pdf"))
    first = pdf.pages[0].extract_text()
    assert "Bericht der Bürgerbüros" in first and "16.11.2026 bis 20.11.2026" in first
    every = "\n".join(page.extract_text() for page in pdf.pages)
    assert f"Seite 1 von {len(pdf.pages)}" in every and "Datengrundlage" in every
    assert "LPVG NRW" in every  # which rule applied to per-clerk figures

    monkeypatch.setenv("BUERGERBUERO_LOGIN", staff["clerk"].login)
    assert report_main([*period, "--format", "json"]) == 2  # a clerk gets no figures


def test_throughput_per_office_and_per_fte(figures) -> None:  # type: ignore[no-untyped-def]
    assert figures.throughput == [
        {
            "office": "SI",
            "decided": 2,
            "working_days": 5,
            "per_day": 0.4,
            "fte": None,
            "per_fte_day": None,
        }
    ]
    assert figures.per_clerk == [] and "no per-clerk figures" in figures.basis["per_clerk"]


def test_per_clerk_figures_only_when_switched_on_and_never_for_a_small_group(
    core: Core, staff: dict[str, User], clock: FixedClock
) -> None:
    first, second = staff["clerk"], staff["clerk2"]
    a = received(core, first, clock, at(16, 9))
    b = received(core, first, clock, at(16, 10))
    approved(core, first, clock, a, at(17, 9))
    desk = build_reports(core)
    desk.per_clerk, desk.min_group, desk.staffing = True, 1, {"SI": 2.0}  # 1: taken as 2
    period = Period(dt.date(2026, 11, 16), dt.date(2026, 11, 20))
    clock.current = at(20, 12)
    alone = desk.report(user=staff["supervisor"], period=period)
    assert alone.per_clerk == [] and "withheld for SI" in alone.basis["per_clerk"]
    assert alone.throughput[0]["per_fte_day"] == 0.1  # 1 decision / 5 days / 2 FTE
    approved(core, second, clock, b, at(20, 11))
    clock.current = at(20, 12)
    two = desk.report(user=staff["supervisor"], period=period)
    assert two.per_clerk == [
        {"office": "SI", "clerk": "a.becker", "decided": 1},
        {"office": "SI", "clerk": "b.schulz", "decided": 1},
    ]


def test_payment_figures_count_deferred_failed_and_the_tills_differences(
    core: Core, staff: dict[str, User], clock: FixedClock
) -> None:
    """What the supervisor's dashboard says about money: fees deferred, online payments that
    failed with the fee still open, till closings waiting for their second person and the
    period's cash differences."""
    from app.domain.payments import PaymentSource, PlatformPayment, PlatformStatus
    from app.domain.till import TillMethod
    from app.store.payments import SqlPaymentRepository
    from app.wiring import build_till
    from tests.conftest import meldebescheinigung_form

    clerk, supervisor = staff["clerk"], staff["supervisor"]

    def paper() -> int:
        return core.desk.open_walk_in(
            user=clerk,
            service_id="meldebescheinigung_einfach",
            form=meldebescheinigung_form(delivery="paper"),
            claim=True,
        ).id

    deferred = paper()
    core.desk.release_unpaid(user=supervisor, case_id=deferred, reason="zahlt bei Abholung")
    failed = paper()
    SqlPaymentRepository(core.database).add(
        PlatformPayment(failed, PaymentSource.LINK, "r-failed", PlatformStatus.FAILED, 900),
        at=clock.now(),
    )
    till = build_till(core)
    entry = till.pay(user=clerk, case_id=paper(), method=TillMethod.CASH, counter="T1")
    till.close_day(
        user=clerk,
        office_id=entry.office_id,
        counter="T1",
        counted_cents=850,
        note="50 Cent fehlen",
    )
    period = Period(clock.now().date() - dt.timedelta(days=1), clock.now().date())
    report = build_reports(core).report(user=supervisor, period=period)
    assert report.waiting["released_unpaid"] == 1
    assert report.waiting["payments_failed"] == 1
    assert report.waiting["till_days_unconfirmed"] == 1
    assert report.waiting["till_difference_cents"] == -50
    assert report.waiting["unpaid"] >= 2  # the deferred fee is still a fee to collect
