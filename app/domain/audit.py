"""The hash-chained audit log: each record's hash covers its content and its predecessor's hash,
so a changed, removed or reordered record breaks the chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS_HASH = "0" * 64


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """What happened, without personal data: the case is named by its reference only."""

    actor: str
    action: str
    subject: str
    detail: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class AuditRecord:
    seq: int
    entry: AuditEntry
    prev_hash: str
    hash: str


def chain_hash(seq: int, entry: AuditEntry, prev_hash: str) -> str:
    canonical = json.dumps(
        [
            seq,
            entry.at.isoformat(timespec="microseconds"),
            entry.actor,
            entry.action,
            entry.subject,
            entry.detail,
            prev_hash,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def seal(seq: int, entry: AuditEntry, prev_hash: str) -> AuditRecord:
    return AuditRecord(seq, entry, prev_hash, chain_hash(seq, entry, prev_hash))


def verify_chain(
    records: Iterable[AuditRecord],
    *,
    head_seq: int | None = None,
    head_hash: str | None = None,
    start_seq: int = 0,
    start_hash: str = GENESIS_HASH,
) -> list[str]:
    """Problems found walking the chain in storage order; empty when intact.

    `head_seq`/`head_hash` are the chain's recorded tip, which catches records cut off the end;
    `start_seq`/`start_hash` the last record retention deleted, which the first kept one
    links to (nothing deleted: 0 and the genesis hash).
    """
    problems: list[str] = []
    expected_prev = start_hash
    expected_seq = start_seq + 1
    last: AuditRecord | None = None
    for record in records:
        if record.seq != expected_seq:
            problems.append(
                f"record {record.seq}: expected sequence {expected_seq} (removed or reordered)"
            )
        if record.prev_hash != expected_prev:
            problems.append(
                f"record {record.seq}: link to predecessor broken (removed or reordered)"
            )
        if chain_hash(record.seq, record.entry, record.prev_hash) != record.hash:
            problems.append(f"record {record.seq}: content does not match its hash (changed)")
        expected_prev = record.hash
        expected_seq = record.seq + 1
        last = record
    if head_seq is not None:
        last_seq = last.seq if last else start_seq
        last_hash = last.hash if last else start_hash
        if last_seq != head_seq or (head_hash is not None and last_hash != head_hash):
            problems.append(
                f"chain ends at {last_seq} but its recorded head is {head_seq} (records removed)"
            )
    return problems
