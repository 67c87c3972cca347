"""Report benchmark: a year for a city of about 100,000 (250,000 cases with their events from the
demo generator), on SQLite and on PostgreSQL.

- every KPI query, p95 over the rounds, budget ≤ 300 ms, beside the plain SQL of the same query
  (its compiled text run through the driver, nothing of ours around it);
- the dashboard opening (the whole report, tables and charts filled), budget ≤ 1 s, with the
  report's queries side by side as the application runs them, and beside it one after another;
  the per-query figures come from the rounds one after another (each query alone);
- each export (CSV, XLSX, the council's PDF), budget ≤ 2 s.

    python bench/bench_report.py [--cases 250000] [--engines sqlite,postgresql] [--rounds 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.domain.users import Role  # noqa: E402
from app.integrations.settings import Settings  # noqa: E402
from app.services.report_files import tables_csv, tables_xlsx  # noqa: E402
from app.services.report_tables import report_tables  # noqa: E402
from app.services.reporting import Period  # noqa: E402
from app.store.database import make_engine, upgrade  # noqa: E402
from app.store.reporting import SqlReporting  # noqa: E402
from app.wiring import build_core, build_reports, seed_demo  # noqa: E402
from sandbox.pgcluster import PostgresCluster  # noqa: E402

QUERY_BUDGET_MS, OPEN_BUDGET_S, EXPORT_BUDGET_S = 300.0, 1.0, 2.0
LOGIN = "bench.lead"
DATA = ROOT / "bench" / ".data"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def loaded(url: str, cases: int) -> float | None:
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    core = build_core(Settings(database_url=url))
    started = time.perf_counter()
    written = seed_demo(core, count=cases, if_empty=True, login=LOGIN)
    seconds = time.perf_counter() - started
    office = core.users.offices()[0]
    core.users.save_user(
        actor="setup",
        at=core.clock.now(),
        login=LOGIN,
        display_name=LOGIN,
        role=Role.SUPERVISOR,
        office_id=office.id,
        active=True,
    )
    core.close()
    return seconds if written else None


def plain(url: str, statement: Any) -> float:
    """The query's compiled SQL through the driver alone."""
    engine = make_engine(url)
    text = str(statement.compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.connect() as connection:
        started = time.perf_counter()
        connection.exec_driver_sql(text).fetchall()
        seconds = time.perf_counter() - started
    engine.dispose()
    return seconds


def measure(url: str, rounds: int) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    from printing.report_pdf import council_report
    from ui.dashboard_page import DashboardPage

    application = QApplication.instance() or QApplication([])
    core = build_core(Settings(database_url=url))
    desk = build_reports(core)
    store = desk.store
    assert isinstance(store, SqlReporting)
    user = core.users.by_login(LOGIN)
    assert user is not None
    today = core.clock.now().date()
    period = Period(today - dt.timedelta(days=364), today)
    per_query: dict[str, list[float]] = {}
    statements: dict[str, Any] = {}
    opens: dict[int, list[float]] = {}
    seen: list[str] = []
    side_by_side = desk.readers
    for readers in (1, side_by_side):
        desk.readers = readers
        for _ in range(rounds):
            store.trace, seen = ([] if readers == 1 else None), []
            started = time.perf_counter()
            report = desk.report(user=user, period=period)
            page = DashboardPage(
                runner=None,  # type: ignore[arg-type]  (shown directly, not loaded on a lane)
                desk=desk,
                catalogue=core.catalogue,
                user=lambda: user,
                offices=core.users.offices,
            )
            page._show(report)
            application.processEvents()
            opens.setdefault(readers, []).append(time.perf_counter() - started)
            for figure, statement, seconds in store.trace or []:
                name = f"{figure}#{seen.count(figure)}" if figure in seen else figure
                seen.append(figure)
                per_query.setdefault(name, []).append(seconds)
                statements[name] = statement
            page.deleteLater()
    tables = report_tables(report, core.catalogue)
    exports = {}
    for kind, make in (
        ("csv", lambda: tables_csv(tables).encode()),
        ("xlsx", lambda: tables_xlsx(tables, basis=report.basis)),
        ("pdf", lambda: council_report(report, tables, settings=core.settings)),
    ):
        started = time.perf_counter()
        make()
        exports[kind] = round(time.perf_counter() - started, 3)
    queries = {
        name: {
            "p95_ms": round(p95(values) * 1000, 1),
            "plain_sql_ms": round(plain(url, statements[name]) * 1000, 1),
        }
        for name, values in per_query.items()
    }
    core.close()
    worst = max(q["p95_ms"] for q in queries.values())
    opening = p95(opens[side_by_side])
    return {
        "queries": queries,
        "worst_query_p95_ms": worst,
        "dashboard_open_s_p95": round(opening, 3),
        "readers": side_by_side,
        "dashboard_open_one_after_another_s_p95": round(p95(opens[1]), 3),
        "exports_s": exports,
        "within_budget": worst <= QUERY_BUDGET_MS
        and opening <= OPEN_BUDGET_S
        and max(exports.values()) <= EXPORT_BUDGET_S,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=250_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    results: dict[str, Any] = {}
    for engine in args.engines.split(","):
        if engine == "sqlite":
            DATA.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{DATA / f'report-{args.cases}.sqlite3'}"
            load = loaded(url, args.cases)
            results["sqlite"] = {"load_s": load, **measure(url, args.rounds)}
        else:
            with PostgresCluster() as cluster:
                url = cluster.url()
                load = loaded(url, args.cases)
                results["postgresql"] = {"load_s": load, **measure(url, args.rounds)}
    print(json.dumps(results, indent=1))
    ok = all(result["within_budget"] for result in results.values())
    print("within budget" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
