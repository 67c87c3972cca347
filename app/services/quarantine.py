"""The quarantine for clerks: what could not become a case, its raw bytes, and settling an
entry once the clerk has dealt with it (applicant told, case opened by hand, no application).
Reading the raw bytes (personal data) is audited like opening a case."""

from __future__ import annotations

from app.domain.audit import AuditEntry
from app.domain.intake import IntakeRecord, SettleReason
from app.domain.users import Role, User
from app.ports import AuditLog, Clock, QuarantineList


class QuarantineDesk:
    def __init__(self, *, store: QuarantineList, audit: AuditLog, clock: Clock) -> None:
        self.store, self.audit, self.clock = store, audit, clock

    def entries(self, *, user: User, offset: int = 0, limit: int = 500) -> list[IntakeRecord]:
        user.require(Role.CLERK, "read the quarantine")
        return self.store.quarantined(offset=offset, limit=limit)

    def open_count(self, *, user: User) -> int:
        user.require(Role.CLERK, "read the quarantine")
        return self.store.quarantine_count()

    def raw(self, *, user: User, submission_id: str) -> bytes:
        """What was received, as it was (to forward it or to open a case by hand)."""
        user.require(Role.CLERK, "read quarantined data")
        content = self.store.raw(submission_id)
        self.audit.append(
            AuditEntry(user.login, "intake.quarantine_read", submission_id, "", self.clock.now())
        )
        return content

    def settle(self, *, user: User, submission_id: str, reason: SettleReason) -> None:
        """Off the list, kept with its raw bytes; DomainError if a colleague was quicker."""
        user.require(Role.CLERK, "settle a quarantined submission")
        self.store.settle_quarantined(
            submission_id, actor=user.login, reason=reason, at=self.clock.now()
        )
