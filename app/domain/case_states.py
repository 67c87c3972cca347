"""The case's state machine as data: its states, every transition with the states it starts
from and where it leaves the case (`TRANSITIONS`), the actions a case page offers and from
which states (`ALLOWED_FROM`, read off the transitions), and who may take them now
(`available_actions`). `app.domain.cases.Case` carries the transitions out."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from app.domain.users import Role, User

if TYPE_CHECKING:
    from app.domain.cases import Case


class CaseStatus(StrEnum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"  # a question went to the citizen; the answer has not come yet
    APPROVED = "approved"
    REJECTED = "rejected"
    PRINTED = "printed"
    BOXED = "boxed"
    COLLECTED = "collected"
    RETURNED = "returned"
    CLOSED = "closed"


OPEN_STATUSES = frozenset({CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS, CaseStatus.WAITING})


class Transition(StrEnum):
    """Every change a case goes through after it is opened, named as its event records it."""

    CLAIM = "claim"
    RELEASE = "release"
    REASSIGN = "reassign"
    VERIFY_IDENTITY = "verify_identity"
    RECORD_PAYMENT = "record_payment"
    PAYMENT_BOOKED = "payment_booked"  # the payment platform booked the fee (no clerk involved)
    REVERSE_PAYMENT = "reverse_payment"  # a till booking cancelled: the fee is open again
    RELEASE_UNPAID = "release_unpaid"  # a supervisor lets the case on with its fee still open
    ADJUST_FEE = "adjust_fee"  # a reduction or exemption of the fee, with its reason
    ENTER_DATA = "enter_data"
    APPROVE = "approve"
    REJECT = "reject"
    ASK_CITIZEN = "ask_citizen"
    CITIZEN_ANSWERED = "citizen_answered"
    PRINT = "print"
    HAND_OVER = "hand_over"
    BOX = "box"
    COLLECT = "collect"
    RETURN = "return"
    CLOSE = "close"


@dataclass(frozen=True, slots=True)
class Move:
    """From which states a transition starts and where it leaves the case (None: where it
    was; the transition records something about the case, not a new state)."""

    start: frozenset[CaseStatus]
    end: CaseStatus | None


def _move(start: set[CaseStatus], end: CaseStatus | None) -> Move:
    return Move(frozenset(start), end)


S = CaseStatus
# The one table of the case's state machine: every transition's guard reads it, and so does
# `available_actions` (what the case page enables); docs/architecture.md draws it.
TRANSITIONS: dict[Transition, Move] = {
    Transition.CLAIM: _move({S.RECEIVED, S.RETURNED}, S.IN_PROGRESS),
    Transition.RELEASE: _move({S.IN_PROGRESS}, S.RECEIVED),
    Transition.REASSIGN: _move({S.RECEIVED, S.IN_PROGRESS, S.RETURNED}, S.IN_PROGRESS),
    Transition.VERIFY_IDENTITY: _move({S.IN_PROGRESS}, None),
    Transition.RECORD_PAYMENT: _move({S.IN_PROGRESS}, None),
    Transition.REVERSE_PAYMENT: _move({S.IN_PROGRESS}, None),
    Transition.RELEASE_UNPAID: _move({S.IN_PROGRESS}, None),
    Transition.ADJUST_FEE: _move({S.IN_PROGRESS}, None),
    Transition.PAYMENT_BOOKED: _move(
        {S.RECEIVED, S.IN_PROGRESS, S.WAITING, S.APPROVED, S.PRINTED, S.RETURNED}, None
    ),
    Transition.ENTER_DATA: _move({S.IN_PROGRESS}, None),
    Transition.APPROVE: _move({S.IN_PROGRESS}, S.APPROVED),
    Transition.REJECT: _move({S.IN_PROGRESS}, S.REJECTED),
    Transition.ASK_CITIZEN: _move({S.IN_PROGRESS}, S.WAITING),
    Transition.CITIZEN_ANSWERED: _move({S.WAITING}, S.IN_PROGRESS),
    Transition.PRINT: _move({S.APPROVED}, S.PRINTED),
    Transition.HAND_OVER: _move({S.PRINTED, S.RETURNED}, S.CLOSED),
    Transition.BOX: _move({S.PRINTED}, S.BOXED),
    Transition.COLLECT: _move({S.BOXED}, S.COLLECTED),
    Transition.RETURN: _move({S.BOXED}, S.RETURNED),
    Transition.CLOSE: _move({S.REJECTED, S.COLLECTED}, S.CLOSED),
}
# a document printed again, or a notice of rejection, changes no state
REPRINTABLE = frozenset({S.PRINTED, S.REJECTED})
del S


class CaseAction(StrEnum):
    """What a clerk can do to a case from its page; each is one transition, except printing
    (an original moves the case on, a reprint or a rejection notice does not)."""

    CLAIM = "claim"
    RELEASE = "release"
    REASSIGN = "reassign"
    IDENTITY = "identity"
    PAYMENT = "payment"
    APPROVE = "approve"
    REJECT = "reject"
    ASK = "ask"
    PRINT = "print"
    HAND_OVER = "hand_over"  # the citizen took the original at the counter
    ENTER_DATA = "enter_data"  # type the applicant's data from a scanned paper form
    # the citizen answered a question by phone, at the counter, by mail or letter (or the
    # clerk goes on without an answer): a waiting case is never stranded
    RECORD_ANSWER = "record_answer"
    # a supervisor lets the case be approved, printed and boxed with its fee still open
    RELEASE_UNPAID = "release_unpaid"


# how a citizen's answer to a question reached the office, when the clerk records it
ANSWER_CHANNELS = ("phone", "visit", "mail", "letter", "none")


ACTION_TRANSITION: dict[CaseAction, Transition] = {
    CaseAction.CLAIM: Transition.CLAIM,
    CaseAction.RELEASE: Transition.RELEASE,
    CaseAction.REASSIGN: Transition.REASSIGN,
    CaseAction.IDENTITY: Transition.VERIFY_IDENTITY,
    CaseAction.PAYMENT: Transition.RECORD_PAYMENT,
    CaseAction.APPROVE: Transition.APPROVE,
    CaseAction.REJECT: Transition.REJECT,
    CaseAction.ASK: Transition.ASK_CITIZEN,
    CaseAction.PRINT: Transition.PRINT,
    CaseAction.HAND_OVER: Transition.HAND_OVER,
    CaseAction.ENTER_DATA: Transition.ENTER_DATA,
    CaseAction.RECORD_ANSWER: Transition.CITIZEN_ANSWERED,
    CaseAction.RELEASE_UNPAID: Transition.RELEASE_UNPAID,
}
# the states each page action starts from, read off the transitions
ALLOWED_FROM: dict[CaseAction, frozenset[CaseStatus]] = {
    action: TRANSITIONS[transition].start | (REPRINTABLE if action is CaseAction.PRINT else set())
    for action, transition in ACTION_TRANSITION.items()
}
# actions only the assignee (or a supervisor) may take
_ASSIGNEE_ONLY = frozenset(
    {
        CaseAction.RELEASE,
        CaseAction.IDENTITY,
        CaseAction.PAYMENT,
        CaseAction.APPROVE,
        CaseAction.REJECT,
        CaseAction.ASK,
        CaseAction.ENTER_DATA,
        CaseAction.RECORD_ANSWER,
    }
)


def available_actions(case: Case, user: User) -> frozenset[CaseAction]:
    """What `user` may do to `case` now: the page enables exactly these."""
    may_act = case.assignee == user.login or user.has_role(Role.SUPERVISOR)
    available = set()
    for action, states in ALLOWED_FROM.items():
        if case.status not in states or not user.has_role(Role.CLERK):
            continue
        if action in _ASSIGNEE_ONLY and not may_act:
            continue
        if action is CaseAction.CLAIM and (
            case.status is CaseStatus.IN_PROGRESS and case.assignee != user.login
        ):
            continue
        if action is CaseAction.REASSIGN and not user.has_role(Role.SUPERVISOR):
            continue
        if action is CaseAction.ASK and not case.applicant.email:
            continue
        if action is CaseAction.PAYMENT and case.fee_cents == 0:
            continue
        if action is CaseAction.RELEASE_UNPAID and not (
            user.has_role(Role.SUPERVISOR) and case.payment.value == "open"
        ):
            continue  # only a supervisor, only while the fee is open
        if (action is CaseAction.ENTER_DATA) != case.needs_data_entry and action in (
            CaseAction.ENTER_DATA,
            CaseAction.APPROVE,
        ):
            continue  # data entry first; approving waits for it
        if action is CaseAction.PRINT and not (
            case.assignee in (None, user.login) or user.has_role(Role.SUPERVISOR)
        ):
            continue  # `Case.require_printable`'s rule
        available.add(action)
    return frozenset(available)
