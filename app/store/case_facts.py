"""The per-case summary row (`case_facts`): written with the case, updated with the transitions
that the figures count (the first decision, the handover), in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain.cases import Case, CaseEvent
from app.store.database import utc
from app.store.models import CaseFactRow

DECISIONS = ("approve", "reject")
HANDED_OVER = ("hand_over", "collect")  # at the counter, or from the box


def _day(at: dt.datetime) -> str:
    return utc(at).date().isoformat()


def fact_values(
    case_id: int,
    *,
    office_id: int,
    service_id: str,
    channel: str,
    received_at: dt.datetime,
    events: Sequence[CaseEvent] = (),
) -> dict[str, Any]:
    """The row of a new case, or of a historic one from its events (the bulk loader)."""
    values: dict[str, Any] = {
        "case_id": case_id,
        "office_id": office_id,
        "service_id": service_id,
        "channel": channel,
        "received_at": utc(received_at),
        "received_day": _day(received_at),
        "decided_at": None,
        "decided_day": None,
        "decided_by": None,
        "decision_seconds": None,
        "handed_at": None,
        "handover_seconds": None,
    }
    for event in events:
        _apply(values, event, received_at)
    return values


def _apply(values: dict[str, Any], event: CaseEvent, received_at: dt.datetime) -> None:
    if event.action in DECISIONS and values["decided_at"] is None:
        values.update(
            decided_at=utc(event.at),
            decided_day=_day(event.at),
            decided_by=event.actor,
            decision_seconds=(utc(event.at) - utc(received_at)).total_seconds(),
        )
    elif event.action in HANDED_OVER and values["handed_at"] is None:
        decided = values["decided_at"]
        values.update(
            handed_at=utc(event.at),
            handover_seconds=(utc(event.at) - decided).total_seconds() if decided else None,
        )


def record_transition(session: Session, case: Case, event: CaseEvent) -> None:
    """The first decision or the handover, onto the case's summary row."""
    if event.action not in DECISIONS and event.action not in HANDED_OVER:
        return
    row = session.execute(
        select(CaseFactRow.decided_at, CaseFactRow.handed_at).where(CaseFactRow.case_id == case.id)
    ).first()
    if row is None:
        return
    values: dict[str, Any] = {
        "decided_at": row.decided_at and utc(row.decided_at),
        "handed_at": row.handed_at,
    }
    before = dict(values)
    _apply(values, event, case.received_at)
    changed = {k: v for k, v in values.items() if k not in before or before[k] != v}
    if changed:
        session.execute(
            update(CaseFactRow)
            .where(CaseFactRow.case_id == case.id)
            .values(**changed)
            .execution_options(synchronize_session=False)
        )
