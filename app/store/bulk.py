"""Bulk loading of whole case histories in few transactions (demo data, benchmarks)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import func, insert, select, text

from app.domain.audit import seal
from app.domain.new_case import HistoricCase
from app.domain.references import format_reference
from app.store.audit import audit_values, case_audit, lock_audit_head
from app.store.case_facts import fact_values
from app.store.case_rows import case_values, event_values, token_rows
from app.store.database import Database, utc
from app.store.models import (
    Base,
    CaseRow,
    OfficeRow,
    ReferenceCounterRow,
)

CHUNK = 2000
TABLES = Base.metadata.tables


class SqlCaseBulkLoader:
    """Writes cases, events, notes and their audit records; references and the audit chain
    continue exactly as single writes would continue them."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def load(self, cases: Sequence[HistoricCase]) -> int:
        for start in range(0, len(cases), CHUNK):
            self._load_chunk(cases[start : start + CHUNK])
        return len(cases)

    def _load_chunk(self, chunk: Sequence[HistoricCase]) -> None:
        with self._db.writing() as session:
            head = lock_audit_head(session)
            codes = {
                row.id: row.code for row in session.execute(select(OfficeRow.id, OfficeRow.code))
            }
            counters = {
                (row.office_id, row.year): row
                for row in session.execute(select(ReferenceCounterRow)).scalars()
            }
            case_rows: list[dict[str, Any]] = []
            for item in chunk:
                draft, final = item.draft, item.final
                key = (draft.office_id, draft.received_at.year)
                counter = counters.get(key)
                if counter is None:
                    counter = ReferenceCounterRow(office_id=key[0], year=key[1], last_number=0)
                    session.add(counter)
                    counters[key] = counter
                counter.last_number += 1
                reference = format_reference(codes[draft.office_id], key[1], counter.last_number)
                case_rows.append(
                    case_values(
                        draft,
                        reference,
                        updated_at=item.events[-1].at,
                        state=final,
                        version=len(item.events),
                    )
                )
            # Ids are given here rather than returned one by one: every case insert takes the
            # audit head lock first, so nobody else can take these numbers meanwhile.
            first_id = (session.execute(select(func.max(CaseRow.id))).scalar() or 0) + 1
            ids = list(range(first_id, first_id + len(case_rows)))
            for case_id, row in zip(ids, case_rows, strict=True):
                row["id"] = case_id
            session.flush()
            session.execute(insert(TABLES["cases"]), case_rows)
            session.execute(
                insert(TABLES["case_tokens"]),
                [
                    token
                    for item, row in zip(chunk, case_rows, strict=True)
                    for token in token_rows(row["id"], row["reference"], item.draft.applicant)
                ],
            )
            if session.get_bind().dialect.name == "postgresql":
                session.execute(
                    text("SELECT setval(pg_get_serial_sequence('cases', 'id'), :last)"),
                    {"last": ids[-1]},
                )
            events: list[dict[str, Any]] = []
            notes: list[dict[str, Any]] = []
            audit: list[dict[str, Any]] = []
            seq, last_hash = head.last_seq, head.last_hash
            for case_id, item, row in zip(ids, chunk, case_rows, strict=True):
                for event in item.events:
                    events.append(event_values(case_id, event))
                    seq += 1
                    entry = case_audit(row["reference"], event)
                    record = seal(seq, replace(entry, at=utc(entry.at)), last_hash)
                    last_hash = record.hash
                    audit.append(audit_values(record))
                notes.extend(
                    {"case_id": case_id, "author": n.author, "at": utc(n.at), "text": n.text}
                    for n in item.notes
                )
            session.execute(insert(TABLES["case_events"]), events)
            session.execute(
                insert(TABLES["case_facts"]),
                [
                    fact_values(
                        case_id,
                        office_id=item.draft.office_id,
                        service_id=item.draft.service_id,
                        channel=item.draft.channel.value,
                        received_at=item.draft.received_at,
                        events=item.events,
                    )
                    for case_id, item in zip(ids, chunk, strict=True)
                ],
            )
            if notes:
                session.execute(insert(TABLES["notes"]), notes)
            session.execute(insert(TABLES["audit_records"]), audit)
            head.last_seq, head.last_hash = seq, last_hash
