"""The interfaces the services need; store/ and integrations/ implement them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from app.domain.audit import AuditEntry
from app.domain.cases import Applicant, Case, CaseEvent, Channel, PaymentState
from app.domain.identity import IdentityLevel
from app.domain.inbox import InboxQuery, InboxRow
from app.domain.users import Office, Role, User


@dataclass(frozen=True, slots=True)
class NewCase:
    """A case before it has an id and a reference."""

    office_id: int
    service_id: str
    channel: Channel
    applicant: Applicant
    form_data: tuple[tuple[str, str], ...]
    identity_required: IdentityLevel
    identity_verified: IdentityLevel
    fee_cents: int
    payment: PaymentState
    received_at: dt.datetime
    due_at: dt.datetime
    submission_id: str | None = None


@dataclass(frozen=True, slots=True)
class Note:
    author: str
    at: dt.datetime
    text: str


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    id: int
    filename: str
    media_type: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class NewAttachment:
    filename: str
    media_type: str
    content: bytes


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class CaseRepository(Protocol):
    """Cases, their events, notes and attachments. Each call is one transaction; every write
    also appends its audit record in the same transaction."""

    def add(
        self, draft: NewCase, event: CaseEvent, attachments: Sequence[NewAttachment] = ()
    ) -> Case: ...

    def get(self, case_id: int) -> Case: ...

    def save(self, case: Case, event: CaseEvent, *, expected_version: int) -> Case:
        """Store a transition only if nobody changed the case since `expected_version`;
        raises ConcurrentChange otherwise."""
        ...

    def page(self, query: InboxQuery, *, offset: int, limit: int) -> list[InboxRow]: ...

    def count(self, query: InboxQuery, *, cap: int | None = None) -> int:
        """How many cases match; with `cap`, at most cap + 1 ("more than cap")."""
        ...

    def history(self, case_id: int) -> list[CaseEvent]: ...

    def notes(self, case_id: int) -> list[Note]: ...

    def add_note(self, case_id: int, note: Note) -> None: ...

    def attachments(self, case_id: int) -> list[AttachmentInfo]: ...

    def attachment_content(self, attachment_id: int) -> bytes: ...


class UserDirectory(Protocol):
    def offices(self) -> list[Office]: ...

    def save_office(self, code: str, name: str) -> Office: ...

    def users(self) -> list[User]: ...

    def by_login(self, login: str) -> User | None: ...

    def save_user(
        self, *, login: str, display_name: str, role: Role, office_id: int, active: bool
    ) -> User: ...


class AuditLog(Protocol):
    def append(self, entry: AuditEntry) -> None: ...

    def verify(self) -> list[str]: ...


class SecretStore(Protocol):
    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...


@dataclass(frozen=True, slots=True)
class HistoricCase:
    """A case with its whole past, for bulk loading (demo data, benchmarks, migrations in)."""

    draft: NewCase
    final: Case  # the case after its last event; id, reference and version are assigned on load
    events: tuple[CaseEvent, ...]
    notes: tuple[Note, ...] = ()


class CaseBulkLoader(Protocol):
    def load(self, cases: Sequence[HistoricCase]) -> int: ...
