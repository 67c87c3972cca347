"""Payments benchmark against the sandbox payment platform over real HTTP and a real SQLite
store:

- the payment sync for 5,000 open payments (each asked on the platform, stored, half of them
  booked and their cases' fees settled), beside the raw HTTP round trips for the same 5,000
  status questions in the same run;
- a till's day closing with 800 bookings (read the journal, total it, store the closing with its
  audit record), budget < 1 s, beside reading the 800 entries alone.

    python bench/bench_payments.py
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from app.domain.cases import CaseStatus, Channel, PaymentState  # noqa: E402
from app.domain.identity import IdentityLevel  # noqa: E402
from app.domain.payments import (  # noqa: E402
    Booking,
    PaymentSource,
    PlatformPayment,
    PlatformStatus,
    payment_request,
)
from app.domain.till import TillMethod  # noqa: E402
from app.domain.users import DEFAULT_OFFICES, Role  # noqa: E402
from app.integrations.payment_platform import XBezahldiensteClient  # noqa: E402
from app.integrations.settings import Settings  # noqa: E402
from app.services.payments import PaymentDesk  # noqa: E402
from app.store.database import upgrade  # noqa: E402
from app.store.models import CaseRow  # noqa: E402
from app.store.payments import SqlPaymentRepository, payment_row  # noqa: E402
from app.wiring import Core, build_core, build_till  # noqa: E402
from sandbox.payment_platform.process import PlatformProcess  # noqa: E402
from sandbox.payment_platform.state import PlatformState  # noqa: E402

PAYMENTS, BOOKINGS = 5_000, 800
CLOSING_BUDGET_S = 1.0


def cases(core: Core, count: int, status: CaseStatus, assignee: str | None) -> list[int]:
    now = dt.datetime.now(dt.UTC)
    office = {o.code: o.id for o in core.users.offices()}["SI"]
    ids = []
    with core.database.writing() as session:
        for n in range(count):
            ids.append(
                session.execute(
                    insert(CaseRow)
                    .values(
                        reference=f"SI-2026-{len(ids) + 1 + (900000 if assignee else 0):06d}",
                        office_id=office,
                        service_id="meldebescheinigung_einfach",
                        channel=Channel.ONLINE.value,
                        status=status.value,
                        assignee=assignee,
                        family_name="Muster",
                        given_names=f"Bench {n}",
                        birth_date=dt.date(1980, 1, 1),
                        email="",
                        form_data={"delivery": "paper"},
                        identity_required=int(IdentityLevel.HIGH),
                        identity_verified=int(IdentityLevel.HIGH),
                        fee_cents=900,
                        payment=PaymentState.OPEN.value,
                        received_at=now,
                        due_at=now,
                        updated_at=now,
                    )
                    .returning(CaseRow.id)
                ).scalar_one()
            )
    return ids


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-payments-") as folder:
        settings = Settings(database_url=f"sqlite:///{Path(folder) / 'desk.sqlite3'}")
        core = build_core(settings)
        upgrade(core.database.engine)
        for code, name in DEFAULT_OFFICES:
            core.users.save_office(code, name, actor="setup", at=core.clock.now())
        with PlatformProcess(Path(folder) / "platform") as platform:
            client = XBezahldiensteClient(
                platform.base_url,
                originator=platform.originator,
                endpoint=platform.endpoint,
                auth="basic",
                client_id=platform.client_id,
                secret=platform.client_secret,
            )
            repository = SqlPaymentRepository(core.database)
            now = dt.datetime.now(dt.UTC)
            started = time.perf_counter()
            # the platform's side written into its own state (a fixture, not measured): 5,000
            # payments, every other one paid; ours in one transaction
            state = PlatformState(platform.directory / "payments.sqlite3")
            rows = []
            for index, case_id in enumerate(cases(core, PAYMENTS, CaseStatus.RECEIVED, None)):
                made = state.create(
                    platform.originator,
                    platform.endpoint,
                    payment_request(
                        request_id=f"bench-{index}",
                        reference=f"B{index}",
                        service="Meldebescheinigung",
                        fee_cents=900,
                        booking=Booking("431100", "1220"),
                        redirect_url="",
                        at=now,
                    ),
                )
                if index % 2 == 0:
                    state.settle(made["transaction_id"], "BOOKED")
                payment = PlatformPayment(
                    case_id=case_id,
                    source=PaymentSource.PORTAL,
                    request_id=f"bench-{index}",
                    status=PlatformStatus.INITIAL,
                    amount_cents=900,
                    transaction_id=made["transaction_id"],
                    status_url=f"{platform.base_url}/paymenttransaction/{platform.originator}/"
                    f"{platform.endpoint}/{made['transaction_id']}",
                    next_check_at=now,
                )
                rows.append(payment_row(payment, at=now))
            with core.database.writing() as session:
                session.add_all(rows)
            setup = time.perf_counter() - started
            urls = [p.status_url for p in repository.due(now, limit=PAYMENTS)]
            session = requests.Session()
            session.auth = (platform.client_id, platform.client_secret)
            started = time.perf_counter()
            for url in urls:
                session.get(url, timeout=10).json()
            raw_http = time.perf_counter() - started
            desk = PaymentDesk(
                payments=repository,
                cases=core.cases,
                audit=core.audit,
                clock=core.clock,
                catalogue=core.catalogue,
                platform=client,
            )
            started = time.perf_counter()
            report = desk.sync(limit=PAYMENTS)
            sync = time.perf_counter() - started
        clerk = core.users.save_user(
            actor="setup",
            at=core.clock.now(),
            login="bench.clerk",
            display_name="Bench",
            role=Role.CLERK,
            office_id=core.users.offices()[0].id,
            active=True,
        )
        till = build_till(core)
        office = {o.code: o.id for o in core.users.offices()}["SI"]
        started = time.perf_counter()
        for case_id in cases(core, BOOKINGS, CaseStatus.IN_PROGRESS, "bench.clerk"):
            till.pay(user=clerk, case_id=case_id, method=TillMethod.CASH, counter="Theke-1")
        booking_s = time.perf_counter() - started
        started = time.perf_counter()
        entries = till.journal.entries(office, "Theke-1", till.today())
        raw_read = time.perf_counter() - started
        started = time.perf_counter()
        closed = till.close_day(
            user=clerk, office_id=office, counter="Theke-1", counted_cents=BOOKINGS * 900
        )
        closing = time.perf_counter() - started
        core.close()
    figures = {
        "sync_payments": report.asked,
        "sync_booked": report.booked,
        "sync_s": round(sync, 2),
        "sync_ms_per_payment": round(sync / max(report.asked, 1) * 1000, 2),
        "raw_http_status_s": round(raw_http, 2),
        "raw_http_ms_per_request": round(raw_http / len(urls) * 1000, 2),
        "setup_create_on_platform_s": round(setup, 1),
        "till_bookings": len(entries),
        "till_booking_ms_each": round(booking_s / BOOKINGS * 1000, 2),
        "closing_s": round(closing, 3),
        "closing_budget_s": CLOSING_BUDGET_S,
        "raw_read_entries_s": round(raw_read, 3),
        "closing_expected_cents": closed.expected_cash_cents,
    }
    print(json.dumps(figures, indent=1))
    ok = closing < CLOSING_BUDGET_S and report.asked == PAYMENTS
    print("within budget" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
