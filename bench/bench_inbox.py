"""Inbox benchmark: 200,000 cases with a year of events, on SQLite and on PostgreSQL.

Reports cold start to an interactive inbox, filter/search/sort latency (p50/p95) as the raw
query and as the UI shows it, and peak RSS, against the budgets of the foundation issue:
cold start <= 2 s, p95 <= 150 ms, RSS <= 400 MB.

    python bench/bench_inbox.py [--cases N] [--engines sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.integrations.settings import Settings  # noqa: E402
from app.store.database import make_engine, upgrade  # noqa: E402
from app.wiring import build_core, seed_demo  # noqa: E402
from sandbox.pgcluster import PostgresCluster  # noqa: E402

BUDGET_COLD_START_S = 1.0  # the house issue: <= 1 s beside the bare interpreter + Qt
BUDGET_P95_MS = 150.0
BUDGET_RSS_MIB = 400.0
LOGIN = "bench.clerk"
DATA = ROOT / "bench" / ".data"


def load(url: str, cases: int) -> float:
    started = time.perf_counter()
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    core = build_core(Settings(database_url=url))
    seed_demo(core, count=cases, if_empty=True, login=LOGIN)
    core.close()
    return time.perf_counter() - started


def sqlite_url(cases: int) -> tuple[str, float | None]:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"inbox-{cases}.sqlite3"
    url = f"sqlite:///{path}"
    if path.exists():  # reused from an earlier run (delete bench/.data to rebuild), upgraded
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        return url, None
    return url, load(url, cases)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def probe(url: str) -> dict[str, object]:
    """Three cold starts of the real window (each a new process); the first also measures the
    queries. A start right after loading the data meets a file cache the load has emptied, so
    the first start is reported and the budget holds for the median."""
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "BUERGERBUERO_SETTINGS_FILE": "/nonexistent",
    }
    starts: list[float] = []
    measured: dict[str, object] = {}
    for attempt in range(3):
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "inbox_probe.py"), url, LOGIN],
            stdout=subprocess.PIPE,
            text=True,
            env={**environment, **({} if attempt == 0 else {"BENCH_REPEATS": "0"})},
        )
        assert process.stdout is not None
        ready = json.loads(process.stdout.readline())
        starts.append(time.perf_counter() - started)
        done = json.loads(process.stdout.readline())
        process.wait(timeout=600)
        if attempt == 0:
            measured = {"in_process": ready["seconds_in_process"], **done}
    return {"cold_start": statistics.median(starts), "first_start": starts[0], **measured}


def bare_start() -> float:
    """Interpreter + Qt + an empty window shown, nothing of ours: the raw limit, median of 3."""
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    times = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "qt_bare_probe.py")],
            check=True,
            capture_output=True,
            env=environment,
        )
        times.append(time.perf_counter() - started)
    return sorted(times)[1]


def report(
    engine: str, cases: int, load_seconds: float | None, measured: dict[str, object]
) -> bool:
    ok = True
    print(
        f"\n## {engine}: {cases:,} cases"
        + (f" (loaded in {load_seconds:.0f} s)" if load_seconds else " (reused)")
    )
    cold = float(measured["cold_start"])  # type: ignore[arg-type]
    rss = float(measured["peak_rss_mib"])  # type: ignore[arg-type]
    ok &= cold <= BUDGET_COLD_START_S and rss <= BUDGET_RSS_MIB
    bare = bare_start()
    first = float(measured["first_start"])  # type: ignore[arg-type]
    print(
        f"cold start to interactive inbox: {cold:.2f} s, median of 3 (budget "
        f"{BUDGET_COLD_START_S} s); the first, right after loading: {first:.2f} s"
    )
    print(f"bare interpreter + Qt + an empty window, same run: {bare:.2f} s (the raw limit)")
    print(f"peak RSS of the GUI process: {rss:.0f} MiB (budget {BUDGET_RSS_MIB:.0f} MiB)")
    print()
    print("UI = from the filter/search/sort change until the rows are on screen; the count")
    print(
        "(capped at 10,000) follows in its own task: 'count shown' is when the status bar has it."
    )
    print()
    headers = (
        "page raw p50",
        "page raw p95",
        "count raw p95",
        "UI p50",
        "UI p95",
        "count shown p95",
    )
    print(f"| {'scenario':34} | " + " | ".join(headers) + " | budget |")
    print(f"|{'-' * 36}|" + "|".join("-" * (len(h) + 1) + ":" for h in headers) + "|--------|")
    for row in measured["results"]:  # type: ignore[attr-defined]
        raw = [v * 1000 for v in row["raw"]]
        raw_count = [v * 1000 for v in row["raw_count"]]
        ui = [v * 1000 for v in row["ui"]]
        ui_count = [v * 1000 for v in row["ui_count"]]
        within = percentile(ui, 0.95) <= BUDGET_P95_MS
        ok &= within
        verdict = "ok" if within else "OVER"
        print(
            f"| {row['scenario']:34} | {statistics.median(raw):12.1f} "
            f"| {percentile(raw, 0.95):12.1f} "
            f"| {percentile(raw_count, 0.95):13.1f} | {statistics.median(ui):6.1f} "
            f"| {percentile(ui, 0.95):6.1f} | {percentile(ui_count, 0.95):15.1f} | {verdict:6} |"
        )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args()
    engines = args.engines.split(",")
    print(f"# Inbox benchmark ({os.cpu_count()} cores); times in ms unless marked")
    ok = True
    if "sqlite" in engines:
        url, seconds = sqlite_url(args.cases)
        ok &= report("SQLite", args.cases, seconds, probe(url))
    if "postgresql" in engines:
        with PostgresCluster() as cluster:
            import sqlalchemy as sa

            admin = sa.create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.exec_driver_sql("CREATE DATABASE bench")
            admin.dispose()
            url = cluster.url("bench")
            seconds = load(url, args.cases)
            engine = make_engine(url)
            with engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
                connection.commit()
            engine.dispose()
            ok &= report("PostgreSQL", args.cases, seconds, probe(url))
    print("\nall budgets met" if ok else "\nSOME BUDGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
