"""The hash chain itself, without a database."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from app.domain.audit import GENESIS_HASH, AuditEntry, AuditRecord, seal, verify_chain

AT = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def chain(length: int) -> list[AuditRecord]:
    records: list[AuditRecord] = []
    previous = GENESIS_HASH
    for seq in range(1, length + 1):
        record = seal(
            seq, AuditEntry("a.becker", "case.claim", f"SI-2026-{seq:06d}", "x", AT), previous
        )
        records.append(record)
        previous = record.hash
    return records


def test_intact_chain_verifies() -> None:
    records = chain(5)
    assert verify_chain(records, head_seq=5, head_hash=records[-1].hash) == []


def test_changed_removed_reordered_and_truncated_are_found() -> None:
    records = chain(5)
    changed = records.copy()
    changed[2] = replace(changed[2], entry=replace(changed[2].entry, actor="mallory"))
    assert any("changed" in p for p in verify_chain(changed))
    removed = records[:2] + records[3:]
    assert any("removed" in p for p in verify_chain(removed))
    reordered = [records[0], records[2], records[1], records[3], records[4]]
    assert any("reordered" in p for p in verify_chain(reordered))
    assert any(
        "head" in p for p in verify_chain(records[:4], head_seq=5, head_hash=records[-1].hash)
    )
