"""The box's events, caught up from a cursor and stored once by id: door closed on an item
(BOXED and the code), collected (COLLECTED and CLOSED), taken back (RETURNED), locks, tamper,
power and offline as issues; then the box and the database compared (`_reconcile`)."""

from __future__ import annotations

import datetime as dt
import logging

from app.domain.errors import DomainError
from app.domain.pickup import (
    BEFORE_THE_ITEM,
    CONFIRMATION_WAIT,
    IN_THE_BOX,
    WRONG_ATTEMPTS_LOCK,
    BoxEvent,
    Compartment,
    CompartmentState,
    EventKind,
    Loading,
    LoadingState,
    LoadingStep,
)
from app.services.pickup_base import SyncReport
from app.services.pickup_notices import BoxNotices

log = logging.getLogger(__name__)

EVENT_PAGE = 1000
ISSUE_EVENTS = {
    EventKind.TAMPER: "tamper",
    EventKind.POWER_LOST: "power_lost",
    EventKind.OFFLINE: "offline",
}


class BoxEventSync(BoxNotices):
    # --- the box's events --------------------------------------------------------------------

    def sync(self, office: str) -> SyncReport:
        """Catch up the box's events, reconcile, send due reminders, list the returns."""
        report = SyncReport()
        box = self.box(office)
        cursor = self.database(self.records.cursor, office)
        while True:
            events, next_cursor = box.events(cursor, EVENT_PAGE)
            fresh = self.database(
                self.records.store_events, office, events, next_cursor, self.clock.now()
            )
            report.events += len(fresh)
            if fresh:
                active = {
                    loading.compartment: loading
                    for loading in self.database(self.records.active, office)
                }
                for event in fresh:
                    self._handle(office, event, active, report)
            if len(events) < EVENT_PAGE or next_cursor == cursor:
                break
            cursor = next_cursor
        self._reconcile(office, box.compartments(), report)
        self._notices(office, report)
        report.returns_due = [loading.reference for loading in self.returns_due(office)]
        return report

    def _handle(
        self, office: str, event: BoxEvent, active: dict[str, Loading], report: SyncReport
    ) -> None:
        if event.kind in ISSUE_EVENTS:
            self._raise(
                office, event.compartment, ISSUE_EVENTS[event.kind], event.kind.value, event.at
            )
            report.issues.append(ISSUE_EVENTS[event.kind])
            return
        if event.compartment is None:
            return
        loading = active.get(event.compartment)
        if event.kind is EventKind.LOCKED:
            self._raise(
                office,
                event.compartment,
                "locked",
                f"{WRONG_ATTEMPTS_LOCK} falsche Eingaben; Vorgang {event.reference or '-'}",
                event.at,
            )
            report.issues.append("locked")
            log.warning(
                "pickup box %s: compartment %s locked after wrong codes", office, event.compartment
            )
            return
        if loading is None:
            return  # a door event of staff work we did not start, or one already handled
        if event.kind is EventKind.DOOR_CLOSED and loading.state in BEFORE_THE_ITEM:
            if event.occupied is False:
                self._cancel(loading, actor=f"box:{office}", at=event.at, why="door closed empty")
                del active[event.compartment]
                report.cancelled.append(loading.reference)
            else:
                self._loaded(loading, event.at)
                del active[event.compartment]
                report.loaded.append(loading.reference)
        elif event.kind is EventKind.DOOR_CLOSED and loading.state is LoadingState.RETRIEVING:
            self._returned(loading, event.at)
            del active[event.compartment]
            report.returned.append(loading.reference)
        elif event.kind is EventKind.COLLECTED and loading.state in IN_THE_BOX:
            if event.reference not in (None, loading.reference):
                self._raise(
                    office,
                    event.compartment,
                    "unknown_item",
                    f"collected {event.reference}",
                    event.at,
                )
                return
            self._collected(loading, event.at)
            del active[event.compartment]
            report.collected.append(loading.reference)

    def _raise(
        self, office: str, compartment: str | None, kind: str, detail: str, at: dt.datetime
    ) -> None:
        """Record an issue; a new one is mailed to `rules.alert_to` (no personal data)."""
        if not self.database(self.records.raise_issue, office, compartment, kind, detail, at):
            return
        if not (self.mailer and self.rules.alert_to):
            return
        try:
            self.mailer.send(
                to=self.rules.alert_to,
                subject=f"Ausgabebox {office}: {kind} (Fach {compartment or '-'})",
                body=f"Ausgabebox {office}, Fach {compartment or '-'}: {kind}\n{detail}\n\n"
                "Bitte in Bürgerbüro Desk unter „Ausgabebox“ prüfen und erledigen.\n",
            )
        except DomainError as error:
            log.warning("pickup box alert for %s not sent: %s", office, error)

    def _loaded(self, loading: Loading, at: dt.datetime) -> None:
        """The door closed on the item: BOXED, then the code goes to the box and the citizen."""
        case = self.database(self.cases.get, loading.case_id)
        deadline = self.calendar.box_deadline(at, loading.hold_days)
        boxed, event = case.put_in_box(
            self._box_actor(loading.office_code, case), at, f"Fach {loading.compartment}"
        )
        loading = self.database(
            self.records.change,
            loading,
            LoadingStep.DOOR_CLOSED_ON_ITEM,
            actor=f"box:{loading.office_code}",
            at=at,
            detail=f"{loading.office_code} Fach {loading.compartment}, bis {deadline.date()}",
            transitions=[(boxed, event, case.version)],
            loaded_at=at,
            deadline=deadline,
        )
        self._issue_code(loading, actor=f"box:{loading.office_code}")

    def _collected(self, loading: Loading, at: dt.datetime) -> None:
        case = self.database(self.cases.get, loading.case_id)
        actor = self._box_actor(loading.office_code, case)
        collected, collect = case.collect(actor, at)
        closed, close = collected.close(actor, at)
        self.database(
            self.records.change,  # collected and closed together: never one without the other
            loading,
            LoadingStep.COLLECTED,
            actor=actor.login,
            at=at,
            detail=f"{loading.office_code} Fach {loading.compartment}",
            transitions=[
                (collected, collect, case.version),
                (closed, close, case.version + 1),
            ],
            ended_at=at,
        )

    def _returned(self, loading: Loading, at: dt.datetime) -> None:
        case = self.database(self.cases.get, loading.case_id)
        actor = self._box_actor(loading.office_code, case)
        returned, event = case.return_from_box(actor, at)
        self.database(
            self.records.change,
            loading,
            LoadingStep.RETURNED,
            actor=actor.login,
            at=at,
            detail=f"{loading.office_code} Fach {loading.compartment}",
            transitions=[(returned, event, case.version)],
            ended_at=at,
        )

    def _reconcile(self, office: str, compartments: list[Compartment], report: SyncReport) -> None:
        """Box and database side by side. A door that closed while we missed its event (the app
        killed between open and close) completes the loading; a disagreement is an issue."""
        now = self.clock.now()
        for waiting in self.database(self.records.active, office):
            if (
                waiting.state is LoadingState.CONFIRMING
                and now - waiting.opened_at > CONFIRMATION_WAIT
            ):
                self._cancel(
                    waiting,
                    actor=f"box:{office}",
                    at=now,
                    why="keine Bestätigung durch eine zweite Person",
                )
        loadings = {
            loading.compartment: loading for loading in self.database(self.records.active, office)
        }
        for compartment in compartments:
            loading = loadings.get(compartment.id)
            if (
                loading is not None
                and loading.state in BEFORE_THE_ITEM
                and compartment.state is CompartmentState.LOADED
                and compartment.reference == loading.reference
            ):
                self._loaded(loading, now)
                report.loaded.append(loading.reference)
                continue
            view = self._view(compartment, loading)
            if view.conflict:
                ours = loading.reference if loading else "leer"
                detail = f"Box: {compartment.reference or 'leer'}; Datenbank: {ours}"
                self._raise(office, compartment.id, view.conflict, detail, now)
                report.issues.append(view.conflict)
