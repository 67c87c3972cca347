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

import datetime as dt
import hashlib
import hmac
import io
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from app.domain.cases import Case, CaseStatus
from app.domain.catalogue import BOX_STEP_FREE, Catalogue
from app.domain.errors import DomainError, PermissionDenied
from app.domain.inbox import InboxQuery, InboxRow
from app.domain.pickup import (
    ACTIVE_LOADING,
    BEFORE_THE_ITEM,
    IN_THE_BOX,
    WRONG_ATTEMPTS_LOCK,
    BoxEvent,
    BoxIssue,
    BoxRules,
    Compartment,
    CompartmentState,
    EventKind,
    Loading,
    LoadingState,
    LoadingStep,
    Size,
    choose_compartment,
    eligibility_problems,
    new_code,
    return_due,
)
from app.domain.pickup_mail import BoxMail, BoxPlace, code_mail, reminder_mail
from app.domain.pickup_sms import code_sms, reminder_sms
from app.domain.users import Role, User
from app.domain.working_days import WorkingCalendar
from app.ports import CaseRepository, Clock, Mailer, PickupBox, PickupRecords, SmsGateway

log = logging.getLogger(__name__)

EVENT_PAGE = 1000
TO_LOAD_SHOWN = 500  # a day's printing at the busiest office is far fewer
ISSUE_EVENTS = {
    EventKind.TAMPER: "tamper",
    EventKind.POWER_LOST: "power_lost",
    EventKind.OFFLINE: "offline",
}


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


