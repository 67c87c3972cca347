"""`audit verify` while clerks work: the chain is read as of one moment, so appends during the
check never look like removed records; a chain really cut short is still found."""

from __future__ import annotations

import datetime as dt
import threading
import time

from sqlalchemy import delete, func, select, update

from app.domain.audit import AuditEntry
from app.store.models import AuditHeadRow, AuditRecordRow
from app.wiring import Core

RUNS = 30


def _append_until(core: Core, stop: threading.Event, writer: int) -> None:
    number = 0
    while not stop.is_set():
        number += 1
        core.audit.append(
            AuditEntry(
                f"clerk{writer}",
                "case.viewed",
                f"SI-2026-{number:06d}",
                "",
                dt.datetime.now(dt.UTC),
            )
        )


def test_verify_says_intact_while_two_writers_append(core: Core) -> None:
    stop = threading.Event()
    writers = [
        threading.Thread(target=_append_until, args=(core, stop, n), daemon=True) for n in (1, 2)
    ]
    for writer in writers:
        writer.start()
    verdicts: list[list[str]] = []
    deadline = time.monotonic() + 120
    try:  # at least RUNS checks, and on until the writers have appended 2 x RUNS records
        while len(verdicts) < RUNS or _chain_length(core) < 2 * RUNS:
            assert time.monotonic() < deadline
            verdicts.append(core.audit.verify())
    finally:
        stop.set()
        for writer in writers:
            writer.join(timeout=30)
    assert [v for v in verdicts if v] == []


def _chain_length(core: Core) -> int:
    with core.database.reading() as session:
        return int(session.execute(select(func.count()).select_from(AuditRecordRow)).scalar_one())


def test_a_chain_cut_short_is_still_found(core: Core) -> None:
    for number in range(5):
        core.audit.append(
            AuditEntry("clerk", "case.viewed", f"SI-2026-{number:06d}", "", dt.datetime.now(dt.UTC))
        )
    last, _ = core.audit.head()  # (the offices' creation came first)
    with core.database.writing() as session:
        session.execute(delete(AuditRecordRow).where(AuditRecordRow.seq == last))
    (problem,) = core.audit.verify()
    assert f"chain ends at {last - 1} but its recorded head is {last}" in problem
    with core.database.writing() as session:  # the head rewound too: only an anchor can tell
        session.execute(update(AuditHeadRow).values(last_seq=last - 1))
    assert core.audit.verify() != []  # the head's hash still names the last record
