"""What comes in: FIT-Connect submissions, paper forms, and their records, answers,
quarantine and leases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from app.domain.cases import Case, CaseEvent, NewAttachment
from app.domain.intake import (
    FilledForm,
    IntakeRecord,
    Lease,
    MailedApplication,
    PendingSubmission,
    Problem,
    ReceivedSubmission,
    SettleReason,
)
from app.domain.new_case import NewCase
from app.domain.payments import PlatformPayment


class SubmissionSource(Protocol):
    """Online applications waiting at the portal's transport (FIT-Connect)."""

    def pending(self) -> Iterator[PendingSubmission]: ...

    def receive(self, pending: PendingSubmission) -> ReceivedSubmission:
        """Download, decrypt and check one; raises SubmissionRejected with the raw bytes."""
        ...

    def accept(
        self, submission_id: str, fit_case_id: str, authentication_tags: dict[str, Any]
    ) -> None: ...

    def reject(
        self, submission_id: str, fit_case_id: str, problems: list[tuple[Problem, str, str]]
    ) -> None: ...


class SubmissionRecords(Protocol):
    """What was taken in: each submission (or form) once, as a case, a reply or in quarantine.
    Each call is one transaction."""

    def known(self, submission_id: str) -> IntakeRecord | None: ...

    def known_ids(self, submission_ids: Sequence[str]) -> set[str]:
        """Which of these submissions were taken before (one query for a whole listing)."""
        ...

    def store_case(
        self,
        record: IntakeRecord,
        draft: NewCase,
        event: CaseEvent,
        attachments: Sequence[NewAttachment],
        payment: PlatformPayment | None = None,
    ) -> Case:
        """The case, its intake record and the portal's payment (if any) in one transaction."""
        ...

    def quarantine(self, record: IntakeRecord, raw: bytes) -> None: ...

    def case_for(self, fit_case_id: str) -> int | None:
        """Our case that an earlier submission of this FIT-Connect case became."""
        ...

    def store_reply(
        self, record: IntakeRecord, case_id: int, message: str, attachments: Sequence[NewAttachment]
    ) -> Case:
        """The citizen's answer: attachments and a note on the case, back to work if it waited."""
        ...


class AnswerOutbox(Protocol):
    """Accept and reject events stored with their submission, sent to the portal afterwards."""

    def unsent_events(self) -> list[IntakeRecord]: ...

    def mark_events_sent(self, submission_ids: Sequence[str]) -> None: ...


class QuarantineList(Protocol):
    """What could not become a case, with its raw bytes, until a clerk settles it."""

    def quarantined(self, *, offset: int, limit: int) -> list[IntakeRecord]: ...

    def quarantine_count(self) -> int:
        """How many are on the list now (not settled), whoever pulled them."""
        ...

    def raw(self, submission_id: str) -> bytes: ...

    def settle_quarantined(
        self, submission_id: str, *, actor: str, reason: SettleReason, at: dt.datetime
    ) -> None:
        """Take a quarantined submission off the list (kept, with its raw bytes); DomainError
        if it is not (or no longer) on it."""
        ...


class Leases(Protocol):
    """One seat at a time does a job (the pull): a lease in the shared database."""

    def acquire_lease(
        self, name: str, holder: str, *, seconds: float, replacing: str = ""
    ) -> Lease:
        """Take or renew the lease for `seconds` from now on the database server's clock;
        `held` False while another holder's lease runs, unless that holder is `replacing`
        (a process of this machine that is gone)."""
        ...

    def release_lease(self, name: str, holder: str) -> None: ...


class IntakeStore(SubmissionRecords, AnswerOutbox, QuarantineList, Leases, Protocol):
    """Everything the intake keeps, for the one store that implements all of it."""


class PaperIntakeStore(SubmissionRecords, Leases, Protocol):
    """What the PDF-form channel needs: records and the lease (it answers nobody)."""


class FormMailbox(Protocol):
    """Where citizens mail filled forms; each message is filed into a folder once handled."""

    def messages(self) -> Iterator[MailedApplication]: ...

    def file_away(self, key: str, folder: str) -> None:
        """Move the message into `folder` (created if missing); never deletes it."""
        ...


class FormReader(Protocol):
    def __call__(self, content: bytes) -> FilledForm:
        """The service and field values of a filled application form; raises UnreadableForm."""
        ...
