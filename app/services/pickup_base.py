"""What every part of the pickup desk shares: its ports and rules, the box of an office, a
compartment seen beside our loading, and the box's own actor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from app.domain.cases import Case
from app.domain.catalogue import Catalogue
from app.domain.errors import DomainError
from app.domain.pickup import (
    IN_THE_BOX,
    BoxRules,
    Compartment,
    CompartmentState,
    Loading,
    LoadingStep,
    return_due,
)
from app.domain.pickup_mail import BoxPlace
from app.domain.users import Role, User
from app.domain.working_days import WorkingCalendar
from app.lanes import OnLane, in_place
from app.ports import CaseRepository, CitizenNotifier, Clock, Mailer, PickupBox, PickupRecords
from app.services.outbox import OutboxSender


@dataclass(frozen=True, slots=True)
class CompartmentView:
    """A compartment as the box view shows it: the box's state and ours side by side."""

    compartment: Compartment
    loading: Loading | None
    conflict: str = ""  # unknown_item, missing_item


@dataclass(slots=True)
class SyncReport:
    events: int = 0
    loaded: list[str] = field(default_factory=list)
    collected: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    reminders: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    returns_due: list[str] = field(default_factory=list)


class PickupBase:
    """The pickup desk's ports and rules (`PickupDesk` is this with its loading commands,
    `BoxNotices` and `BoxEventSync`)."""

    def __init__(
        self,
        *,
        cases: CaseRepository,
        records: PickupRecords,
        boxes: Mapping[str, PickupBox],
        notifier: CitizenNotifier,
        mailer: Mailer | None,
        rules: BoxRules,
        catalogue: Catalogue,
        calendar: WorkingCalendar,
        places: Callable[[], Mapping[str, BoxPlace]],
        code_key: Callable[[], bytes],
        clock: Clock,
        language: str = "de",
        office_ids: Callable[[], Mapping[str, int]] = dict,
        database: OnLane = in_place,
        outbox: OutboxSender | None = None,
    ) -> None:
        # the desk runs on the network lane (the box); `database` puts each call of `cases`
        # and `records` on the database lane (in a command, `in_place`); `outbox` sends the
        # reminders the sync queues (without it they go at once, through `notifier`)
        self.cases, self.records, self.boxes = cases, records, boxes
        self.database = database
        self.mailer, self.rules, self.catalogue = mailer, rules, catalogue  # mailer: staff alerts
        self.notifier, self.outbox = notifier, outbox
        self.calendar = calendar
        self._office_ids = office_ids
        self._places, self._code_key, self.clock = places, code_key, clock
        self._known_places: Mapping[str, BoxPlace] | None = None
        self.language = language

    def box(self, office: str) -> PickupBox:
        found = self.boxes.get(office)
        if found is None:
            raise DomainError("box.not_configured", office=office)
        return found

    @staticmethod
    def _view(compartment: Compartment, loading: Loading | None) -> CompartmentView:
        conflict = ""
        box_has_item = compartment.state in (CompartmentState.LOADED, CompartmentState.LOCKED)
        if (
            box_has_item
            and compartment.reference
            and (loading is None or loading.reference != compartment.reference)
        ):
            conflict = "unknown_item"
        elif (
            loading is not None
            and loading.state in IN_THE_BOX
            and compartment.state is CompartmentState.FREE
        ):
            conflict = "missing_item"
        return CompartmentView(compartment, loading, conflict)

    def _box_actor(self, office: str, case: Case) -> User:
        return User(
            id=0,
            login=f"box:{office}",
            display_name="Ausgabebox",
            role=Role.CLERK,
            office_id=case.office_id,
        )

    def _cancel(self, loading: Loading, *, actor: str, at: dt.datetime, why: str) -> Loading:
        """End a loading before its item went in (refused, closed empty, withdrawn, not
        confirmed): its compartment is free again."""
        return self.database(
            self.records.change,
            loading,
            LoadingStep.CANCEL,
            actor=actor,
            at=at,
            detail=why,
            ended_at=at,
        )

    def returns_due(self, office: str) -> list[Loading]:
        """The counter's "Zurücknehmen" list: items past their deadline."""
        now = self.clock.now()
        return [
            loading
            for loading in self.database(self.records.active, office)
            if loading.state in IN_THE_BOX
            and loading.deadline is not None
            and return_due(loading.deadline, now)
        ]
