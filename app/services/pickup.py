"""The pickup box from the clerk's desk: load a compartment, follow the box's events (door
closed → BOXED and the code sent; collected → COLLECTED and CLOSED), remind, take back.

Nothing is half-done: a compartment is claimed in the database before its door opens (one
clerk wins), and released if the box refuses; the code is made only when the door has closed on
the item, sent to the box as verifiers, kept by us as a keyed hash, and sent once: by e-mail,
and by SMS where the citizen gave a mobile number and a gateway is configured. The box's
events are stored once by their id (a duplicate is harmless) and read from a cursor, so what
happened while the seat was away is caught up; `sync` also compares the box with the database
and raises what disagrees as an issue for a supervisor, never overwriting either side."""

from __future__ import annotations

from app.domain.cases import Case, CaseStatus
from app.domain.catalogue import BOX_STEP_FREE
from app.domain.errors import DomainError, PermissionDenied, Reasons
from app.domain.inbox import InboxQuery, InboxRow
from app.domain.pickup import (
    ACTIVE_LOADING,
    IN_THE_BOX,
    BoxIssue,
    Loading,
    LoadingState,
    LoadingStep,
    Size,
    choose_compartment,
    eligibility_problems,
)
from app.domain.users import Role, User
from app.services.pickup_base import CompartmentView, SyncReport
from app.services.pickup_events import BoxEventSync

__all__ = ["CompartmentView", "PickupDesk", "SyncReport"]

TO_LOAD_SHOWN = 500  # a day's printing at the busiest office is far fewer


