"""Every transition of the case state machine, allowed and refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import pytest

from app.domain.cases import (
    TRANSITIONS,
    Applicant,
    Case,
    CaseAction,
    CaseEvent,
    CaseStatus,
    Channel,
    EnteredData,
    PaymentState,
    available_actions,
)
from app.domain.errors import DomainError, PermissionDenied, TransitionRefused
from app.domain.identity import IdentityCheck, IdentityLevel
from app.domain.users import Role, User

AT = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
CLERK = User(1, "a.becker", "A. Becker", Role.CLERK, 1)
OTHER = User(2, "b.schulz", "B. Schulz", Role.CLERK, 1)
SUPERVISOR = User(3, "t.leitung", "T. Leitung", Role.SUPERVISOR, 1)


def make_case(status: CaseStatus = CaseStatus.RECEIVED, **changes: object) -> Case:
    case = Case(
        id=1,
        reference="SI-2026-000001",
        office_id=1,
        service_id="meldebescheinigung_einfach",
        channel=Channel.ONLINE,
        status=status,
        applicant=Applicant("Müller", "Anna", dt.date(1985, 3, 14), "anna.mueller@example.org"),
        form_data=(("delivery", "paper"),),
        identity_required=IdentityLevel.HIGH,
        identity_verified=IdentityLevel.HIGH,
        fee_cents=900,
        payment=PaymentState.PAID,
        payment_reference="KZ-1",
        received_at=AT,
        due_at=AT + dt.timedelta(days=2),
        assignee=CLERK.login if status in (CaseStatus.IN_PROGRESS, CaseStatus.WAITING) else None,
    )
    return replace(case, **changes)  # type: ignore[arg-type]


ENTERED = EnteredData(
    applicant=Applicant("Müller", "Anna", dt.date(1985, 3, 14), "anna.mueller@example.org"),
    form_data=(("delivery", "paper"),),
    identity_required=IdentityLevel.HIGH,
    fee_cents=900,
    payment=PaymentState.OPEN,
)


Change = Callable[[Case], tuple[Case, CaseEvent]]
# written from the process, apart from the domain's table (which must say the same)
EXPECTED: dict[str, tuple[Change, set[CaseStatus], CaseStatus | None]] = {
    "claim": (
        lambda c: c.claim(CLERK, AT),
        {CaseStatus.RECEIVED, CaseStatus.RETURNED},
        CaseStatus.IN_PROGRESS,
    ),
    "release": (lambda c: c.release(CLERK, AT), {CaseStatus.IN_PROGRESS}, CaseStatus.RECEIVED),
    "reassign": (
        lambda c: c.reassign(SUPERVISOR, OTHER, AT),
        {CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS, CaseStatus.RETURNED},
        CaseStatus.IN_PROGRESS,
    ),
    "verify_identity": (
        lambda c: c.verify_identity(CLERK, IdentityLevel.HIGH, "counter_visual", AT, note="Pass"),
        {CaseStatus.IN_PROGRESS},
        None,
    ),
    "record_payment": (
        lambda c: c.record_payment(CLERK, PaymentState.PAID, "KZ-2", AT),
        {CaseStatus.IN_PROGRESS},
        None,
    ),
    "reverse_payment": (
        lambda c: replace(c, payment_reference="SI-Q-2026-000001").reverse_payment(
            CLERK, "SI-Q-2026-000001", "falsch gebucht", AT
        ),
        {CaseStatus.IN_PROGRESS},
        None,
    ),
    "adjust_fee": (
        lambda c: replace(c, payment=PaymentState.OPEN).adjust_fee(CLERK, 450, "Sozialpass", AT),
        {CaseStatus.IN_PROGRESS},
        None,
    ),
    "release_unpaid": (
        lambda c: replace(c, payment=PaymentState.OPEN).release_unpaid(SUPERVISOR, "Härtefall", AT),
        {CaseStatus.IN_PROGRESS},
        None,
    ),
    "payment_booked": (
        lambda c: replace(c, payment=PaymentState.OPEN).payment_booked("plattform", "KZ9", AT),
        {
            CaseStatus.RECEIVED,
            CaseStatus.IN_PROGRESS,
            CaseStatus.WAITING,
            CaseStatus.APPROVED,
            CaseStatus.PRINTED,
            CaseStatus.RETURNED,
        },
        None,
    ),
    "enter_data": (
        lambda c: replace(c, needs_data_entry=True).enter_data(CLERK, ENTERED, AT),
        {CaseStatus.IN_PROGRESS},
        None,
    ),
    "approve": (lambda c: c.approve(CLERK, AT), {CaseStatus.IN_PROGRESS}, CaseStatus.APPROVED),
    "ask_citizen": (
        lambda c: c.ask_citizen(CLERK, "Bitte Nachweis", AT),
        {CaseStatus.IN_PROGRESS},
        CaseStatus.WAITING,
    ),
    "citizen_answered": (
        lambda c: c.citizen_answered("portal", AT, "1 Anlage"),
        {CaseStatus.WAITING},
        CaseStatus.IN_PROGRESS,
    ),
    "reject": (
        lambda c: c.reject(CLERK, "Unterlagen fehlen", AT),
        {CaseStatus.IN_PROGRESS},
        CaseStatus.REJECTED,
    ),
    "print": (
        lambda c: c.mark_printed(CLERK, AT),
        {CaseStatus.APPROVED},
        CaseStatus.PRINTED,
    ),
    "box": (
        lambda c: c.put_in_box(CLERK, AT, "Fach 3"),
        {CaseStatus.PRINTED},
        CaseStatus.BOXED,
    ),
    "collect": (lambda c: c.collect(CLERK, AT), {CaseStatus.BOXED}, CaseStatus.COLLECTED),
    "return": (
        lambda c: c.return_from_box(CLERK, AT),
        {CaseStatus.BOXED},
        CaseStatus.RETURNED,
    ),
    "hand_over": (
        lambda c: c.hand_over(CLERK, AT),
        {CaseStatus.PRINTED, CaseStatus.RETURNED},
        CaseStatus.CLOSED,
    ),
    "close": (
        lambda c: c.close(CLERK, AT),
        {CaseStatus.REJECTED, CaseStatus.COLLECTED},
        CaseStatus.CLOSED,
    ),
}


def test_the_domains_table_is_the_process() -> None:
    assert {t.value: (set(m.start), m.end) for t, m in TRANSITIONS.items()} == {
        name: (allowed, target) for name, (_change, allowed, target) in EXPECTED.items()
    }


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("status", list(CaseStatus))
def test_every_transition_from_every_status(name: str, status: CaseStatus) -> None:
    transition, allowed, target = EXPECTED[name]
    case = make_case(status)
    if status in allowed:
        changed, event = transition(case)
        assert changed.status is (target or status)
        assert event.action == name
        assert event.from_status is status
        assert event.to_status is changed.status
        assert event.at == AT
    else:
        with pytest.raises(TransitionRefused) as refused:
            transition(case)
        assert case.reference in refused.value.text("de")


def test_claim_sets_assignee_and_second_clerk_is_told_who_has_it() -> None:
    claimed, _ = make_case().claim(CLERK, AT)
    assert claimed.assignee == CLERK.login
    with pytest.raises(TransitionRefused) as refused:
        claimed.claim(OTHER, AT)
    assert refused.value.key == "case.claimed_by_other"
    assert "a.becker" in refused.value.text("de")


def test_only_the_assignee_or_a_supervisor_may_decide() -> None:
    case = make_case(CaseStatus.IN_PROGRESS)
    with pytest.raises(TransitionRefused, match=r"assigned to a\.becker"):
        case.approve(OTHER, AT)
    approved, _ = case.approve(SUPERVISOR, AT)
    assert approved.status is CaseStatus.APPROVED


def test_approve_needs_sufficient_identity() -> None:
    case = make_case(CaseStatus.IN_PROGRESS, identity_verified=IdentityLevel.SUBSTANTIAL)
    with pytest.raises(TransitionRefused) as refused:
        case.approve(CLERK, AT)
    assert refused.value.key == "case.identity_insufficient"
    with pytest.raises(TransitionRefused):  # a visual check without a note is refused
        case.verify_identity(CLERK, IdentityLevel.HIGH, "counter_visual", AT)
    verified, event = case.verify_identity(
        CLERK, IdentityLevel.HIGH, "counter_visual", AT, note="Reisepass vorgelegt"
    )
    assert event.reason == "counter_visual: HIGH | note=Reisepass vorgelegt"
    assert verified.approve(CLERK, AT)[0].status is CaseStatus.APPROVED


def test_identity_level_never_goes_down() -> None:
    case = make_case(CaseStatus.IN_PROGRESS)
    lowered, _ = case.verify_identity(CLERK, IdentityLevel.BASIC, "portal", AT)
    assert lowered.identity_verified is IdentityLevel.HIGH


def test_approve_needs_payment_or_fee_notice() -> None:
    unpaid = make_case(CaseStatus.IN_PROGRESS, payment=PaymentState.OPEN)
    with pytest.raises(TransitionRefused, match="9,00 €"):
        unpaid.approve(CLERK, AT)
    noticed, _ = unpaid.record_payment(CLERK, PaymentState.FEE_NOTICE, "KZ-77", AT)
    assert noticed.approve(CLERK, AT)[0].status is CaseStatus.APPROVED
    free = make_case(CaseStatus.IN_PROGRESS, payment=PaymentState.NONE_DUE, fee_cents=0)
    assert free.approve(CLERK, AT)[0].status is CaseStatus.APPROVED


def test_recording_payment_as_open_is_refused() -> None:
    case = make_case(CaseStatus.IN_PROGRESS, payment=PaymentState.OPEN)
    with pytest.raises(DomainError):
        case.record_payment(CLERK, PaymentState.OPEN, "", AT)


def test_reject_needs_a_reason_and_keeps_it() -> None:
    case = make_case(CaseStatus.IN_PROGRESS)
    with pytest.raises(TransitionRefused) as refused:
        case.reject(CLERK, "   ", AT)
    assert refused.value.text("en") == "A rejection needs a reason"
    rejected, event = case.reject(CLERK, " Wohnungsgeberbestätigung fehlt ", AT)
    assert rejected.decision_reason == "Wohnungsgeberbestätigung fehlt"
    assert event.reason == "Wohnungsgeberbestätigung fehlt"


def test_reassign_needs_a_supervisor() -> None:
    with pytest.raises(PermissionDenied):
        make_case().reassign(CLERK, OTHER, AT)
    moved, _ = make_case(CaseStatus.IN_PROGRESS).reassign(SUPERVISOR, OTHER, AT)
    assert moved.assignee == OTHER.login


def test_inactive_user_may_not_claim() -> None:
    with pytest.raises(PermissionDenied):
        make_case().claim(replace(CLERK, active=False), AT)


def test_asking_needs_a_question_and_a_reply_channel() -> None:
    case = make_case(CaseStatus.IN_PROGRESS)
    with pytest.raises(TransitionRefused):
        case.ask_citizen(CLERK, " ", AT)
    no_mail = replace(case, applicant=replace(case.applicant, email=""))
    with pytest.raises(TransitionRefused) as refused:
        no_mail.ask_citizen(CLERK, "Bitte Nachweis nachreichen", AT)
    assert refused.value.key == "case.no_reply_channel"
    waiting, event = case.ask_citizen(CLERK, "Bitte Nachweis nachreichen", AT)
    assert waiting.assignee == CLERK.login and event.reason == "Bitte Nachweis nachreichen"


# --- the actions a case page offers ----------------------------------------------------------

OFFERED: dict[CaseAction, Callable[[Case, User], object]] = {
    CaseAction.CLAIM: lambda c, u: c.claim(u, AT),
    CaseAction.RELEASE: lambda c, u: c.release(u, AT),
    CaseAction.REASSIGN: lambda c, u: c.reassign(u, OTHER, AT),
    CaseAction.IDENTITY: lambda c, u: c.verify_identity(u, IdentityLevel.HIGH, "counter", AT),
    CaseAction.PAYMENT: lambda c, u: c.record_payment(u, PaymentState.PAID, "KZ-2", AT),
    CaseAction.APPROVE: lambda c, u: c.approve(u, AT),
    CaseAction.REJECT: lambda c, u: c.reject(u, "fehlt", AT),
    CaseAction.ASK: lambda c, u: c.ask_citizen(u, "Bitte Nachweis", AT),
    CaseAction.PRINT: lambda c, u: c.require_printable(u),
    CaseAction.HAND_OVER: lambda c, u: c.hand_over(u, AT),
    CaseAction.ENTER_DATA: lambda c, u: c.enter_data(u, ENTERED, AT),
    CaseAction.RECORD_ANSWER: lambda c, u: c.record_answer(u, "phone", "kommt morgen", AT),
    CaseAction.RELEASE_UNPAID: lambda c, u: c.release_unpaid(u, "Härtefall", AT),
}


def test_every_page_action_is_in_the_agreement_test() -> None:
    assert set(OFFERED) == set(CaseAction)


@pytest.mark.parametrize("status", list(CaseStatus))
@pytest.mark.parametrize("user", [CLERK, OTHER, SUPERVISOR], ids=lambda u: u.login)
@pytest.mark.parametrize("email", ["anna.mueller@example.org", ""])
@pytest.mark.parametrize("fee", [900, 0])
@pytest.mark.parametrize("assignee", [None, CLERK.login])
@pytest.mark.parametrize("scan", [False, True], ids=["form", "scan"])
def test_the_page_offers_exactly_what_the_state_machine_allows(
    status: CaseStatus, user: User, email: str, fee: int, assignee: str | None, scan: bool
) -> None:
    """One source for 'may the clerk do this now': what `available_actions` offers is what
    the transition accepts, for every state, user, reply channel and fee."""
    case = make_case(
        status,
        applicant=replace(make_case().applicant, email=email),
        fee_cents=fee,
        payment=PaymentState.PAID if fee else PaymentState.NONE_DUE,
        assignee=assignee,
        needs_data_entry=scan,
    )
    offered = available_actions(case, user)
    for action, transition in OFFERED.items():
        try:
            transition(case, user)
        except DomainError:
            allowed = False
        else:
            allowed = True
        assert (action in offered) is allowed, (action, status, user.login)


def test_a_waiting_walk_in_case_is_never_stranded() -> None:
    """A question about a counter case has no portal to be answered on: the clerk records the
    answer that came by phone, in person, by mail or letter, or goes on without one."""
    waiting = make_case(CaseStatus.WAITING, assignee=CLERK.login)
    assert CaseAction.RECORD_ANSWER in available_actions(waiting, CLERK)
    assert CaseAction.RECORD_ANSWER in available_actions(waiting, SUPERVISOR)
    answered, event = waiting.record_answer(CLERK, "visit", "Nachweis vorgelegt", AT)
    assert answered.status is CaseStatus.IN_PROGRESS
    assert (event.action, event.reason) == ("citizen_answered", "visit: Nachweis vorgelegt")
    resumed, event = waiting.record_answer(SUPERVISOR, "none", "", AT)
    assert resumed.status is CaseStatus.IN_PROGRESS and event.reason == "none"
    with pytest.raises(TransitionRefused):
        waiting.record_answer(CLERK, "phone", "  ", AT)  # an answer needs its content
    with pytest.raises(TransitionRefused):
        waiting.record_answer(OTHER, "phone", "x", AT)  # not their case


def test_a_check_of_the_same_sitting_is_taken_over_for_the_same_person_only() -> None:
    """The citizen at the desk opens a second case: the ID document the clerk checked minutes
    ago counts for it too, named in its event; never for someone else, another clerk's check,
    a later visit, or a check that was itself taken over."""
    first = make_case(CaseStatus.IN_PROGRESS, identity_verified=IdentityLevel.NONE)
    checked, made = first.verify_identity(
        CLERK, IdentityLevel.HIGH, "card_can", AT, document="german-eid"
    )
    second = make_case(
        CaseStatus.IN_PROGRESS,
        id=2,
        reference="SI-2026-000002",
        identity_verified=IdentityLevel.NONE,
        applicant=Applicant("MUELLER", "anna", dt.date(1985, 3, 14)),  # as a passport spells it
    )
    later = AT + dt.timedelta(minutes=20)
    taken, event = second.take_over_identity(CLERK, checked, made, later)
    assert taken.identity_verified is IdentityLevel.HIGH
    assert event.action == "verify_identity"
    assert event.reason == "card_can: HIGH | document=german-eid | from=SI-2026-000001"
    check = IdentityCheck.from_reason(event.reason)
    assert check is not None and check.taken_over_from == "SI-2026-000001"
    assert not check.reusable  # no chains: the next case takes it from the first, or not at all

    someone_else = replace(second, applicant=Applicant("Müller", "Anna", dt.date(1986, 3, 14)))
    too_late = AT + dt.timedelta(hours=2, minutes=1)
    refusals = [
        lambda: someone_else.take_over_identity(CLERK, checked, made, later),
        lambda: second.take_over_identity(CLERK, checked, made, too_late),
        lambda: replace(second, assignee=OTHER.login).take_over_identity(
            OTHER, checked, made, later
        ),
        lambda: second.take_over_identity(CLERK, taken, event, later),
        lambda: second.take_over_identity(
            CLERK, checked, replace(made, reason="online_eid: HIGH"), later
        ),
        lambda: checked.take_over_identity(CLERK, checked, made, later),  # the case itself
    ]
    for refused_change in refusals:
        with pytest.raises(TransitionRefused) as refused:
            refused_change()
        assert refused.value.key == "case.identity_not_transferable"


def test_a_note_with_separators_survives_the_record() -> None:
    check = IdentityCheck("counter_visual", IdentityLevel.HIGH, note="Pass | Nr. x=1")
    assert IdentityCheck.from_reason(check.reason()) == check


def test_a_supervisor_releases_an_unpaid_case_with_a_reason() -> None:
    """The fee stays due (a link or the counter can still take it), approval is no longer
    blocked by it; only a supervisor, only with a reason, only while the fee is open."""
    case = make_case(CaseStatus.IN_PROGRESS, payment=PaymentState.OPEN, assignee=CLERK.login)
    with pytest.raises(TransitionRefused):
        case.approve(CLERK, AT)
    assert CaseAction.RELEASE_UNPAID not in available_actions(case, CLERK)
    assert CaseAction.RELEASE_UNPAID in available_actions(case, SUPERVISOR)
    with pytest.raises(PermissionDenied):
        case.release_unpaid(CLERK, "Härtefall", AT)
    with pytest.raises(TransitionRefused):
        case.release_unpaid(SUPERVISOR, "  ", AT)
    released, event = case.release_unpaid(SUPERVISOR, "zahlt bei Abholung", AT)
    assert released.payment is PaymentState.RELEASED_UNPAID and released.fee_due
    assert (event.action, event.actor, event.reason) == (
        "release_unpaid",
        "t.leitung",
        "zahlt bei Abholung",
    )
    approved, _ = released.approve(CLERK, AT)
    assert approved.status is CaseStatus.APPROVED
    paid, _ = released.payment_booked("zahlungsabgleich", "KZ1", AT)
    assert paid.payment is PaymentState.PAID and not paid.fee_due


def test_a_fee_is_reduced_or_waived_with_a_reason_never_raised() -> None:
    case = make_case(CaseStatus.IN_PROGRESS, payment=PaymentState.OPEN, assignee=CLERK.login)
    reduced, event = case.adjust_fee(CLERK, 450, "Sozialpass", AT)
    assert (reduced.fee_cents, reduced.payment) == (450, PaymentState.OPEN)
    assert event.reason == "9,00 € → 4,50 €: Sozialpass"
    waived, _ = case.adjust_fee(CLERK, 0, "gebührenfrei nach § 10 GebG NRW", AT)
    assert (waived.fee_cents, waived.payment) == (0, PaymentState.NONE_DUE)
    for fee, reason in ((900, "gleich"), (1200, "mehr"), (-1, "negativ"), (450, " ")):
        with pytest.raises(TransitionRefused):
            case.adjust_fee(CLERK, fee, reason, AT)
    with pytest.raises(TransitionRefused):  # paid already: nothing to reduce
        replace(case, payment=PaymentState.PAID).adjust_fee(CLERK, 450, "Sozialpass", AT)
