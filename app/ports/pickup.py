"""The pickup box's controller and our records of it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

from app.domain.cases import Case, CaseEvent
from app.domain.outbox import OutgoingMessage
from app.domain.pickup import BoxEvent, BoxIssue, Compartment, Loading, LoadingStep, Size


class PickupBox(Protocol):
    """One office's 24/7 Dokumenten-Ausgabebox, through its controller's API
    (docs/pickup-box-api.yaml). Every call on the network lane; BoxUnavailable when the box does
    not answer, BoxRefused when it answers no (the compartment is not free, say)."""

    def compartments(self) -> list[Compartment]: ...

    def open_for_loading(self, compartment: str, reference: str) -> None: ...

    def register_item(
        self,
        compartment: str,
        *,
        reference: str,
        code: str,
        second_factor: str,
        deadline: dt.datetime,
    ) -> None:
        """The item behind the closed door, and what opens it: the box receives only verifiers
        of the code and of the code with the second factor, never the code."""
        ...

    def open_for_retrieval(self, compartment: str, reference: str = "") -> None: ...

    def events(self, after: str | None, limit: int = 1000) -> tuple[list[BoxEvent], str | None]:
        """Events after the cursor, oldest first, and the cursor after them."""
        ...


class PickupRecords(Protocol):
    """Our side of the pickup boxes (app/store/pickup.py). `change` stores a loading's new
    values only while it is in the state it was read in, with the case's transition where
    given, in one transaction."""

    def active(self, office: str) -> list[Loading]: ...

    def get(self, loading_id: int) -> Loading: ...

    def for_case(self, case_id: int) -> list[Loading]: ...

    def begin(
        self,
        *,
        case: Case,
        office: str,
        compartment: str,
        size: Size,
        step_free: bool,
        hold_days: int,
        by: str,
        at: dt.datetime,
        second_person: bool = False,
    ) -> Loading: ...

    def change(
        self,
        loading: Loading,
        step: LoadingStep,
        *,
        actor: str,
        at: dt.datetime,
        detail: str = "",
        transitions: Sequence[tuple[Case, CaseEvent, int]] = (),
        messages: Sequence[OutgoingMessage] = (),
        **values: Any,
    ) -> Loading: ...

    def code_digest(self, loading_id: int) -> str: ...

    def case_for_document(self, number: str) -> int | None: ...

    def case_for_reference(self, reference: str) -> int | None: ...

    def cursor(self, office: str) -> str | None: ...

    def store_events(
        self, office: str, events: Sequence[BoxEvent], cursor: str | None, at: dt.datetime
    ) -> list[BoxEvent]: ...

    def raise_issue(
        self, office: str, compartment: str | None, kind: str, detail: str, at: dt.datetime
    ) -> bool:
        """True when the issue is new (the same one open is not raised twice)."""
        ...

    def issues(self, office: str) -> list[BoxIssue]: ...

    def resolve_issue(self, issue_id: int, by: str, at: dt.datetime) -> None: ...
