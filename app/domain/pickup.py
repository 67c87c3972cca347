"""The pickup box's rules: what may go in, which compartment, how long it waits, when the citizen
is reminded and when it comes back. Pure: the box's state and the case come in, decisions go out.

The box controller's own vocabulary (compartment states, event kinds) is the API's
(docs/pickup-box-api.yaml); this module names it once."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from app.domain.cases import Case, CaseStatus, PaymentState
from app.domain.catalogue import Service
from app.domain.errors import DomainError

CODE_DIGITS = 8
WRONG_ATTEMPTS_LOCK = 5
DEFAULT_HOLD_DAYS = 7
REMINDER_DAYS_BEFORE = 2


class Size(StrEnum):
    S = "S"
    M = "M"
    L = "L"


class CompartmentState(StrEnum):
    FREE = "free"
    LOADED = "loaded"
    DOOR_OPEN = "door_open"
    BLOCKED = "blocked"  # out of order: a jammed door, staff blocked it
    LOCKED = "locked"  # too many wrong codes: only staff open it


class EventKind(StrEnum):
    DOOR_OPENED = "door_opened"
    DOOR_CLOSED = "door_closed"
    COLLECTED = "collected"
    WRONG_CODE = "wrong_code"
    LOCKED = "locked"
    TAMPER = "tamper"
    POWER_LOST = "power_lost"
    POWER_RESTORED = "power_restored"
    OFFLINE = "offline"
    ONLINE = "online"


class LoadingState(StrEnum):
    """Our side of a compartment's item (table box_loadings): one step of loading it, waiting
    and its end. The steps between them are `LOADING_STEPS`."""

    CONFIRMING = "confirming"  # claimed; four eyes: a second clerk confirms at their own seat
    RESERVED = "reserved"  # claimed in our database; the box has not opened the door yet
    DOOR_OPEN = "door_open"  # the door is open for loading; the item is not in yet
    LOADED = "loaded"  # the door closed on it (BOXED); the code has not reached the citizen
    CODE_SENT = "code_sent"  # the citizen has the code: the item waits to be collected
    COLLECTED = "collected"  # the citizen took it: the case is closed
    RETRIEVING = "retrieving"  # staff opened it to take the item back
    RETURNED = "returned"  # back at the counter
    CANCELLED = "cancelled"  # the box did not open, or the door closed empty


class LoadingStep(StrEnum):
    """Every change of a loading, named as its audit record is."""

    RESERVE = "box.open_for_loading"
    ASK_SECOND = "box.second_person_asked"
    CONFIRM = "box.second_person_confirmed"
    DOOR_OPENED = "box.door_opened"
    CANCEL = "box.loading_cancelled"
    DOOR_CLOSED_ON_ITEM = "box.loaded"
    CODE_ISSUED = "box.code_issued"
    CODE_RENEWED = "box.code_renewed"
    CODE_SENT = "box.code_sent"
    REMINDED = "box.reminded"
    COLLECTED = "box.collected"
    TAKE_BACK = "box.open_for_retrieval"
    RETURNED = "box.returned"


@dataclass(frozen=True, slots=True)
class LoadingMove:
    start: frozenset[LoadingState]  # empty: the step makes the loading
    end: LoadingState | None  # None: the loading stays where it is


def _step(start: set[LoadingState], end: LoadingState | None) -> LoadingMove:
    return LoadingMove(frozenset(start), end)


L = LoadingState
# The one table of a loading's state machine (as `app.domain.cases.TRANSITIONS` is the case's):
# the pickup desk asks it before every change, the store changes a row only from the state it
# read. A code is issued (or renewed) while the item is in; until one reaches the citizen the
# loading stays LOADED and the next sync issues another.
LOADING_STEPS: dict[LoadingStep, LoadingMove] = {
    LoadingStep.RESERVE: _step(set(), L.RESERVED),
    LoadingStep.ASK_SECOND: _step(set(), L.CONFIRMING),
    LoadingStep.CONFIRM: _step({L.CONFIRMING}, L.RESERVED),
    LoadingStep.DOOR_OPENED: _step({L.RESERVED}, L.DOOR_OPEN),
    LoadingStep.CANCEL: _step({L.CONFIRMING, L.RESERVED, L.DOOR_OPEN}, L.CANCELLED),
    LoadingStep.DOOR_CLOSED_ON_ITEM: _step({L.DOOR_OPEN, L.RESERVED}, L.LOADED),
    LoadingStep.CODE_ISSUED: _step({L.LOADED}, None),
    LoadingStep.CODE_RENEWED: _step({L.LOADED, L.CODE_SENT}, L.LOADED),
    LoadingStep.CODE_SENT: _step({L.LOADED}, L.CODE_SENT),
    LoadingStep.REMINDED: _step({L.CODE_SENT}, None),
    LoadingStep.COLLECTED: _step({L.LOADED, L.CODE_SENT}, L.COLLECTED),
    LoadingStep.TAKE_BACK: _step({L.LOADED, L.CODE_SENT}, L.RETRIEVING),
    LoadingStep.RETURNED: _step({L.RETRIEVING}, L.RETURNED),
}
del L

# a loading holds its compartment (and its case) from its reservation until it ends
ACTIVE_LOADING = (
    LoadingState.CONFIRMING,
    LoadingState.RESERVED,
    LoadingState.DOOR_OPEN,
    LoadingState.LOADED,
    LoadingState.CODE_SENT,
    LoadingState.RETRIEVING,
)
IN_THE_BOX = (LoadingState.LOADED, LoadingState.CODE_SENT)
# four eyes: a loading nobody confirmed in this time ends (the first clerk has left the box)
CONFIRMATION_WAIT = dt.timedelta(minutes=15)
BEFORE_THE_ITEM = (LoadingState.RESERVED, LoadingState.DOOR_OPEN)


class LoadingRefused(DomainError):
    """A step the loading's state does not allow (the box's event came late, or twice)."""


def first_state(step: LoadingStep) -> LoadingState:
    """The state a loading starts in by `step` (a reservation, with or without four eyes)."""
    move = LOADING_STEPS[step]
    if move.start or move.end is None:
        raise ValueError(f"{step.value} does not start a loading")
    return move.end


def next_state(loading: Loading, step: LoadingStep) -> LoadingState:
    """The state `step` leaves the loading in; LoadingRefused if it cannot start from here."""
    move = LOADING_STEPS[step]
    if loading.state not in move.start:
        raise LoadingRefused(
            "box.loading_state",
            reference=loading.reference,
            state=loading.state.value,
            step=step.value,
        )
    return move.end or loading.state


@dataclass(frozen=True, slots=True)
class Compartment:
    id: str
    size: Size
    low: bool  # reachable from a wheelchair: step-free
    state: CompartmentState
    reference: str | None = None  # the case in it, as the box knows it
    deadline: dt.datetime | None = None
    wrong_attempts: int = 0


@dataclass(frozen=True, slots=True)
class BoxEvent:
    id: str  # the box's own, increasing: also the cursor
    at: dt.datetime
    kind: EventKind
    compartment: str | None = None
    reference: str | None = None
    occupied: bool | None = None  # door_closed: whether an item is inside


@dataclass(frozen=True, slots=True)
class BoxRules:
    """From the settings: how long an item waits, when the citizen is reminded, four eyes.
    Which services may use the box is the catalogue's `Service.pickup_box` (narrowed by the
    box_services setting in `Catalogue.with_pickup_box`)."""

    hold_days: dict[str, int]
    default_hold_days: int = DEFAULT_HOLD_DAYS
    reminder_days_before: int = REMINDER_DAYS_BEFORE
    four_eyes: bool = False
    alert_to: str = ""  # where a new issue is mailed (the office's or the supervisors' address)

    def hold_days_for(self, service_id: str) -> int:
        return self.hold_days.get(service_id, self.default_hold_days)


def eligibility_problems(case: Case, service: Service, *, textable: bool = False) -> list[str]:
    """Why the case may not go into the box (none: it may). `textable`: the citizen's mobile
    number can be reached through the configured SMS gateway."""
    problems = []
    if not service.pickup_box:
        problems.append("box.service_not_eligible")
    if case.status is not CaseStatus.PRINTED:
        problems.append("box.not_printed")
    if case.payment is PaymentState.OPEN:
        problems.append("box.fee_open")
    if not (case.applicant.email or textable):
        problems.append("box.no_contact")  # the code must reach the citizen
    if case.applicant.birth_date is None:
        problems.append("box.no_second_factor")
    return problems


def choose_compartment(
    compartments: Iterable[Compartment],
    *,
    taken: set[str],
    size: Size = Size.S,
    step_free: bool = False,
) -> Compartment | None:
    """The smallest free compartment that fits, a low one where the citizen asked for step-free
    reach; `taken` are those our database holds (the box may not know yet)."""
    order = list(Size)
    fitting = [
        c
        for c in compartments
        if c.state is CompartmentState.FREE
        and c.id not in taken
        and order.index(c.size) >= order.index(size)
        and (c.low or not step_free)
    ]
    # low ones are kept for those who need them
    fitting.sort(key=lambda c: (order.index(c.size), c.low and not step_free, c.id))
    return fitting[0] if fitting else None


def new_code() -> str:
    """A random one-time code of CODE_DIGITS digits (the first may be 0)."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def return_due(deadline: dt.datetime, now: dt.datetime) -> bool:
    return now > deadline


@dataclass(frozen=True, slots=True)
class Loading:
    """Our record of one item's stay in a compartment."""

    id: int
    case_id: int
    reference: str
    office_code: str
    compartment: str
    state: LoadingState
    size: Size
    step_free: bool
    hold_days: int
    opened_at: dt.datetime
    loaded_by: str
    deadline: dt.datetime | None = None
    loaded_at: dt.datetime | None = None
    reminded_at: dt.datetime | None = None
    confirmed_by: str = ""


@dataclass(frozen=True, slots=True)
class BoxIssue:
    id: int
    office_code: str
    compartment: str | None
    kind: str  # locked, tamper, unknown_item, missing_item, power_lost, offline
    detail: str
    raised_at: dt.datetime
