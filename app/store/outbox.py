"""The outbox in the database (app.ports.outbox.Outbox): messages are written by `enqueue` in
the caller's transaction; a worker claims the due ones one by one (a conditional update, so
two workers never hold the same message) and records each outcome."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.orm import Session

from app.domain.audit import AuditEntry
from app.domain.outbox import (
    CLAIM,
    Channel,
    MessageState,
    OutboxSummary,
    OutgoingMessage,
    Pending,
    QueuedMessage,
)
from app.domain.payments import PlatformStatus
from app.domain.pickup import LoadingState
from app.store.audit import append_audit
from app.store.database import Database, utc
from app.store.models import (
    BoxLoadingRow,
    DocumentRow,
    IntakeSubmissionRow,
    OutboxMessageRow,
    PlatformPaymentRow,
    table_of,
)

OUTBOX = table_of(OutboxMessageRow)

# the other side effects that wait, each in its own table (app.domain.outbox.Pending)
_PENDING = {
    Pending.PORTAL_ANSWERS: select(func.count()).where(IntakeSubmissionRow.event_sent.is_(False)),
    Pending.PAYMENTS: select(func.count()).where(
        PlatformPaymentRow.status == PlatformStatus.INITIAL.value,
        PlatformPaymentRow.transaction_id == "",
    ),
    Pending.BOX_CODES: select(func.count()).where(BoxLoadingRow.state == LoadingState.LOADED.value),
    Pending.TIMESTAMPS: select(func.count()).where(DocumentRow.timestamp_pending.is_(True)),
}


def enqueue(session: Session, messages: Sequence[OutgoingMessage], at: dt.datetime) -> None:
    """Store `messages` inside the caller's transaction, due at once."""
    if not messages:
        return
    session.execute(
        insert(OUTBOX),
        [
            {
                "key": m.key,
                "channel": m.channel.value,
                "case_id": m.case_id,
                "reference": m.reference,
                "recipient": m.recipient,
                "subject": m.subject,
                "body": m.body,
                "state": MessageState.PENDING.value,
                "attempts": 0,
                "next_try_at": at,
                "claimed_until": None,
                "last_error": "",
                "created_at": at,
                "sent_at": None,
            }
            for m in messages
        ],
    )


def _queued(row: OutboxMessageRow) -> QueuedMessage:
    return QueuedMessage(
        id=row.id,
        message=OutgoingMessage(
            Channel(row.channel),
            row.recipient,
            row.body,
            row.reference,
            subject=row.subject,
            case_id=row.case_id,
            key=row.key,
        ),
        state=MessageState(row.state),
        attempts=row.attempts,
        next_try=utc(row.next_try_at) if row.next_try_at else None,
        last_error=row.last_error,
        created_at=utc(row.created_at),
        sent_at=utc(row.sent_at) if row.sent_at else None,
    )


class SqlOutbox:
    def __init__(self, database: Database) -> None:
        self._db = database

    def enqueue(
        self,
        messages: Sequence[OutgoingMessage],
        at: dt.datetime,
        *,
        audit: AuditEntry | None = None,
    ) -> None:
        with self._db.writing() as session:
            enqueue(session, messages, at)
            if audit is not None:
                append_audit(session, audit)

    def claim_due(self, now: dt.datetime, *, limit: int) -> list[QueuedMessage]:
        """Up to `limit` due messages, each claimed until now + CLAIM: pending and due, or
        held by a worker whose claim ran out (it was killed mid-send)."""
        due = and_(
            OutboxMessageRow.state == MessageState.PENDING.value,
            OutboxMessageRow.next_try_at <= now,
            or_(
                OutboxMessageRow.claimed_until.is_(None),
                OutboxMessageRow.claimed_until < now,
            ),
        )
        claimed = []
        with self._db.writing() as session:
            ids = session.scalars(
                select(OutboxMessageRow.id).where(due).order_by(OutboxMessageRow.id).limit(limit)
            ).all()
            for message_id in ids:
                taken = session.execute(
                    update(OutboxMessageRow)
                    .where(OutboxMessageRow.id == message_id, due)
                    .values(claimed_until=now + CLAIM)
                )
                if taken.rowcount == 1:  # type: ignore[attr-defined]
                    claimed.append(message_id)
            rows = session.scalars(
                select(OutboxMessageRow).where(OutboxMessageRow.id.in_(claimed))
            ).all()
            return [_queued(row) for row in sorted(rows, key=lambda r: r.id)]

    def mark_sent(self, message_id: int, at: dt.datetime) -> None:
        self._finish(message_id, state=MessageState.SENT, sent_at=at, last_error="")

    def refuse(self, message_id: int, error: str) -> None:
        self._finish(message_id, state=MessageState.REFUSED, last_error=error[:200])

    def retry(self, message_id: int, error: str, next_try: dt.datetime) -> None:
        with self._db.writing() as session:
            session.execute(
                update(OutboxMessageRow)
                .where(OutboxMessageRow.id == message_id)
                .values(
                    attempts=OutboxMessageRow.attempts + 1,
                    next_try_at=next_try,
                    claimed_until=None,
                    last_error=error[:200],
                )
            )

    def _finish(self, message_id: int, *, state: MessageState, **values: object) -> None:
        with self._db.writing() as session:
            session.execute(
                update(OutboxMessageRow)
                .where(OutboxMessageRow.id == message_id)
                .values(
                    state=state.value,
                    attempts=OutboxMessageRow.attempts + 1,
                    claimed_until=None,
                    next_try_at=None,
                    **values,
                )
            )

    def summary(self) -> OutboxSummary:
        with self._db.reading() as session:
            rows = session.execute(
                select(
                    OutboxMessageRow.channel,
                    OutboxMessageRow.state,
                    func.count(),
                    func.min(OutboxMessageRow.created_at),
                )
                .where(OutboxMessageRow.state != MessageState.SENT.value)
                .group_by(OutboxMessageRow.channel, OutboxMessageRow.state)
            ).all()
            pending = {kind: session.scalar(count) or 0 for kind, count in _PENDING.items()}
        waiting = {
            Channel(channel): count
            for channel, state, count, _oldest in rows
            if state == MessageState.PENDING.value
        }
        refused = sum(count for _c, state, count, _o in rows if state == MessageState.REFUSED)
        oldest = min(
            (utc(o) for _c, state, _n, o in rows if state == MessageState.PENDING.value),
            default=None,
        )
        return OutboxSummary(waiting, refused, oldest, pending)

    def for_case(self, case_id: int) -> list[QueuedMessage]:
        with self._db.reading() as session:
            rows = session.scalars(
                select(OutboxMessageRow)
                .where(OutboxMessageRow.case_id == case_id)
                .order_by(OutboxMessageRow.id)
            ).all()
            return [_queued(row) for row in rows]
