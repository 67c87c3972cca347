"""The case (Vorgang) and its state machine: every transition is a guarded method that returns
the changed case and the event that records it. Nothing else changes a case's state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from app.domain.applicant import Applicant
from app.domain.case_records import AttachmentInfo, NewAttachment, Note
from app.domain.case_states import (
    ACTION_TRANSITION,
    ALLOWED_FROM,
    ANSWER_CHANNELS,
    OPEN_STATUSES,
    REPRINTABLE,
    TRANSITIONS,
    CaseAction,
    CaseStatus,
    Move,
    Transition,
    available_actions,
)
from app.domain.errors import DomainError, TransitionRefused
from app.domain.identity import NOTE_REQUIRED, TAKE_OVER_WINDOW, IdentityCheck, IdentityLevel
from app.domain.users import Role, User

# fmt: off
__all__ = [  # what the rest of the code imports from here (some of it defined elsewhere)
    "ACTION_TRANSITION", "ALLOWED_FROM", "ANSWER_CHANNELS", "OPEN_STATUSES", "REPRINTABLE",
    "TRANSITIONS", "Applicant", "AttachmentInfo", "Case", "CaseAction", "CaseEvent",
    "CaseStatus", "Channel", "EnteredData", "Move", "NewAttachment", "Note", "PaymentState",
    "Transition", "available_actions", "format_cents", "initial_payment",
]
# fmt: on


class Channel(StrEnum):
    ONLINE = "online"
    COUNTER = "counter"
    PDF_FORM = "pdf_form"  # a filled PDF application form, by e-mail or from the scan folder


class PaymentState(StrEnum):
    NONE_DUE = "none_due"
    OPEN = "open"
    PAID = "paid"
    FEE_NOTICE = "fee_notice"  # a Gebührenbescheid with Kassenzeichen was issued
    RELEASED_UNPAID = "released_unpaid"  # still open; a supervisor let the case on regardless


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

    @property
    def fee_due(self) -> bool:
        """The fee is still to be paid (also when a supervisor released the case unpaid)."""
        return self.payment in (PaymentState.OPEN, PaymentState.RELEASED_UNPAID)

    # --- guards -------------------------------------------------------------------------------

    def _require(self, transition: Transition) -> Move:
        move = TRANSITIONS[transition]
        self._require_state(transition.value, move.start)
        return move

    def _require_state(self, action: str, allowed: frozenset[CaseStatus]) -> None:
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

    def _go(
        self,
        transition: Transition,
        actor: str,
        at: dt.datetime,
        reason: str = "",
        **changes: object,
    ) -> tuple[Case, CaseEvent]:
        """The transition, if the table lets it start here: the changed case and its event."""
        end = self._require(transition).end or self.status
        event = CaseEvent(transition.value, actor, at, self.status, end, reason)
        return replace(self, status=end, **changes), event  # type: ignore[arg-type]

    # --- transitions: each checks its own preconditions, the table checks the state ----------

    def claim(self, user: User, at: dt.datetime) -> tuple[Case, CaseEvent]:
        user.require(Role.CLERK, "claim")
        if self.status is CaseStatus.IN_PROGRESS and self.assignee != user.login:
            raise TransitionRefused(
                "case.claimed_by_other", reference=self.reference, assignee=self.assignee or "-"
            )
        return self._go(Transition.CLAIM, user.login, at, assignee=user.login)

    def release(self, user: User, at: dt.datetime) -> tuple[Case, CaseEvent]:
        self._require(Transition.RELEASE)
        self._require_assignee(user)
        return self._go(Transition.RELEASE, user.login, at, assignee=None)

    def reassign(
        self, user: User, to: User, at: dt.datetime, reason: str = ""
    ) -> tuple[Case, CaseEvent]:
        user.require(Role.SUPERVISOR, "reassign")
        to.require(Role.CLERK, "be assigned")
        return self._go(
            Transition.REASSIGN, user.login, at, reason or f"→ {to.login}", assignee=to.login
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
        self._require(Transition.VERIFY_IDENTITY)
        self._require_assignee(user)
        if method in NOTE_REQUIRED and not note.strip():
            raise TransitionRefused("case.identity_note_required")
        check = IdentityCheck(method, level, document, note.strip())
        return self._go(
            Transition.VERIFY_IDENTITY,
            user.login,
            at,
            check.reason(),
            identity_verified=max(self.identity_verified, level),
        )

    def take_over_identity(
        self, user: User, source: Case, made: CaseEvent, at: dt.datetime
    ) -> tuple[Case, CaseEvent]:
        """The check this clerk just made at the counter on the same person's other case
        (`made`, its event) counts for this one too; the event names where it came from."""
        self._require(Transition.VERIFY_IDENTITY)
        self._require_assignee(user)
        check = IdentityCheck.from_reason(made.reason)
        if (
            check is None
            or not check.reusable
            or made.action != Transition.VERIFY_IDENTITY.value
            or made.actor != user.login
            or at - made.at > TAKE_OVER_WINDOW
            or source.id == self.id
            or not self.applicant.is_same_person(source.applicant)
        ):
            raise TransitionRefused("case.identity_not_transferable", reference=source.reference)
        taken = replace(check, taken_over_from=source.reference)
        return self._go(
            Transition.VERIFY_IDENTITY,
            user.login,
            at,
            taken.reason(),
            identity_verified=max(self.identity_verified, check.level),
        )

    def record_payment(
        self, user: User, state: PaymentState, reference: str, at: dt.datetime
    ) -> tuple[Case, CaseEvent]:
        self._require(Transition.RECORD_PAYMENT)
        self._require_assignee(user)
        if self.fee_cents == 0:
            raise TransitionRefused("case.no_fee_due", reference=self.reference)
        if state not in (PaymentState.PAID, PaymentState.FEE_NOTICE):
            raise DomainError("case.fee_unpaid", fee=format_cents(self.fee_cents))
        return self._pay(Transition.RECORD_PAYMENT, user.login, at, state.value, state, reference)

    def _pay(
        self, move: Transition, actor: str, at: dt.datetime, why: str, state: PaymentState, ref: str
    ) -> tuple[Case, CaseEvent]:
        return self._go(move, actor, at, why[:500], payment=state, payment_reference=ref[:40])

    def reverse_payment(
        self, user: User, receipt: str, reason: str, at: dt.datetime
    ) -> tuple[Case, CaseEvent]:
        """A counter payment cancelled (its receipt named): the fee is open again."""
        self._require(Transition.REVERSE_PAYMENT)
        self._require_assignee(user)
        if self.payment is not PaymentState.PAID or self.payment_reference != receipt:
            raise TransitionRefused("case.payment_not_this", reference=self.reference)
        if not reason.strip():
            raise TransitionRefused("case.reason_required")
        why = f"{receipt}: {reason.strip()}"
        return self._pay(Transition.REVERSE_PAYMENT, user.login, at, why, PaymentState.OPEN, "")

    def release_unpaid(self, user: User, reason: str, at: dt.datetime) -> tuple[Case, CaseEvent]:
        """A supervisor lets the case be approved, printed and boxed with its fee open (the
        citizen pays later, by link or at pickup); the reason is on the case and audited."""
        self._require(Transition.RELEASE_UNPAID)
        user.require(Role.SUPERVISOR, "release unpaid")
        if self.payment is not PaymentState.OPEN:
            raise TransitionRefused("case.no_fee_due", reference=self.reference)
        if not reason.strip():
            raise TransitionRefused("case.reason_required")
        unpaid = PaymentState.RELEASED_UNPAID
        return self._pay(Transition.RELEASE_UNPAID, user.login, at, reason.strip(), unpaid, "")

    def adjust_fee(
        self, user: User, fee_cents: int, reason: str, at: dt.datetime
    ) -> tuple[Case, CaseEvent]:
        """A reduction or an exemption (0) of the catalogue's fee, with its reason (a
        Sozialpass, a fee waived by statute): never more than the fee, only while it is open."""
        self._require(Transition.ADJUST_FEE)
        self._require_assignee(user)
        if self.payment is not PaymentState.OPEN or not 0 <= fee_cents < self.fee_cents:
            raise TransitionRefused("case.fee_not_adjustable", fee=format_cents(self.fee_cents))
        if not reason.strip():
            raise TransitionRefused("case.reason_required")
        why = f"{format_cents(self.fee_cents)} → {format_cents(fee_cents)}: {reason.strip()}"
        state = PaymentState.NONE_DUE if fee_cents == 0 else PaymentState.OPEN
        changed, event = self._pay(Transition.ADJUST_FEE, user.login, at, why, state, "")
        return replace(changed, fee_cents=fee_cents), event

    def payment_booked(self, actor: str, reference: str, at: dt.datetime) -> tuple[Case, CaseEvent]:
        """The payment platform booked the fee in full (`actor` names the platform's sync):
        the fee is paid, its Kassenzeichen recorded."""
        self._require(Transition.PAYMENT_BOOKED)
        if not self.fee_due:
            raise TransitionRefused("case.no_fee_due", reference=self.reference)
        paid = PaymentState.PAID
        return self._pay(Transition.PAYMENT_BOOKED, actor, at, reference, paid, reference)

    def approve(self, user: User, at: dt.datetime) -> tuple[Case, CaseEvent]:
        self._require(Transition.APPROVE)
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
        return self._go(Transition.APPROVE, user.login, at)

    def enter_data(
        self, user: User, entered: EnteredData, at: dt.datetime
    ) -> tuple[Case, CaseEvent]:
        """The clerk typed the applicant's data from the scanned form; the case can now be
        decided like any other. The event names no personal data."""
        self._require(Transition.ENTER_DATA)
        self._require_assignee(user)
        if not self.needs_data_entry:
            raise TransitionRefused("case.data_entered_already", reference=self.reference)
        return self._go(
            Transition.ENTER_DATA,
            user.login,
            at,
            applicant=entered.applicant,
            form_data=entered.form_data,
            identity_required=entered.identity_required,
            fee_cents=entered.fee_cents,
            payment=entered.payment,
            needs_data_entry=False,
        )

    def ask_citizen(self, user: User, question: str, at: dt.datetime) -> tuple[Case, CaseEvent]:
        """Ask for a missing proof or detail; the case waits for the answer."""
        self._require(Transition.ASK_CITIZEN)
        self._require_assignee(user)
        if not question.strip():
            raise TransitionRefused("case.question_required")
        if not self.applicant.email:
            raise TransitionRefused("case.no_reply_channel", reference=self.reference)
        return self._go(Transition.ASK_CITIZEN, user.login, at, question.strip()[:500])

    def citizen_answered(self, actor: str, at: dt.datetime, summary: str) -> tuple[Case, CaseEvent]:
        """The citizen's answer arrived (through the portal); back to the assignee's desk."""
        return self._go(Transition.CITIZEN_ANSWERED, actor, at, summary[:500])

    def record_answer(
        self, user: User, channel: str, summary: str, at: dt.datetime
    ) -> tuple[Case, CaseEvent]:
        """The clerk records an answer that came another way (phone, a visit, a mail or a
        letter), or goes on without one ("none"): the case is back on their desk."""
        self._require(Transition.CITIZEN_ANSWERED)
        self._require_assignee(user)
        if channel not in ANSWER_CHANNELS:
            raise TransitionRefused("case.answer_channel", channel=channel)
        if channel != "none" and not summary.strip():
            raise TransitionRefused("case.answer_required")
        reason = f"{channel}: {summary.strip()}" if summary.strip() else channel
        return self._go(Transition.CITIZEN_ANSWERED, user.login, at, reason[:500])

    def reject(self, user: User, reason: str, at: dt.datetime) -> tuple[Case, CaseEvent]:
        self._require(Transition.REJECT)
        self._require_assignee(user)
        if not reason.strip():
            raise TransitionRefused("case.reason_required")
        reason = reason.strip()
        return self._go(Transition.REJECT, user.login, at, reason, decision_reason=reason)

    def require_printable(self, user: User) -> None:
        """An original or a notice may be printed now, by this user: the case is decided and
        the user is its clerk (or it has none) or a supervisor."""
        user.require(Role.CLERK, "print")
        self._require_state(CaseAction.PRINT.value, ALLOWED_FROM[CaseAction.PRINT])
        if self.assignee not in (None, user.login):
            self._require_assignee(user)

    def mark_printed(self, user: User, at: dt.datetime, detail: str = "") -> tuple[Case, CaseEvent]:
        return self._go(Transition.PRINT, user.login, at, detail)

    def hand_over(self, user: User, at: dt.datetime) -> tuple[Case, CaseEvent]:
        """The citizen took the original at the counter: the case is done."""
        user.require(Role.CLERK, "hand over")
        return self._go(Transition.HAND_OVER, user.login, at)

    def put_in_box(self, user: User, at: dt.datetime, compartment: str) -> tuple[Case, CaseEvent]:
        return self._go(Transition.BOX, user.login, at, compartment)

    def collect(self, user: User, at: dt.datetime) -> tuple[Case, CaseEvent]:
        return self._go(Transition.COLLECT, user.login, at)

    def return_from_box(self, user: User, at: dt.datetime) -> tuple[Case, CaseEvent]:
        return self._go(Transition.RETURN, user.login, at, "not collected in time")

    def close(self, user: User, at: dt.datetime) -> tuple[Case, CaseEvent]:
        return self._go(Transition.CLOSE, user.login, at)


def format_cents(cents: int) -> str:
    """'26,50 €'; a refund '-1,50 €' (not divmod's '-2,50 €')."""
    euros, rest = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}{euros},{rest:02d} €"


def initial_payment(fee_cents: int) -> PaymentState:
    return PaymentState.NONE_DUE if fee_cents == 0 else PaymentState.OPEN
