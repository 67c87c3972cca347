"""Anchors of the audit chain outside the database. Whoever can write to the database can
delete the last records and rewind the head to match; an anchor (the head's number and hash,
timestamped by a TSA, written to a folder those users cannot rewrite) proves how long the
chain was at that moment, and `audit verify` checks the chain against every anchor."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from app.ports import AnchorStore, AuditLog, Clock, Timestamper

FORMAT = "buergerbuero-audit-anchor/1"


def anchored_digest(seq: int, chain_hash: str) -> bytes:
    """What the TSA stamps: the format, the record's number and its chain hash."""
    return hashlib.sha256(f"{FORMAT}\n{seq}\n{chain_hash}".encode()).digest()


@dataclass
class AnchorVerdict:
    """`problems`: anchors the chain contradicts (empty: it agrees with all). `proven_up_to`:
    the highest record an intact anchor vouches for; `proven_at`: that anchor's time (the
    TSA's where stamped)."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    anchors: int = 0
    proven_up_to: int = 0
    proven_at: dt.datetime | None = None


class AuditAnchoring:
    def __init__(
        self,
        *,
        audit: AuditLog,
        store: AnchorStore,
        timestamper: Timestamper | None,
        clock: Clock,
        stamp: bool = True,
    ) -> None:
        """`timestamper` checks the anchors' tokens; with `stamp` it also stamps new ones
        (a seat without a TSA writes unstamped anchors, which prove less: see docs/admin.md)."""
        self.audit, self.store, self.timestamper, self.clock = audit, store, timestamper, clock
        self.stamp = stamp

    def anchor(self) -> str:
        """Write the chain's current head as a new anchor; its file name. A TSA that fails
        leaves no anchor (OSError): an unstamped one would prove less than it seems to."""
        self.store.ready()  # before the TSA is asked: a stamp that cannot be kept is waste
        seq, chain_hash = self.audit.head()
        now = self.clock.now().astimezone(dt.UTC)
        token = b""
        if self.timestamper is not None and self.stamp:
            token = self.timestamper.stamp(anchored_digest(seq, chain_hash))
        name = f"audit-anchor-{seq:012d}-{now:%Y%m%dT%H%M%S%fZ}.json"
        content = {
            "format": FORMAT,
            "seq": seq,
            "hash": chain_hash,
            "anchored_at": now.isoformat(),
            "timestamp": base64.b64encode(token).decode() if token else None,
        }
        self.store.write(name, json.dumps(content, indent=1).encode())
        return name

    def due(self, *, interval_seconds: int) -> bool:
        """Whether an anchor is due: none yet, the latest older than the interval, or from an
        earlier day (each day's end is anchored by the first run of the next)."""
        latest = self._latest_time()
        now = self.clock.now().astimezone(dt.UTC)
        return (
            latest is None
            or (now - latest).total_seconds() >= interval_seconds
            or latest.date() != now.date()
        )

    def _latest_time(self) -> dt.datetime | None:
        times = []
        for _name, content in self.store.anchors():
            try:
                times.append(dt.datetime.fromisoformat(json.loads(content)["anchored_at"]))
            except (ValueError, KeyError, TypeError):
                continue
        return max(times, default=None)

    def check(self) -> AnchorVerdict:
        """The chain against every anchor: the record an anchor names must be there with the
        hash it names, and a timestamped anchor's token must be intact and over that."""
        verdict = AnchorVerdict()
        head_seq, _head_hash = self.audit.head()
        pruned_seq, pruned_hash = self.audit.pruned()
        for name, content in self.store.anchors():
            verdict.anchors += 1
            try:
                anchor = json.loads(content)
                seq, chain_hash = int(anchor["seq"]), str(anchor["hash"])
                anchored_at = dt.datetime.fromisoformat(anchor["anchored_at"])
                token = base64.b64decode(anchor["timestamp"]) if anchor["timestamp"] else b""
            except (ValueError, KeyError, TypeError):
                verdict.problems.append(f"anchor {name}: unreadable")
                continue
            at = anchored_at
            if token:
                if self.timestamper is None:
                    verdict.notes.append(f"anchor {name}: its timestamp is not checked here")
                else:
                    stamp = self.timestamper.check(token, anchored_digest(seq, chain_hash))
                    if not stamp.intact:
                        verdict.problems.append(
                            f"anchor {name}: its timestamp does not match what it names "
                            "(the anchor was changed)"
                        )
                        continue
                    at = stamp.at or anchored_at
                    if not stamp.trusted:
                        verdict.notes.append(
                            f"anchor {name}: timestamped by '{stamp.authority}', not in "
                            "audit_anchor_tsa_trust_file"
                        )
            if seq == 0:
                continue
            if seq < pruned_seq or (seq == pruned_seq and chain_hash == pruned_hash):
                verdict.notes.append(f"anchor {name}: its record {seq} was deleted by retention")
                continue
            record = self.audit.record(seq)
            if record is None or record.hash != chain_hash:
                what = "is missing" if record is None else "has another hash"
                verdict.problems.append(
                    f"anchor {name} (of {at:%Y-%m-%d %H:%M:%S} UTC) names record {seq}, which "
                    f"{what}; the chain now ends at {head_seq}: records were removed or changed "
                    "and the head rewound"
                )
                continue
            if seq > verdict.proven_up_to:
                verdict.proven_up_to, verdict.proven_at = seq, at
        return verdict
