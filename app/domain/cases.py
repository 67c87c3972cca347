"""The case (Vorgang) and its state machine: every transition is a guarded method that returns
the changed case and the event that records it. Nothing else changes a case's state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from app.domain.errors import DomainError, TransitionRefused
from app.domain.identity import NOTE_REQUIRED, IdentityCheck, IdentityLevel
from app.domain.users import Role, User


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


class Channel(StrEnum):
    ONLINE = "online"
    COUNTER = "counter"
    PDF_FORM = "pdf_form"  # a filled PDF application form, by e-mail or from the scan folder


class PaymentState(StrEnum):
    NONE_DUE = "none_due"
    OPEN = "open"
    PAID = "paid"
    FEE_NOTICE = "fee_notice"  # a Gebührenbescheid with Kassenzeichen was issued


OPEN_STATUSES = frozenset({CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS, CaseStatus.WAITING})


class CaseAction(StrEnum):
    """What a clerk can do to a case from its page; each is one transition or use case."""

    CLAIM = "claim"
    RELEASE = "release"
    REASSIGN = "reassign"
    IDENTITY = "identity"
    PAYMENT = "payment"
    APPROVE = "approve"
    REJECT = "reject"
    ASK = "ask"
    PRINT = "print"
    ENTER_DATA = "enter_data"  # type the applicant's data from a scanned paper form


# the states each action starts from: the transitions' guards and `available_actions` both
# read this table, so the page never offers what the domain would refuse
ALLOWED_FROM: dict[CaseAction, frozenset[CaseStatus]] = {
    CaseAction.CLAIM: frozenset({CaseStatus.RECEIVED, CaseStatus.RETURNED}),
    CaseAction.RELEASE: frozenset({CaseStatus.IN_PROGRESS}),
    CaseAction.REASSIGN: frozenset(
        {CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS, CaseStatus.RETURNED}
    ),
    CaseAction.IDENTITY: frozenset({CaseStatus.IN_PROGRESS}),
    CaseAction.PAYMENT: frozenset({CaseStatus.IN_PROGRESS}),
    CaseAction.APPROVE: frozenset({CaseStatus.IN_PROGRESS}),
    CaseAction.REJECT: frozenset({CaseStatus.IN_PROGRESS}),
    CaseAction.ASK: frozenset({CaseStatus.IN_PROGRESS}),
    CaseAction.PRINT: frozenset({CaseStatus.APPROVED, CaseStatus.PRINTED, CaseStatus.REJECTED}),
    CaseAction.ENTER_DATA: frozenset({CaseStatus.IN_PROGRESS}),
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
    }
)


@dataclass(frozen=True, slots=True)
class Applicant:
    family_name: str
    given_names: str
    birth_date: dt.date | None  # None only while a scanned form's data waits to be typed
    email: str = ""
    mobile_phone: str = ""  # where set, the pickup code also goes by SMS (if a gateway is)

    @property
    def display_name(self) -> str:
        return f"{self.family_name}, {self.given_names}"


@dataclass(frozen=True, slots=True)
class EnteredData:
    """What typing a scanned form's data gives the case (see `Case.enter_data`)."""

    applicant: Applicant
    form_data: tuple[tuple[str, str], ...]
    identity_required: IdentityLevel
    fee_cents: int
    payment: PaymentState


