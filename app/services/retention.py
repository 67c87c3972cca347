"""The retention job's desk: what is due (a dry run), deleting it, a case's legal hold, the
periods it follows; for the administrator (in the window and by `buergerbuero retention`) and
once a day for the intake task, which runs it as the job itself (`RETENTION_ACTOR`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.errors import DomainError, NotFound
from app.domain.retention import RETENTION_ACTOR, DataKind, RetentionResult
from app.domain.users import Role, User
from app.ports import Clock, RetentionStore


@dataclass(frozen=True, slots=True)
class Period:
    """One kind's period: months after a case is finished, and where that comes from;
    `exceptions` are the services with a period of their own."""

    kind: DataKind
    months: int
    source: str
    exceptions: dict[str, int]


class RetentionDesk:
    def __init__(self, *, store: RetentionStore, clock: Clock) -> None:
        self.store, self.clock = store, clock

    def periods(self) -> list[Period]:
        rules = self.store.rules
        return [
            Period(
                kind,
                rules.months[kind],
                rules.sources.get(kind.value, ""),
                {
                    service: kinds[kind]
                    for service, kinds in sorted(rules.by_service.items())
                    if kind in kinds
                },
            )
            for kind in DataKind
        ]

    def preview(self, *, user: User) -> RetentionResult:
        """What a run now would delete; nothing changes."""
        user.require(Role.ADMIN, "see what the retention job deletes")
        return self.store.run(self.clock.now(), actor=user.login, dry_run=True)

    def run(self, *, user: User) -> RetentionResult:
        user.require(Role.ADMIN, "run the retention job")
        return self.store.run(self.clock.now(), actor=user.login)

    def hold(self, *, user: User, reference: str, reason: str) -> None:
        """Keep the case whole whatever its periods say; the reason (a file number, a
        court's letter) is needed."""
        user.require(Role.ADMIN, "set a legal hold")
        if not reason.strip():
            raise DomainError("retention.hold_reason_needed")
        self._hold(user, reference, reason.strip())

    def release(self, *, user: User, reference: str) -> None:
        user.require(Role.ADMIN, "end a legal hold")
        self._hold(user, reference, "")

    def _hold(self, user: User, reference: str, reason: str) -> None:
        found = self.store.hold(reference.strip(), reason, actor=user.login, at=self.clock.now())
        if not found:
            raise NotFound("retention.no_such_case", reference=reference.strip())

    def last_run(self) -> dt.datetime | None:
        return self.store.last_run()

    def run_if_due(self) -> RetentionResult | None:
        """The intake task's daily run: once a calendar day (UTC) across all seats; None when
        this day's run was already made."""
        now = self.clock.now()
        last = self.store.last_run()
        if last is not None and last.date() >= now.date():
            return None
        return self.store.run(now, actor=RETENTION_ACTOR)
