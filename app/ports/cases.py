"""Cases, their users and offices, and loading many at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from app.domain.cases import AttachmentInfo, Case, CaseEvent, NewAttachment, Note
from app.domain.inbox import InboxQuery, InboxRow
from app.domain.new_case import HistoricCase, NewCase
from app.domain.outbox import OutgoingMessage
from app.domain.users import Office, Role, User


class CaseRepository(Protocol):
    """Cases, their events, notes and attachments. Each call is one transaction; every write
    also appends its audit record in the same transaction."""

    def add(
        self, draft: NewCase, event: CaseEvent, attachments: Sequence[NewAttachment] = ()
    ) -> Case: ...

    def get(self, case_id: int) -> Case: ...

    def save(
        self,
        case: Case,
        event: CaseEvent,
        *,
        expected_version: int,
        messages: Sequence[OutgoingMessage] = (),
    ) -> Case:
        """Store a transition only if nobody changed the case since `expected_version`;
        raises ConcurrentChange otherwise. `messages` go into the outbox in the same
        transaction: they are sent if and only if the change is stored."""
        ...

    def save_entered_data(self, case: Case, event: CaseEvent, *, expected_version: int) -> Case:
        """`save`, and the applicant and form data typed from a scan (search words too)."""
        ...

    def page(self, query: InboxQuery, *, offset: int, limit: int) -> list[InboxRow]: ...

    def count(self, query: InboxQuery, *, cap: int | None = None) -> int:
        """How many cases match; with `cap`, at most cap + 1 ("more than cap")."""
        ...

    def history(self, case_id: int) -> list[CaseEvent]: ...

    def identity_checks(self, *, actor: str, since: dt.datetime) -> list[tuple[Case, CaseEvent]]:
        """The identity checks `actor` recorded since then, newest first, with their cases."""
        ...

    def notes(self, case_id: int) -> list[Note]: ...

    def add_note(self, case_id: int, note: Note) -> None: ...

    def attachments(self, case_id: int) -> list[AttachmentInfo]: ...

    def attachment_content(self, attachment_id: int) -> bytes: ...


class UserDirectory(Protocol):
    def offices(self) -> list[Office]: ...

    def save_office(self, code: str, name: str, *, actor: str, at: dt.datetime) -> Office: ...

    def users(self) -> list[User]: ...

    def by_login(self, login: str) -> User | None: ...

    def save_user(
        self,
        *,
        login: str,
        display_name: str,
        role: Role,
        office_id: int,
        active: bool,
        actor: str,
        at: dt.datetime,
    ) -> User: ...


class CaseBulkLoader(Protocol):
    def load(self, cases: Sequence[HistoricCase]) -> int: ...