@dataclass(frozen=True, slots=True)
class CaseEvent:
    """One recorded transition or action: who, when, from which state to which, and why."""

    action: str
    actor: str
    at: dt.datetime
    from_status: CaseStatus | None
    to_status: CaseStatus | None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Case:
    """A Vorgang. `version` increases with every stored change (optimistic concurrency)."""

    id: int
    reference: str
    office_id: int
    service_id: str
    channel: Channel
    status: CaseStatus
    applicant: Applicant
    form_data: tuple[tuple[str, str], ...]
    identity_required: IdentityLevel
    identity_verified: IdentityLevel
    fee_cents: int
    payment: PaymentState
    payment_reference: str
    received_at: dt.datetime
    due_at: dt.datetime
    assignee: str | None = None
    decision_reason: str = ""
    submission_id: str | None = None
    version: int = 1
    # a scanned paper form: the applicant and the form data are still to be typed from it
    needs_data_entry: bool = False

    @property
    def data(self) -> dict[str, str]:
        return dict(self.form_data)

    # --- guards -------------------------------------------------------------------------------

    def _require_status(self, action: str, *allowed: CaseStatus) -> None:
        if self.status not in allowed:
            raise TransitionRefused(
                "case.not_in_state",
                reference=self.reference,
                status=self.status.value,
                action=action,
                allowed=", ".join(status.value for status in CaseStatus if status in allowed),
            )

    def _require_assignee(self, user: User) -> None:
        if self.assignee != user.login and not user.has_role(Role.SUPERVISOR):
            raise TransitionRefused(
                "case.not_assignee", reference=self.reference, assignee=self.assignee or "-"
            )

    def _move(
        self,
        action: str,
        user: User,
        at: dt.datetime,
        to: CaseStatus,
        reason: str = "",
        **changes: object,
    ) -> tuple[Case, CaseEvent]:
        event = CaseEvent(action, user.login, at, self.status, to, reason)
        return replace(self, status=to, **changes), event  # type: ignore[arg-type]

    # --- transitions --------------------------------------------------------------------------

    def claim(self, user: User, at: dt.datetime) -> tuple[Case, CaseEvent]:
        user.require(Role.CLERK, "claim")
        if self.status is CaseStatus.IN_PROGRESS and self.assignee != user.login:
            raise TransitionRefused(
                "case.claimed_by_other", reference=self.reference, assignee=self.assignee or "-"
            )
        self._require_status("claim", *ALLOWED_FROM[CaseAction.CLAIM])
        return self._move("claim", user, at, CaseStatus.IN_PROGRESS, assignee=user.login)

    def release(self, user: User, at: dt.datetime) -> tuple[Case, CaseEvent]:
        self._require_status("release", *ALLOWED_FROM[CaseAction.RELEASE])
        self._require_assignee(user)
        return self._move("release", user, at, CaseStatus.RECEIVED, assignee=None)

    def reassign(
        self, user: User, to: User, at: dt.datetime, reason: str = ""
    ) -> tuple[Case, CaseEvent]:
        user.require(Role.SUPERVISOR, "reassign")
        to.require(Role.CLERK, "be assigned")
        self._require_status("reassign", *ALLOWED_FROM[CaseAction.REASSIGN])
        return self._move(
            "reassign",
            user,
            at,
            CaseStatus.IN_PROGRESS,
            reason or f"→ {to.login}",
            assignee=to.login,
        )

    def verify_identity(
        self,
        user: User,
        level: IdentityLevel,
        method: str,
        at: dt.datetime,
        *,
        document: str = "",
        note: str = "",
    ) -> tuple[Case, CaseEvent]:
        """Record how the identity was verified (IdentityCheck in the event's reason); a
        visual check without a reader needs the clerk's note."""
        self._require_status("verify_identity", *ALLOWED_FROM[CaseAction.IDENTITY])
        self._require_assignee(user)
        if method in NOTE_REQUIRED and not note.strip():
            raise TransitionRefused("case.identity_note_required")
        reached = max(self.identity_verified, level)
        check = IdentityCheck(method, level, document, note.strip())
        event = CaseEvent(
            "verify_identity", user.login, at, self.status, self.status, check.reason()
        )
        return replace(self, identity_verified=reached), event

    def record_payment(
        self, user: User, state: PaymentState, reference: str, at: dt.datetime
    ) -> tuple[Case, CaseEvent]:
        self._require_status("record_payment", *ALLOWED_FROM[CaseAction.PAYMENT])
        self._require_assignee(user)
        if self.fee_cents == 0:
            raise TransitionRefused("case.no_fee_due", reference=self.reference)
        if state not in (PaymentState.PAID, PaymentState.FEE_NOTICE):
            raise DomainError("case.fee_unpaid", fee=format_cents(self.fee_cents))
        event = CaseEvent("record_payment", user.login, at, self.status, self.status, state.value)
        return replace(self, payment=state, payment_reference=reference), event

    def approve(self, user: User, at: dt.datetime) -> tuple[Case, CaseEvent]:
        self._require_status("approve", *ALLOWED_FROM[CaseAction.APPROVE])
        self._require_assignee(user)
        if self.needs_data_entry:  # first: what identity and fee are due depends on the data
            raise TransitionRefused("case.data_entry_pending", reference=self.reference)
        if self.identity_verified < self.identity_required:
            raise TransitionRefused(
                "case.identity_insufficient",
                actual=self.identity_verified.name,
                required=self.identity_required.name,
            )
        if self.payment is PaymentState.OPEN:
            raise TransitionRefused("case.fee_unpaid", fee=format_cents(self.fee_cents))
        return self._move("approve", user, at, CaseStatus.APPROVED)

    def enter_data(
        self, user: User, entered: EnteredData, at: dt.datetime
    ) -> tuple[Case, CaseEvent]:
        """The clerk typed the applicant's data from the scanned form; the case can now be
        decided like any other. The event names no personal data."""
        self._require_status("enter_data", *ALLOWED_FROM[CaseAction.ENTER_DATA])
        self._require_assignee(user)
        if not self.needs_data_entry:
            raise TransitionRefused("case.data_entered_already", reference=self.reference)
        event = CaseEvent("enter_data", user.login, at, self.status, self.status)
        return (
            replace(
                self,
                applicant=entered.applicant,
                form_data=entered.form_data,
                identity_required=entered.identity_required,
                fee_cents=entered.fee_cents,
                payment=entered.payment,
                needs_data_entry=False,
            ),
            event,
        )

    def ask_citizen(self, user: User, question: str, at: dt.datetime) -> tuple[Case, CaseEvent]:
        """Ask for a missing proof or detail; the case waits for the answer."""
        self._require_status("ask_citizen", *ALLOWED_FROM[CaseAction.ASK])
        self._require_assignee(user)
        if not question.strip():
            raise TransitionRefused("case.question_required")
        if not self.applicant.email:
            raise TransitionRefused("case.no_reply_channel", reference=self.reference)
        return self._move("ask_citizen", user, at, CaseStatus.WAITING, question.strip()[:500])

    def citizen_answered(self, actor: str, at: dt.datetime, summary: str) -> tuple[Case, CaseEvent]:
        """The citizen's answer arrived (through the portal); back to the assignee's desk."""
        self._require_status("citizen_answered", CaseStatus.WAITING)
        event = CaseEvent(
            "citizen_answered", actor, at, self.status, CaseStatus.IN_PROGRESS, summary[:500]
        )
        return replace(self, status=CaseStatus.IN_PROGRESS), event

    def reject(self, user: User, reason: str, at: dt.datetime) -> tuple[Case, CaseEvent]:
        self._require_status("reject", *ALLOWED_FROM[CaseAction.REJECT])
        self._require_assignee(user)
        if not reason.strip():
            raise TransitionRefused("case.reason_required")
        return self._move(
            "reject", user, at, CaseStatus.REJECTED, reason.strip(), decision_reason=reason.strip()
        )

    def mark_printed(self, user: User, at: dt.datetime, detail: str = "") -> tuple[Case, CaseEvent]:
        self._require_status("mark_printed", CaseStatus.APPROVED)
        return self._move("print", user, at, CaseStatus.PRINTED, detail)

    def put_in_box(self, user: User, at: dt.datetime, compartment: str) -> tuple[Case, CaseEvent]:
        self._require_status("put_in_box", CaseStatus.PRINTED)
        return self._move("box", user, at, CaseStatus.BOXED, compartment)

    def collect(self, user: User, at: dt.datetime) -> tuple[Case, CaseEvent]:
        self._require_status("collect", CaseStatus.BOXED)
        return self._move("collect", user, at, CaseStatus.COLLECTED)

    def return_from_box(self, user: User, at: dt.datetime) -> tuple[Case, CaseEvent]:
        self._require_status("return_from_box", CaseStatus.BOXED)
        return self._move("return", user, at, CaseStatus.RETURNED, "not collected in time")

    def hand_over(self, user: User, at: dt.datetime) -> tuple[Case, CaseEvent]:
        self._require_status("hand_over", CaseStatus.PRINTED, CaseStatus.RETURNED)
        return self._move("hand_over", user, at, CaseStatus.CLOSED)

    def close(self, user: User, at: dt.datetime) -> tuple[Case, CaseEvent]:
        self._require_status("close", CaseStatus.REJECTED, CaseStatus.COLLECTED)
        return self._move("close", user, at, CaseStatus.CLOSED)


@dataclass(frozen=True, slots=True)
class Note:
    author: str
    at: dt.datetime
    text: str


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    id: int
    filename: str
    media_type: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class NewAttachment:
    filename: str
    media_type: str
    content: bytes


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
        if (action is CaseAction.ENTER_DATA) != case.needs_data_entry and action in (
            CaseAction.ENTER_DATA,
            CaseAction.APPROVE,
        ):
            continue  # data entry first; approving waits for it
        if action is CaseAction.PRINT and not (
            case.assignee in (None, user.login) or user.has_role(Role.SUPERVISOR)
        ):
            continue
        available.add(action)
    return frozenset(available)


def format_cents(cents: int) -> str:
    euros, rest = divmod(cents, 100)
    return f"{euros},{rest:02d} €"


def initial_payment(fee_cents: int) -> PaymentState:
    return PaymentState.NONE_DUE if fee_cents == 0 else PaymentState.OPEN
