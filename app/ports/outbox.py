"""The outbox's store: messages written with the change that causes them, claimed and sent
by one worker (app.services.outbox)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from app.domain.audit import AuditEntry
from app.domain.outbox import OutboxSummary, OutgoingMessage, QueuedMessage


class Outbox(Protocol):
    def enqueue(
        self,
        messages: Sequence[OutgoingMessage],
        at: dt.datetime,
        *,
        audit: AuditEntry | None = None,
    ) -> None:
        """Messages on their own (no change of a case goes with them); `audit`, where given,
        recorded in the same transaction."""
        ...

    def claim_due(self, now: dt.datetime, *, limit: int) -> list[QueuedMessage]:
        """Due messages, each held for this worker a while (app.domain.outbox.CLAIM)."""
        ...

    def mark_sent(self, message_id: int, at: dt.datetime) -> None: ...

    def refuse(self, message_id: int, error: str) -> None: ...

    def retry(self, message_id: int, error: str, next_try: dt.datetime) -> None: ...

    def summary(self) -> OutboxSummary: ...

    def for_case(self, case_id: int) -> list[QueuedMessage]: ...
