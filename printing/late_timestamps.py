"""Originals sealed while the TSA did not answer get their document timestamp once it does:
the register's marked originals, a batch at a time (printing lane; the register's calls on
`database`, the window's database lane or in place in a command)."""

from __future__ import annotations

from pyhanko.sign.timestamps import TimeStamper

from app.lanes import OnLane, in_place
from app.ports import Clock
from app.ports.documents import DocumentRegister
from printing import pades

BATCH = 200


def stamp_waiting(
    register: DocumentRegister,
    timestamper: TimeStamper,
    *,
    by: str,
    clock: Clock,
    database: OnLane = in_place,
) -> int:
    """How many were stamped; TimestampUnavailable (after those) when the TSA stops again."""
    stamped = 0
    while waiting := database(register.awaiting_timestamp, limit=BATCH):
        for document_id, _number, pdf in waiting:
            with_timestamp = pades.add_document_timestamp(pdf, timestamper)
            database(register.add_timestamp, document_id, with_timestamp, by=by, at=clock.now())
            stamped += 1
    return stamped
