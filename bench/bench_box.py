"""Pickup box benchmark against the emulated controller over real HTTP and a real SQLite store:

- the box view of a 608-compartment box with 300 items loaded: the desk's view (the box's
  compartments over HTTP, our loadings from the database, merged) and the Qt table filled and
  painted, budget ≤ 200 ms, beside the plain HTTP GET and the plain loadings query;
- catching up 10,000 events (`sync`: read by cursor in pages, stored once, handled,
  reconciled), budget ≤ 2 s, beside reading the same events over HTTP alone.

    python bench/bench_box.py [--rounds 10]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from app.domain.cases import CaseStatus, Channel, PaymentState  # noqa: E402
from app.domain.identity import IdentityLevel  # noqa: E402
from app.domain.pickup import LoadingState, Size  # noqa: E402
from app.domain.users import DEFAULT_OFFICES  # noqa: E402
from app.integrations.notifier import MailAndSms  # noqa: E402
from app.integrations.pickup_box import HttpPickupBox  # noqa: E402
from app.integrations.settings import Settings  # noqa: E402
from app.services.pickup import PickupDesk  # noqa: E402
from app.store.database import upgrade  # noqa: E402
from app.store.models import BoxLoadingRow, CaseRow  # noqa: E402
from app.store.pickup import SqlPickupRecords  # noqa: E402
from app.wiring import Core, box_rules, build_core  # noqa: E402
from sandbox.pickup_box.process import BoxProcess  # noqa: E402

VIEW_BUDGET_MS, CATCH_UP_BUDGET_S = 200.0, 2.0
TOKEN = "bench-token"
COMPARTMENTS, LOADED, EVENTS = 608, 300, 10_000


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def loaded_cases(core: Core, count: int) -> None:
    """Printed cases and their loadings, written directly (a benchmark's fixture)."""
    import datetime as dt

    from sqlalchemy import insert

    now = dt.datetime.now(dt.UTC)
    office = {o.code: o.id for o in core.users.offices()}["SI"]
    with core.database.writing() as session:
        for n in range(count):
            case_id = session.execute(
                insert(CaseRow)
                .values(
                    reference=f"SI-2026-{n + 1:06d}",
                    office_id=office,
                    service_id="meldebescheinigung_einfach",
                    channel=Channel.ONLINE.value,
                    status=CaseStatus.BOXED.value,
                    family_name="Muster",
                    given_names="Bench",
                    birth_date=dt.date(1980, 1, 1),
                    email="bench@example.org",
                    form_data={},
                    identity_required=int(IdentityLevel.HIGH),
                    identity_verified=int(IdentityLevel.HIGH),
                    fee_cents=900,
                    payment=PaymentState.PAID.value,
                    received_at=now,
                    due_at=now,
                    updated_at=now,
                )
                .returning(CaseRow.id)
            ).scalar_one()
            session.add(
                BoxLoadingRow(
                    case_id=case_id,
                    office_code="SI",
                    compartment=str(n + 1),
                    state=LoadingState.CODE_SENT.value,
                    size=Size.S.value,
                    step_free=False,
                    hold_days=7,
                    code_digest="0" * 64,
                    deadline=now + dt.timedelta(days=7),
                    opened_at=now,
                    loaded_at=now,
                    loaded_by="bench",
                    confirmed_by="",
                )
            )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication, QTableView

    from ui.box_model import BoxFilter, BoxTableModel

    application = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="bench-box-") as folder:
        path = Path(folder) / "desk.sqlite3"
        with BoxProcess(Path(folder) / "box", boxes={"SI": COMPARTMENTS}, token=TOKEN) as box:
            settings = Settings(
                database_url=f"sqlite:///{path}", pickup_boxes=f"SI={box.url('SI')}"
            )
            core = build_core(settings)
            upgrade(core.database.engine)
            for code, name in DEFAULT_OFFICES:
                core.users.save_office(code, name, actor="setup", at=core.clock.now())
            loaded_cases(core, LOADED)
            desk = PickupDesk(  # no keyring on a benchmark machine: the token given directly
                cases=core.cases,
                records=SqlPickupRecords(core.database),
                boxes={"SI": HttpPickupBox(box.url("SI"), TOKEN)},
                notifier=MailAndSms(None),
                mailer=None,
                rules=box_rules(settings),
                catalogue=core.catalogue,
                calendar=core.calendar,
                places=dict,
                code_key=lambda: b"bench-key",
                clock=core.clock,
            )

            headers = {"Authorization": f"Bearer {TOKEN}"}
            session = requests.Session()
            http, query, views, renders = [], [], [], []
            model = BoxTableModel()
            table = QTableView()
            table.setModel(BoxFilter(model))
            table.resize(1400, 800)
            table.show()
            for _ in range(args.rounds):
                started = time.perf_counter()
                session.get(f"{box.url('SI')}/v1/compartments", headers=headers, timeout=10).json()
                http.append(time.perf_counter() - started)
                started = time.perf_counter()
                desk.records.active("SI")
                query.append(time.perf_counter() - started)
                started = time.perf_counter()
                rows = desk.view("SI")
                views.append(time.perf_counter() - started)
                started = time.perf_counter()
                model.show(rows, core.clock.now())
                table.viewport().repaint()
                application.processEvents()
                renders.append(time.perf_counter() - started)
            assert len(rows) == COMPARTMENTS

            box.physical("SI").many_events(EVENTS)
            started = time.perf_counter()
            cursor, fetched = None, 0
            while True:
                body = session.get(
                    f"{box.url('SI')}/v1/events",
                    params={"limit": 1000, **({"after": cursor} if cursor else {})},
                    headers=headers,
                    timeout=30,
                ).json()
                fetched += len(body["events"])
                if len(body["events"]) < 1000:
                    break
                cursor = body["cursor"]
            http_events = time.perf_counter() - started
            started = time.perf_counter()
            report = desk.sync("SI")
            catch_up = time.perf_counter() - started
            core.close()

    total = [v + r for v, r in zip(views, renders, strict=True)]
    figures = {
        "box_view_ms_p95": round(p95(total) * 1000, 1),
        "box_view_budget_ms": VIEW_BUDGET_MS,
        "desk_view_ms_median": round(statistics.median(views) * 1000, 1),
        "table_fill_and_paint_ms_median": round(statistics.median(renders) * 1000, 1),
        "raw_http_compartments_ms_median": round(statistics.median(http) * 1000, 1),
        "raw_loadings_query_ms_median": round(statistics.median(query) * 1000, 1),
        "catch_up_events": report.events,
        "catch_up_s": round(catch_up, 2),
        "catch_up_budget_s": CATCH_UP_BUDGET_S,
        "raw_http_events_s": round(http_events, 2),
        "raw_http_events_fetched": fetched,
    }
    print(json.dumps(figures, indent=1))
    ok = figures["box_view_ms_p95"] <= VIEW_BUDGET_MS and catch_up <= CATCH_UP_BUDGET_S
    print("within budget" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
