"""The pickup box's records: loadings (the database decides which clerk gets a compartment),
the events each box reported (stored once: a duplicate is harmless), the cursors, the issues.
A loading's change and the case's transition share one transaction and its audit record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.audit import AuditEntry
from app.domain.cases import Case, CaseEvent
from app.domain.errors import DomainError
from app.domain.outbox import OutgoingMessage
from app.domain.pickup import (
    ACTIVE_LOADING,
    BoxEvent,
    BoxIssue,
    Loading,
    LoadingState,
    LoadingStep,
    Size,
    first_state,
    next_state,
)
from app.store.audit import append_audit
from app.store.case_rows import save_case
from app.store.database import Database, utc
from app.store.models import (
    BoxCursorRow,
    BoxEventRow,
    BoxIssueRow,
    BoxLoadingRow,
    CaseRow,
    DocumentRow,
)
from app.store.outbox import enqueue


class CompartmentTaken(DomainError):
    """Another clerk's loading holds the compartment (or the case is already in the box)."""


def _loading(row: BoxLoadingRow, reference: str) -> Loading:
    return Loading(
        id=row.id,
        case_id=row.case_id,
        reference=reference,
        office_code=row.office_code,
        compartment=row.compartment,
        state=LoadingState(row.state),
        size=Size(row.size),
        step_free=row.step_free,
        hold_days=row.hold_days,
        opened_at=utc(row.opened_at),
        loaded_by=row.loaded_by,
        deadline=utc(row.deadline) if row.deadline else None,
        loaded_at=utc(row.loaded_at) if row.loaded_at else None,
        reminded_at=utc(row.reminded_at) if row.reminded_at else None,
        confirmed_by=row.confirmed_by,
    )


