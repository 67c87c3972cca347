"""Outage benchmark on a real PostgreSQL server (the central database) and a seat's SQLite
journal:

- a week's offline work of one seat: 2,000 walk-in cases, each with its events, a cash
  payment (till entry), a note and a document (number from the seat's block, a small PDF);
- the merge of that journal into the central database, beside the raw insert of the same rows
  (every carried row, with Core's executemany, into a scratch database on the same server) in
  the same run;
- the switch to the journal after the server is stopped (budget 5 s: a read fails, the seat
  diverts, a read on the journal answers), and the switch back after it is started again (a
  probe every 0.5 s finds it, the journal is merged; budget: the window's longest wait between
  two probes of a database that is gone, 10 s, plus the merge).

    python bench/bench_outage.py
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

import sqlalchemy as sa  # noqa: E402

from app.domain.document_kinds import DocumentKind  # noqa: E402
from app.domain.document_register import MadeDocument  # noqa: E402
from app.domain.errors import DatabaseUnavailable  # noqa: E402
from app.domain.inbox import InboxQuery  # noqa: E402
from app.domain.outage import Series  # noqa: E402
from app.domain.users import DEFAULT_OFFICES, Role  # noqa: E402
from app.integrations.settings import Settings  # noqa: E402
from app.store.database import Database, make_engine, ping, upgrade  # noqa: E402
from app.store.journal import CASE_TREE, read_state, rows_of, table  # noqa: E402
from app.wiring import build_core  # noqa: E402
from app.wiring.outage import build_outage  # noqa: E402
from sandbox.pgcluster import PostgresCluster  # noqa: E402

CASES = 2_000
SWITCH_BUDGET_S = 5.0
PROBE_INTERVAL_S = 10.0  # the window probes the central database at least this often
PDF = b"%PDF-1.7\n" + b"0" * 2048


def main() -> int:
    with PostgresCluster() as server, tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(server.url())
        upgrade(engine)
        engine.dispose()
        settings = Settings(
            database_url=server.url(),
            database_timeout_ms=2000,
            data_dir=str(Path(scratch) / "seat"),
            till_counter="Bench-Theke",
        )
        core = build_core(settings)
        for code, name in DEFAULT_OFFICES:
            core.users.save_office(code, name, actor="setup", at=core.clock.now())
        office = {o.code: o.id for o in core.users.offices()}["SI"]
        clerk = core.users.save_user(
            actor="setup",
            at=core.clock.now(),
            login="bench.clerk",
            display_name="Bench",
            role=Role.CLERK,
            office_id=office,
            active=True,
        )
        journal_engine = make_engine(f"sqlite:///{Path(scratch) / 'journal.sqlite3'}")
        upgrade(journal_engine)
        journal = Database(journal_engine)
        desk, switch = build_outage(core, journal)
        desk.sizes = {series: CASES + 100 for series in Series}
        desk.prepare(user=clerk, office="SI")

        server.pause()
        started = time.perf_counter()
        try:
            ping(core.database)
        except DatabaseUnavailable:
            switch.to_journal()
        core.desk.inbox_page(InboxQuery(), offset=0, limit=50)
        to_journal = time.perf_counter() - started

        started = time.perf_counter()
        fees = core.desk.fees
        assert fees is not None
        for n in range(CASES):
            case = core.desk.open_walk_in(
                user=clerk,
                service_id="meldebescheinigung_einfach",
                form={
                    "family_name": "Woche",
                    "given_names": f"Bench {'ABCDEFGHIJ'[n % 10]}",
                    "birth_date": "01.02.1970",
                    "delivery": "paper",
                },
                claim=True,
            )
            fees.take(user=clerk, case_id=case.id, way="cash")
            core.desk.add_note(user=clerk, case_id=case.id, text="offline aufgenommen")
            now = core.clock.now()
            reservation = core.documents.reserve(
                core.cases.get(case.id), DocumentKind.MELDEBESCHEINIGUNG, by=clerk.login, at=now
            )
            core.documents.record(
                reservation, MadeDocument(pdf=PDF, pages=1, seal=b"\xdc\x03"), by=clerk.login
            )
        offline_s = time.perf_counter() - started

        with journal.reading() as session:
            state = read_state(session)
            assert state is not None
            carried_rows = {
                name: rows_of(
                    session,
                    table(name),
                    table(name).c.id > state.watermarks.get(name, 0)
                    if "id" in table(name).c
                    else None,
                )
                for name in ("cases", *CASE_TREE)
            }
        row_count = sum(len(rows) for rows in carried_rows.values())

        server.resume()
        started = time.perf_counter()
        while True:
            try:
                ping(core.database)
                break
            except DatabaseUnavailable:
                time.sleep(0.5)
        found = time.perf_counter() - started
        switch.to_central()
        merge_started = time.perf_counter()
        report = desk.merge_back(by=clerk.login, office_id=office)
        merge_s = time.perf_counter() - merge_started
        back_s = time.perf_counter() - started

        raw = sa.create_engine(server.url(), isolation_level="AUTOCOMMIT")
        with raw.connect() as connection:
            connection.exec_driver_sql("CREATE DATABASE raw_insert")
        raw.dispose()
        target = make_engine(server.url("raw_insert"))
        upgrade(target)
        with target.begin() as connection:
            connection.execute(sa.text("SET session_replication_role = replica"))  # no FKs
            started = time.perf_counter()
            for name, rows in carried_rows.items():
                if rows:
                    connection.execute(sa.insert(table(name)), rows)
            raw_s = time.perf_counter() - started
        target.dispose()

        verified = core.audit.verify()
        total = core.desk.inbox_count(InboxQuery())
        core.close()
        journal.dispose()
    figures = {
        "offline_cases": CASES,
        "offline_work_s": round(offline_s, 1),
        "rows_carried": row_count,
        "merge_s": round(merge_s, 2),
        "merge_ms_per_case": round(merge_s / CASES * 1000, 2),
        "raw_insert_same_rows_s": round(raw_s, 2),
        "merge_over_raw": round(merge_s / max(raw_s, 1e-9), 1),
        "merged_cases": report.cases,
        "switch_to_journal_s": round(to_journal, 3),
        "switch_to_journal_budget_s": SWITCH_BUDGET_S,
        "server_found_again_s": round(found, 2),
        "switch_back_s": round(back_s, 2),
        "switch_back_budget_s": round(PROBE_INTERVAL_S + merge_s, 2),
        "audit_chain_broken": len(verified),
        "central_cases": total,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    print(json.dumps(figures, indent=1))
    ok = (
        to_journal < SWITCH_BUDGET_S
        and found < PROBE_INTERVAL_S
        and report.cases == CASES
        and not verified
        and total == CASES
    )
    print("within budget" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
