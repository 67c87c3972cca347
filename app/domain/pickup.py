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
    """Our side of a compartment's item (table box_loadings)."""

    OPENING = "opening"  # the door was opened for loading; the item is not in yet
    LOADED = "loaded"  # the door closed on it; the citizen has the code
    COLLECTED = "collected"
    RETRIEVING = "retrieving"  # staff opened it to take the item back
    RETURNED = "returned"
    CANCELLED = "cancelled"  # the door closed empty, or the clerk gave up


ACTIVE_LOADING = (LoadingState.OPENING, LoadingState.LOADED, LoadingState.RETRIEVING)


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
    notice_pending: str = ""  # "code", "reminder": a mail that could not be sent yet
    confirmed_by: str = ""


@dataclass(frozen=True, slots=True)
class BoxIssue:
    id: int
    office_code: str
    compartment: str | None
    kind: str  # locked, tamper, unknown_item, missing_item, power_lost, offline
    detail: str
    raised_at: dt.datetime
