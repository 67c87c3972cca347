"""Data protection at a city's scale: a year of 250,000 cases (the demo generator), on SQLite
and on PostgreSQL (a private cluster, started and stopped by the run).

- the access report (DSGVO Art. 15) for one person, budget < 1 s, beside the plain lookup of
  the person's cases by birth date (the indexed query alone);
- the retention run two years later (everything finished is past its periods): every kind
  deleted in batches with an audit record per case and kind, beside the raw statements that
  delete and blank the same rows (no batches, no audit) on a copy of the same database.

    python bench/bench_retention.py [--cases 250000] [--engines sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.domain.access_report import Person  # noqa: E402
from app.domain.users import Role  # noqa: E402
from app.integrations.settings import Settings  # noqa: E402
from app.store.database import make_engine, upgrade  # noqa: E402
from app.wiring import build_core, seed_demo  # noqa: E402
from app.wiring.privacy import build_access_desk, build_retention  # noqa: E402
from sandbox.pgcluster import PostgresCluster  # noqa: E402

ACCESS_BUDGET_S = 1.0
LOGIN = "bench.dpo"
DATA = ROOT / "bench" / ".data"
FINISHED = "('rejected', 'collected', 'closed')"


def load(url: str, cases: int) -> None:
    """The schema and a year of demo cases into an empty database."""
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    core = build_core(Settings(database_url=url))
    started = time.perf_counter()
    seed_demo(core, count=cases, if_empty=False, login=LOGIN)
    print(f"  (loaded {cases:,} demo cases in {time.perf_counter() - started:.0f} s)")
    core.close()


def database(cases: int) -> Path:
    """A year of demo cases, made once and kept under bench/.data (the run works on copies)."""
    path = DATA / f"retention-{cases}.sqlite3"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        making = path.with_suffix(".making")
        load(f"sqlite:///{making}", cases)
        with sqlite3.connect(making) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        making.rename(path)
    return path


def copy(path: Path, folder: Path, name: str) -> Path:
    target = folder / name
    shutil.copyfile(path, target)
    return target


def access_report(url: str) -> None:
    core = build_core(Settings(database_url=url, login=LOGIN))
    engine = make_engine(url)
    with engine.connect() as connection:
        family, given, born = connection.execute(
            sa.text(
                "SELECT family_name, given_names, birth_date FROM cases "
                "WHERE birth_date IS NOT NULL ORDER BY id LIMIT 1 OFFSET 777"
            )
        ).one()
        plain = []
        for _ in range(7):
            started = time.perf_counter()
            connection.execute(
                sa.text("SELECT * FROM cases WHERE birth_date = :born"), {"born": born}
            ).fetchall()
            plain.append(time.perf_counter() - started)
    engine.dispose()
    person = Person(family, given, dt.date.fromisoformat(str(born)[:10]))
    user = next(u for u in core.users.users() if u.role is Role.ADMIN)
    desk = build_access_desk(core)
    times, found = [], 0
    for _ in range(7):
        started = time.perf_counter()
        found = len(desk.report(user=user, person=person).cases)
        times.append(time.perf_counter() - started)
    core.close()
    median = statistics.median(times)
    verdict = "ok" if median < ACCESS_BUDGET_S else "OVER BUDGET"
    print(
        f"  access report: {median * 1000:.0f} ms median ({found} cases of the person; budget "
        f"{ACCESS_BUDGET_S * 1000:.0f} ms: {verdict}); the lookup by birth date alone "
        f"{statistics.median(plain) * 1000:.1f} ms"
    )


def retention_run(url: str) -> tuple[float, dict[str, int], int]:
    core = build_core(Settings(database_url=url, login=LOGIN))
    later = core.clock.now() + dt.timedelta(days=730)
    started = time.perf_counter()
    result = build_retention(core).run(later, actor=LOGIN)
    seconds = time.perf_counter() - started
    core.close()
    counts = {kind.value: len(refs) for kind, refs in result.cases.items()}
    return seconds, counts, result.audit_records


def raw_statements(url: str) -> float:
    """The same rows deleted and blanked by plain SQL: what the database alone costs."""
    due = f"SELECT id FROM cases WHERE status IN {FINISHED}"
    empty_bytes = "x''" if url.startswith("sqlite") else "''::bytea"
    statements = [
        f"DELETE FROM attachments WHERE case_id IN ({due})",
        f"UPDATE case_events SET reason = '' WHERE case_id IN ({due})",
        f"UPDATE documents SET pdf = {empty_bytes}, seal = {empty_bytes} WHERE case_id IN ({due})",
        f"DELETE FROM notes WHERE case_id IN ({due})",
        f"DELETE FROM register_facts WHERE case_id IN ({due})",
        f"DELETE FROM case_tokens WHERE case_id IN ({due})",
        f"UPDATE outbox_messages SET recipient = '', subject = '', body = '' "
        f"WHERE case_id IN ({due})",
        "UPDATE cases SET family_name = '', given_names = '', birth_date = NULL, email = '', "
        f"mobile_phone = '', form_data = '{{}}', decision_reason = '' WHERE status IN {FINISHED}",
    ]
    engine = make_engine(url)
    with engine.begin() as connection:
        started = time.perf_counter()
        for statement in statements:
            connection.exec_driver_sql(statement)
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds


@contextmanager
def sqlite_copies(cases: int) -> Iterator[Callable[[str], str]]:
    """Each measurement's own copy of the kept SQLite database, as a URL."""
    kept = database(cases)
    with tempfile.TemporaryDirectory() as scratch:
        yield lambda name: f"sqlite:///{copy(kept, Path(scratch), f'{name}.sqlite3')}"


@contextmanager
def postgres_copies(cases: int) -> Iterator[Callable[[str], str]]:
    """A private cluster with the demo year loaded once; each measurement gets a copy made by
    CREATE DATABASE … TEMPLATE."""
    with PostgresCluster() as cluster:
        admin = sa.create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql("CREATE DATABASE kept")
        load(cluster.url("kept"), cases)
        with admin.connect() as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")

        def copied(name: str) -> str:
            with admin.connect() as connection:
                connection.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE kept")
            return cluster.url(name)

        try:
            yield copied
        finally:
            admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=250_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    arguments = parser.parse_args()
    for engine in arguments.engines.split(","):
        print(f"{engine}:")
        copies = sqlite_copies if engine == "sqlite" else postgres_copies
        with copies(arguments.cases) as copied:
            access_report(copied("access"))
            seconds, counts, pruned = retention_run(copied("run"))
            raw = raw_statements(copied("raw"))
        deleted = ", ".join(f"{kind} {count:,}" for kind, count in counts.items())
        print(
            f"  retention run two years on: {seconds:.1f} s ({deleted}; audit records pruned "
            f"{pruned:,}); the same rows by plain SQL: {raw:.1f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