class PickupDesk:
    def __init__(
        self,
        *,
        cases: CaseRepository,
        records: PickupRecords,
        boxes: Mapping[str, PickupBox],
        mailer: Mailer | None,
        rules: BoxRules,
        catalogue: Catalogue,
        calendar: WorkingCalendar,
        places: Callable[[], Mapping[str, BoxPlace]],
        code_key: Callable[[], bytes],
        clock: Clock,
        language: str = "de",
        sms: SmsGateway | None = None,
        office_ids: Callable[[], Mapping[str, int]] = dict,
    ) -> None:
        self.cases, self.records, self.boxes = cases, records, boxes
        self.mailer, self.rules, self.catalogue = mailer, rules, catalogue
        self.calendar = calendar
        self.sms, self._office_ids = sms, office_ids
        self._places, self._code_key, self.clock = places, code_key, clock
        self._known_places: Mapping[str, BoxPlace] | None = None
        self.language = language

    # --- reading -----------------------------------------------------------------------------

    def box(self, office: str) -> PickupBox:
        found = self.boxes.get(office)
        if found is None:
            raise DomainError("box.not_configured", office=office)
        return found

    def view(self, office: str) -> list[CompartmentView]:
        """Every compartment with the item our database has in it, and what disagrees."""
        compartments = self.box(office).compartments()
        loadings = {loading.compartment: loading for loading in self.records.active(office)}
        return [self._view(c, loadings.get(c.id)) for c in compartments]

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

    def loading(self, loading_id: int) -> Loading:
        return self.records.get(loading_id)

    def issues(self, office: str) -> list[BoxIssue]:
        return self.records.issues(office)

    def returns_due(self, office: str) -> list[Loading]:
        """The counter's "Zurücknehmen" list: items past their deadline."""
        now = self.clock.now()
        return [
            loading
            for loading in self.records.active(office)
            if loading.state in IN_THE_BOX
            and loading.deadline is not None
            and return_due(loading.deadline, now)
        ]

    def to_load(self, office: str) -> list[InboxRow]:
        """The printed originals of the office whose citizen asked for the box, not yet in it,
        of services that offer the box (the same rule as loading's)."""
        office_id = self._office_ids().get(office)
        if office_id is None:
            return []
        query = InboxQuery(
            statuses=frozenset({CaseStatus.PRINTED}), office_id=office_id, box_pickup=True
        )
        in_box = {loading.case_id for loading in self.records.active(office)}
        rows = self.cases.page(query, offset=0, limit=TO_LOAD_SHOWN)
        return [
            row
            for row in rows
            if row.id not in in_box and self.catalogue.service(row.service_id).pickup_box
        ]

    def find_case(self, scanned: str) -> Case | None:
        """What a handheld scanner typed: the document number on the original (2026-000123)
        or the case reference (SI-2026-000045)."""
        text = scanned.strip().upper()
        case_id = self.records.case_for_reference(text) or self.records.case_for_document(text)
        return self.cases.get(case_id) if case_id else None

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
        confirmed_by: User | None = None,
    ) -> Loading:
        """Claim a free compartment for the printed original and open its door. The case is
        BOXED when the door closes on it (`sync`)."""
        user.require(Role.CLERK, "box.load")
        if self.rules.four_eyes:
            if confirmed_by is None or confirmed_by.login == user.login:
                raise DomainError("box.four_eyes")
            confirmed_by.require(Role.CLERK, "box.confirm")
        case = self.cases.get(case_id)
        step_free = step_free or case.data.get(BOX_STEP_FREE) == "true"  # asked in the form
        problems = eligibility_problems(
            case, self.catalogue.service(case.service_id), textable=self._textable(case)
        )
        if problems:
            from app.domain.messages import render

            reasons = ", ".join(render(p, self.language) for p in problems)
            raise DomainError("box.not_eligible", reference=case.reference, reasons=reasons)
        already = [
            loading for loading in self.records.for_case(case.id) if loading.state in ACTIVE_LOADING
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
        taken = {loading.compartment for loading in self.records.active(office)}
        chosen = choose_compartment(compartments, taken=taken, size=size, step_free=step_free)
        if chosen is None:
            raise DomainError("box.no_free_compartment", office=office)
        loading = self.records.begin(
            case=case,
            office=office,
            compartment=chosen.id,
            size=chosen.size,
            step_free=step_free,
            hold_days=hold_days or self.rules.hold_days_for(case.service_id),
            by=user.login,
            confirmed_by=confirmed_by.login if confirmed_by else "",
            at=self.clock.now(),
        )
        try:
            box.open_for_loading(chosen.id, case.reference)
        except DomainError:
            self.records.change(
                loading,
                LoadingStep.CANCEL,
                actor=user.login,
                at=self.clock.now(),
                detail="the box did not open",
                ended_at=self.clock.now(),
            )
            raise
        try:
            return self.records.change(
                loading,
                LoadingStep.DOOR_OPENED,
                actor=user.login,
                at=self.clock.now(),
                detail=f"{office} Fach {chosen.id}",
            )
        except DomainError:  # a sync saw the door close first: the loading is further along
            return self.records.get(loading.id)

    def take_back(self, *, user: User, loading_id: int) -> Loading:
        """Open the compartment for staff: the item returns to the counter when the door
        closes (`sync`)."""
        user.require(Role.CLERK, "box.take_back")
        loading = self.records.get(loading_id)
        if loading.state not in IN_THE_BOX:
            raise DomainError("box.loading_not_found", loading=loading_id)
        self.box(loading.office_code).open_for_retrieval(loading.compartment, loading.reference)
        return self.records.change(
            loading,
            LoadingStep.TAKE_BACK,
            actor=user.login,
            at=self.clock.now(),
            detail=f"{loading.office_code} Fach {loading.compartment}",
        )

    def renew_code(self, *, user: User, loading_id: int) -> Loading:
        """A new code for a loaded item (lost, or the compartment locked): the old one dies."""
        user.require(Role.CLERK, "box.renew_code")
        loading = self.records.get(loading_id)
        if loading.state not in IN_THE_BOX:
            raise DomainError("box.loading_not_found", loading=loading_id)
        return self._issue_code(loading, actor=user.login, renewed=True)

    def resolve_issue(self, *, user: User, issue_id: int) -> None:
        if not user.has_role(Role.SUPERVISOR):
            raise PermissionDenied("user.permission", action="box.resolve", role="supervisor")
        self.records.resolve_issue(issue_id, user.login, self.clock.now())

    # --- the box's events --------------------------------------------------------------------

    def sync(self, office: str) -> SyncReport:
        """Catch up the box's events, reconcile, send due reminders, list the returns."""
        report = SyncReport()
        box = self.box(office)
        cursor = self.records.cursor(office)
        while True:
            events, next_cursor = box.events(cursor, EVENT_PAGE)
            fresh = self.records.store_events(office, events, next_cursor, self.clock.now())
            report.events += len(fresh)
            if fresh:
                active = {loading.compartment: loading for loading in self.records.active(office)}
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
                self.records.change(
                    loading,
                    LoadingStep.CANCEL,
                    actor=f"box:{office}",
                    at=event.at,
                    detail="door closed empty",
                    ended_at=event.at,
                )
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
        if not self.records.raise_issue(office, compartment, kind, detail, at):
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

    def _box_actor(self, office: str, case: Case) -> User:
        return User(
            id=0,
            login=f"box:{office}",
            display_name="Ausgabebox",
            role=Role.CLERK,
            office_id=case.office_id,
        )

    def _loaded(self, loading: Loading, at: dt.datetime) -> None:
        """The door closed on the item: BOXED, then the code goes to the box and the citizen."""
        case = self.cases.get(loading.case_id)
        deadline = self.calendar.box_deadline(at, loading.hold_days)
        boxed, event = case.put_in_box(
            self._box_actor(loading.office_code, case), at, f"Fach {loading.compartment}"
        )
        loading = self.records.change(
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

    def _issue_code(self, loading: Loading, *, actor: str, renewed: bool = False) -> Loading:
        """A fresh code: verifiers to the box, its keyed hash to us, the code to the citizen.
        If neither mail nor text goes out the notice stays pending and the next sync issues
        another code (the code is not kept to send it again)."""
        case = self.cases.get(loading.case_id)
        deadline, birth_date = loading.deadline, case.applicant.birth_date
        assert deadline is not None and birth_date is not None  # loaded; eligible
        code = new_code()
        self.box(loading.office_code).register_item(
            loading.compartment,
            reference=loading.reference,
            code=code,
            second_factor=birth_date.isoformat(),
            deadline=deadline,
        )
        loading = self.records.change(
            loading,
            LoadingStep.CODE_RENEWED if renewed else LoadingStep.CODE_ISSUED,
            actor=actor,
            at=self.clock.now(),
            detail=f"{loading.office_code} Fach {loading.compartment}",
            code_digest=self.code_digest(code),
        )
        place = self.place(loading.office_code)
        mail = code_mail(
            language=self.language,
            reference=loading.reference,
            service=self.catalogue.service(case.service_id).name(self.language),
            code=code,
            place=place,
            deadline=deadline,
            renewed=renewed,
        )
        text = code_sms(
            language=self.language,
            reference=loading.reference,
            code=code,
            place=place,
            deadline=deadline,
            renewed=renewed,
        )
        channels = self._notify(case, mail, text, attach_code=code)
        if channels:
            loading = self.records.change(
                loading,
                LoadingStep.CODE_SENT,
                actor=actor,
                at=self.clock.now(),
                detail=", ".join(channels),
            )
        return loading

    def place(self, office: str) -> BoxPlace:
        if self._known_places is None:
            self._known_places = self._places()
        return self._known_places[office]

    def code_digest(self, code: str) -> str:
        return hmac.new(self._code_key(), code.encode(), hashlib.sha256).hexdigest()

    def code_matches(self, loading_id: int, code: str) -> bool:
        """Whether a code a citizen shows at the counter is the item's current one."""
        return hmac.compare_digest(self.records.code_digest(loading_id), self.code_digest(code))

    def _notify(
        self, case: Case, mail: BoxMail, text: str, attach_code: str | None = None
    ) -> list[str]:
        """The message by every channel the citizen can be reached on; the channels it went
        out by (none: it is to be tried again)."""
        channels = []
        if self._mail(case, mail, attach_code):
            channels.append("E-Mail")
        if self._text(case, text):
            channels.append("SMS")
        return channels

    def _textable(self, case: Case) -> bool:
        number = case.applicant.mobile_phone
        return self.sms is not None and bool(number) and self.sms.reachable(number)

    def _text(self, case: Case, text: str) -> bool:
        if self.sms is None or not self._textable(case):
            return False
        try:
            self.sms.send(to=case.applicant.mobile_phone, text=text)
        except DomainError as error:
            log.warning("pickup box text for %s not sent: %s", case.reference, error)
            return False
        return True

    def _mail(self, case: Case, mail: BoxMail, attach_code: str | None) -> bool:
        if self.mailer is None or not case.applicant.email:
            return False
        attachments = []
        if attach_code is not None:
            import segno

            png = io.BytesIO()
            segno.make(attach_code, error="m").save(png, kind="png", scale=8, border=4)
            attachments.append(("abholcode.png", "image/png", png.getvalue()))
        try:
            self.mailer.send(
                to=case.applicant.email,
                subject=mail.subject,
                body=mail.body,
                attachments=attachments,
            )
        except DomainError as error:
            log.warning("pickup box mail for %s not sent: %s", case.reference, error)
            return False
        return True

    def _collected(self, loading: Loading, at: dt.datetime) -> None:
        case = self.cases.get(loading.case_id)
        actor = self._box_actor(loading.office_code, case)
        collected, collect = case.collect(actor, at)
        closed, close = collected.close(actor, at)
        self.records.change(  # collected and closed together: never one without the other
            loading,
            LoadingStep.COLLECTED,
            actor=actor.login,
            at=at,
            detail=f"{loading.office_code} Fach {loading.compartment}",
            transitions=[(collected, collect, case.version), (closed, close, case.version + 1)],
            ended_at=at,
        )

    def _returned(self, loading: Loading, at: dt.datetime) -> None:
        case = self.cases.get(loading.case_id)
        actor = self._box_actor(loading.office_code, case)
        returned, event = case.return_from_box(actor, at)
        self.records.change(
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
        loadings = {loading.compartment: loading for loading in self.records.active(office)}
        now = self.clock.now()
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

    def _notices(self, office: str, report: SyncReport) -> None:
        now = self.clock.now()
        for loading in self.records.active(office):
            if loading.state is LoadingState.LOADED:  # no code reached the citizen yet
                self._issue_code(loading, actor=f"box:{office}", renewed=True)
                continue
            if loading.state is not LoadingState.CODE_SENT or loading.deadline is None:
                continue
            if loading.reminded_at is None and self.calendar.reminder_due(
                loading.deadline, now, self.rules.reminder_days_before
            ):
                case = self.cases.get(loading.case_id)
                mail = reminder_mail(
                    language=self.language,
                    reference=loading.reference,
                    service=self.catalogue.service(case.service_id).name(self.language),
                    place=self.place(office),
                    deadline=loading.deadline,
                )
                text = reminder_sms(
                    language=self.language,
                    reference=loading.reference,
                    place=self.place(office),
                    deadline=loading.deadline,
                )
                channels = self._notify(case, mail, text)
                if channels:
                    self.records.change(
                        loading,
                        LoadingStep.REMINDED,
                        actor=f"box:{office}",
                        at=now,
                        detail=", ".join(channels),
                        reminded_at=now,
                    )
                    report.reminders.append(loading.reference)