class SqlPickupRecords:
    def __init__(self, database: Database) -> None:
        self._db = database

    # --- loadings ----------------------------------------------------------------------------

    def _select(self) -> Any:
        return select(BoxLoadingRow, CaseRow.reference).join(
            CaseRow, CaseRow.id == BoxLoadingRow.case_id
        )

    def active(self, office: str) -> list[Loading]:
        with self._db.reading() as session:
            rows = session.execute(
                self._select()
                .where(
                    BoxLoadingRow.office_code == office,
                    BoxLoadingRow.state.in_([s.value for s in ACTIVE_LOADING]),
                )
                .order_by(BoxLoadingRow.id)
            )
            return [_loading(row, reference) for row, reference in rows]

    def get(self, loading_id: int) -> Loading:
        with self._db.reading() as session:
            found = session.execute(self._select().where(BoxLoadingRow.id == loading_id)).first()
        if found is None:
            raise DomainError("box.loading_not_found", loading=loading_id)
        return _loading(found[0], found[1])

    def for_case(self, case_id: int) -> list[Loading]:
        with self._db.reading() as session:
            rows = session.execute(
                self._select().where(BoxLoadingRow.case_id == case_id).order_by(BoxLoadingRow.id)
            )
            return [_loading(row, reference) for row, reference in rows]

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
    ) -> Loading:
        """Claim the compartment for the case; one of two clerks racing for it wins. With
        `second_person` (four eyes) the loading waits for a second clerk's confirmation."""
        step = LoadingStep.ASK_SECOND if second_person else LoadingStep.RESERVE
        try:
            with self._db.writing() as session:
                loading_id = session.execute(
                    insert(BoxLoadingRow)
                    .values(
                        case_id=case.id,
                        office_code=office,
                        compartment=compartment,
                        state=first_state(step).value,
                        size=size.value,
                        step_free=step_free,
                        hold_days=hold_days,
                        code_digest="",
                        opened_at=utc(at),
                        loaded_by=by,
                        confirmed_by="",
                    )
                    .returning(BoxLoadingRow.id)
                ).scalar_one()
                detail = f"{office} Fach {compartment}"
                append_audit(session, AuditEntry(by, step.value, case.reference, detail, at))
        except IntegrityError as error:
            raise CompartmentTaken("box.compartment_taken", compartment=compartment) from error
        return self.get(loading_id)

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
    ) -> Loading:
        """`step` of the loading's state machine with its new values (only if the loading is
        still in the state we read) and, where given, the case's transitions (case, event,
        expected version; in order) and the citizen's messages (the outbox), in one
        transaction."""
        values["state"] = next_state(loading, step)
        with self._db.writing() as session:
            self._change(session, loading, values)
            for case, event, version in transitions:
                save_case(session, case, event, expected_version=version)
            append_audit(session, AuditEntry(actor, step.value, loading.reference, detail, at))
            enqueue(session, messages, at)
        return self.get(loading.id)

    @staticmethod
    def _change(session: Session, loading: Loading, values: dict[str, Any]) -> None:
        prepared = {
            name: (value.value if isinstance(value, LoadingState) else value)
            for name, value in values.items()
        }
        for name in ("deadline", "loaded_at", "ended_at", "reminded_at"):
            value = prepared.get(name)
            if isinstance(value, dt.datetime):
                prepared[name] = utc(value)
        result = session.execute(
            update(BoxLoadingRow)
            .where(BoxLoadingRow.id == loading.id, BoxLoadingRow.state == loading.state.value)
            .values(**prepared)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise CompartmentTaken("box.compartment_taken", compartment=loading.compartment)

    def code_digest(self, loading_id: int) -> str:
        with self._db.reading() as session:
            return str(
                session.execute(
                    select(BoxLoadingRow.code_digest).where(BoxLoadingRow.id == loading_id)
                ).scalar_one()
            )

    def case_for_document(self, number: str) -> int | None:
        """The case a printed original belongs to, by the document number on it."""
        with self._db.reading() as session:
            return session.execute(
                select(DocumentRow.case_id).where(DocumentRow.number == number)
            ).scalar_one_or_none()

    def case_for_reference(self, reference: str) -> int | None:
        with self._db.reading() as session:
            return session.execute(
                select(CaseRow.id).where(CaseRow.reference == reference)
            ).scalar_one_or_none()

    # --- events and cursors ------------------------------------------------------------------

    def cursor(self, office: str) -> str | None:
        with self._db.reading() as session:
            row = session.get(BoxCursorRow, office)
            return row.cursor if row else None

    def store_events(
        self, office: str, events: Sequence[BoxEvent], cursor: str | None, at: dt.datetime
    ) -> list[BoxEvent]:
        """Keep the events not seen before and move the cursor, in one transaction; returns the
        new ones (a duplicate delivery returns nothing)."""
        with self._db.writing() as session:
            seen = (
                set(
                    session.execute(
                        select(BoxEventRow.event_id).where(
                            BoxEventRow.office_code == office,
                            BoxEventRow.event_id.in_([e.id for e in events]),
                        )
                    ).scalars()
                )
                if events
                else set()
            )
            fresh = [e for e in events if e.id not in seen]
            if fresh:
                session.execute(
                    insert(BoxEventRow),
                    [
                        {
                            "office_code": office,
                            "event_id": e.id,
                            "kind": e.kind.value,
                            "compartment": e.compartment,
                            "reference": e.reference,
                            "at": utc(e.at),
                        }
                        for e in fresh
                    ],
                )
            if cursor is not None:
                row = session.get(BoxCursorRow, office)
                if row is None:
                    session.add(BoxCursorRow(office_code=office, cursor=cursor, synced_at=utc(at)))
                else:
                    row.cursor, row.synced_at = cursor, utc(at)
        return fresh

    # --- issues ------------------------------------------------------------------------------

    def raise_issue(
        self, office: str, compartment: str | None, kind: str, detail: str, at: dt.datetime
    ) -> bool:
        """Record the issue unless the same one is open; True when it is new."""
        with self._db.writing() as session:
            open_same = session.execute(
                select(BoxIssueRow.id).where(
                    BoxIssueRow.office_code == office,
                    BoxIssueRow.compartment == compartment,
                    BoxIssueRow.kind == kind,
                    BoxIssueRow.resolved_at.is_(None),
                )
            ).first()
            if open_same is not None:
                return False  # raised once until resolved
            session.add(
                BoxIssueRow(
                    office_code=office,
                    compartment=compartment,
                    kind=kind,
                    detail=detail[:200],
                    raised_at=utc(at),
                    resolved_by="",
                )
            )
            append_audit(
                session,
                AuditEntry(
                    "box:" + office,
                    f"box.issue.{kind}",
                    f"{office}/{compartment or '-'}",
                    detail[:200],
                    at,
                ),
            )
        return True

    def issues(self, office: str) -> list[BoxIssue]:
        with self._db.reading() as session:
            rows = session.execute(
                select(BoxIssueRow)
                .where(BoxIssueRow.office_code == office, BoxIssueRow.resolved_at.is_(None))
                .order_by(BoxIssueRow.id)
            ).scalars()
            return [
                BoxIssue(r.id, r.office_code, r.compartment, r.kind, r.detail, utc(r.raised_at))
                for r in rows
            ]

    def resolve_issue(self, issue_id: int, by: str, at: dt.datetime) -> None:
        with self._db.writing() as session:
            row = session.get(BoxIssueRow, issue_id)
            if row is None or row.resolved_at is not None:
                return
            row.resolved_at, row.resolved_by = utc(at), by
            append_audit(
                session,
                AuditEntry(
                    by,
                    "box.issue_resolved",
                    f"{row.office_code}/{row.compartment or '-'}",
                    row.kind,
                    at,
                ),
            )