class PickupDesk(BoxEventSync):
    """The pickup box from the clerk's desk: what is in the box, loading, taking back, a new
    code, resolving an issue; `sync` follows the box (`BoxEventSync`)."""

    # --- reading -----------------------------------------------------------------------------

    def view(self, office: str) -> list[CompartmentView]:
        """Every compartment with the item our database has in it, and what disagrees."""
        compartments = self.box(office).compartments()
        loadings = {
            loading.compartment: loading for loading in self.database(self.records.active, office)
        }
        return [self._view(c, loadings.get(c.id)) for c in compartments]

    def loading(self, loading_id: int) -> Loading:
        return self.database(self.records.get, loading_id)

    def issues(self, office: str) -> list[BoxIssue]:
        return self.database(self.records.issues, office)

    def to_load(self, office: str) -> list[InboxRow]:
        """The printed originals of the office whose citizen asked for the box, not yet in it,
        of services that offer the box (the same rule as loading's)."""
        office_id = self._office_ids().get(office)
        if office_id is None:
            return []
        query = InboxQuery(
            statuses=frozenset({CaseStatus.PRINTED}), office_id=office_id, box_pickup=True
        )
        in_box = {loading.case_id for loading in self.database(self.records.active, office)}
        rows = self.database(self.cases.page, query, offset=0, limit=TO_LOAD_SHOWN)
        return [
            row
            for row in rows
            if row.id not in in_box and self.catalogue.service(row.service_id).pickup_box
        ]

    def find_case(self, scanned: str) -> Case | None:
        """What a handheld scanner typed: the document number on the original (2026-000123)
        or the case reference (SI-2026-000045)."""
        text = scanned.strip().upper()
        case_id = self.database(self.records.case_for_reference, text) or self.database(
            self.records.case_for_document, text
        )
        return self.database(self.cases.get, case_id) if case_id else None

    # --- loading -----------------------------------------------------------------------------

    def load(
        self,
        *,
        user: User,
        case_id: int,
        office: str,
        size: Size = Size.S,
        step_free: bool = False,
        hold_days: int | None = None,
    ) -> Loading:
        """Claim a free compartment for the printed original and open its door; with four eyes
        the loading waits, its door shut, until a second clerk confirms it at their own seat
        (`confirm`). The case is BOXED when the door closes on it (`sync`)."""
        user.require(Role.CLERK, "box.load")
        case = self.database(self.cases.get, case_id)
        step_free = step_free or case.data.get(BOX_STEP_FREE) == "true"  # asked in the form
        problems = eligibility_problems(
            case,
            self.catalogue.service(case.service_id),
            textable=self.notifier.textable(case.applicant.mobile_phone),
        )
        if problems:  # said in the reader's language, reasons too
            raise DomainError(
                "box.not_eligible", reference=case.reference, reasons=Reasons(problems)
            )
        already = [
            loading
            for loading in self.database(self.records.for_case, case.id)
            if loading.state in ACTIVE_LOADING
        ]
        if already:
            raise DomainError(
                "box.case_in_box",
                reference=case.reference,
                office=already[0].office_code,
                compartment=already[0].compartment,
            )
        box = self.box(office)
        compartments = box.compartments()  # BoxUnavailable: nothing claimed, nothing opened
        taken = {loading.compartment for loading in self.database(self.records.active, office)}
        chosen = choose_compartment(compartments, taken=taken, size=size, step_free=step_free)
        if chosen is None:
            raise DomainError("box.no_free_compartment", office=office)
        loading = self.database(
            self.records.begin,
            case=case,
            office=office,
            compartment=chosen.id,
            size=chosen.size,
            step_free=step_free,
            hold_days=hold_days or self.rules.hold_days_for(case.service_id),
            by=user.login,
            at=self.clock.now(),
            second_person=self.rules.four_eyes,
        )
        if loading.state is LoadingState.CONFIRMING:
            return loading
        return self._open_door(loading, actor=user.login)

    def awaiting_confirmation(self, office: str, *, user: User) -> list[Loading]:
        """Loadings of `office` that wait for a second clerk, but not for `user`'s own."""
        return [
            loading
            for loading in self.database(self.records.active, office)
            if loading.state is LoadingState.CONFIRMING and loading.loaded_by != user.login
        ]

    def confirm(self, *, user: User, loading_id: int) -> Loading:
        """Four eyes: a second clerk, signed in as themselves at their own seat, confirms a
        loading; then its door opens for the first clerk, who waits at the box."""
        user.require(Role.CLERK, "box.confirm")
        loading = self._awaiting_second(loading_id)
        if loading.loaded_by == user.login:
            raise DomainError("box.four_eyes")
        loading = self.database(
            self.records.change,
            loading,
            LoadingStep.CONFIRM,
            actor=user.login,
            at=self.clock.now(),
            detail=f"{loading.office_code} Fach {loading.compartment}",
            confirmed_by=user.login,
        )
        return self._open_door(loading, actor=user.login)

    def withdraw(self, *, user: User, loading_id: int) -> Loading:
        """End a loading that still waits for its second clerk: the first clerk gives up, or
        the second declines. Its compartment is free again."""
        user.require(Role.CLERK, "box.withdraw")
        loading = self._awaiting_second(loading_id)
        now = self.clock.now()
        declined = "abgelehnt" if user.login != loading.loaded_by else "zurückgezogen"
        return self._cancel(loading, actor=user.login, at=now, why=declined)

    def _awaiting_second(self, loading_id: int) -> Loading:
        """The loading, refused unless it still waits for its second clerk."""
        loading = self.database(self.records.get, loading_id)
        if loading.state is not LoadingState.CONFIRMING:
            raise DomainError("box.not_awaiting", reference=loading.reference)
        return loading

    def _open_door(self, loading: Loading, *, actor: str) -> Loading:
        try:
            self.box(loading.office_code).open_for_loading(loading.compartment, loading.reference)
        except DomainError:
            self._cancel(loading, actor=actor, at=self.clock.now(), why="the box did not open")
            raise
        try:
            return self.database(
                self.records.change,
                loading,
                LoadingStep.DOOR_OPENED,
                actor=actor,
                at=self.clock.now(),
                detail=f"{loading.office_code} Fach {loading.compartment}",
            )
        except DomainError:  # a sync saw the door close first: the loading is further along
            return self.database(self.records.get, loading.id)

    def take_back(self, *, user: User, loading_id: int) -> Loading:
        """Open the compartment for staff: the item returns to the counter when the door
        closes (`sync`)."""
        user.require(Role.CLERK, "box.take_back")
        loading = self.database(self.records.get, loading_id)
        if loading.state not in IN_THE_BOX:
            raise DomainError("box.loading_not_found", loading=loading_id)
        self.box(loading.office_code).open_for_retrieval(loading.compartment, loading.reference)
        return self.database(
            self.records.change,
            loading,
            LoadingStep.TAKE_BACK,
            actor=user.login,
            at=self.clock.now(),
            detail=f"{loading.office_code} Fach {loading.compartment}",
        )

    def renew_code(self, *, user: User, loading_id: int) -> Loading:
        """A new code for a loaded item (lost, or the compartment locked): the old one dies."""
        user.require(Role.CLERK, "box.renew_code")
        loading = self.database(self.records.get, loading_id)
        if loading.state not in IN_THE_BOX:
            raise DomainError("box.loading_not_found", loading=loading_id)
        return self._issue_code(loading, actor=user.login, renewed=True)

    def resolve_issue(self, *, user: User, issue_id: int) -> None:
        if not user.has_role(Role.SUPERVISOR):
            raise PermissionDenied("user.permission", action="box.resolve", role="supervisor")
        self.database(self.records.resolve_issue, issue_id, user.login, self.clock.now())
