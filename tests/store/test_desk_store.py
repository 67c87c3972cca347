"""Use cases on the real store, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app.domain.cases import CaseStatus, Channel, NewAttachment, PaymentState
from app.domain.errors import ConcurrentChange, DomainError, PermissionDenied, TransitionRefused
from app.domain.identity import IdentityLevel
from app.domain.inbox import InboxQuery, SortKey
from app.domain.users import User
from app.services.desk import FormInvalid
from app.wiring import Core
from tests.conftest import FixedClock, meldebescheinigung_form


def test_walk_in_case_gets_reference_fee_sla_and_audit(core: Core, staff: dict[str, User]) -> None:
    clerk = staff["clerk"]
    case = core.desk.open_walk_in(
        user=clerk,
        service_id="meldebescheinigung_einfach",
        form=meldebescheinigung_form(),
        attachments=(NewAttachment("ausweis.pdf", "application/pdf", b"%PDF-1.4 test"),),
    )
    assert case.reference == "SI-2026-000001"
    assert case.channel is Channel.COUNTER and case.status is CaseStatus.RECEIVED
    assert case.fee_cents == 900 and case.payment is PaymentState.OPEN
    assert case.identity_required is IdentityLevel.HIGH
    assert case.due_at.date().isoformat() == "2026-11-24"  # two working days after a Friday
    details = core.desk.open_case(user=clerk, case_id=case.id)
    assert details.case.applicant.family_name == "Müller"
    assert [a.filename for a in details.attachments] == ["ausweis.pdf"]
    assert details.history[0].action == "open"
    assert (
        core.desk.attachment_content(
            user=clerk, case_id=case.id, attachment_id=details.attachments[0].id
        )
        == b"%PDF-1.4 test"
    )
    actions = [
        record.entry.action
        for record in core.audit.records()
        if not record.entry.action.startswith(("office.", "user."))  # the fixture's staff
    ]
    assert actions == ["case.open", "case.viewed", "case.attachment_viewed"]
    assert all("Müller" not in record.entry.detail for record in core.audit.records())
    assert core.audit.verify() == []


def test_references_are_unique_per_office_and_year(
    core: Core, staff: dict[str, User], clock: FixedClock
) -> None:
    offices = {o.code: o.id for o in core.users.offices()}
    refs = [
        core.desk.open_walk_in(
            user=staff["clerk"],
            service_id="meldebescheinigung_einfach",
            form=meldebescheinigung_form(),
            office_id=offices[code],
        ).reference
        for code in ("SI", "SI", "GE")
    ]
    clock.advance(days=60)  # into 2027
    refs.append(
        core.desk.open_walk_in(
            user=staff["clerk"],
            service_id="meldebescheinigung_einfach",
            form=meldebescheinigung_form(),
        ).reference
    )
    assert refs == ["SI-2026-000001", "SI-2026-000002", "GE-2026-000001", "SI-2027-000001"]


def test_invalid_walk_in_form_names_fields_and_stores_nothing(
    core: Core, staff: dict[str, User]
) -> None:
    with pytest.raises(FormInvalid) as invalid:
        core.desk.open_walk_in(
            user=staff["clerk"],
            service_id="meldebescheinigung_einfach",
            form=meldebescheinigung_form(birth_date="31.02.1985", family_name=""),
        )
    assert {e.field for e in invalid.value.errors} == {"birth_date", "family_name"}
    assert core.desk.inbox_count(InboxQuery()) == 0


def test_full_decision_path_with_history(core: Core, staff: dict[str, User]) -> None:
    clerk = staff["clerk"]
    case = core.desk.open_walk_in(
        user=clerk, service_id="meldebescheinigung_einfach", form=meldebescheinigung_form()
    )
    core.desk.claim(user=clerk, case_id=case.id)
    with pytest.raises(TransitionRefused):
        core.desk.approve(user=clerk, case_id=case.id)
    core.desk.verify_identity(
        user=clerk,
        case_id=case.id,
        level=IdentityLevel.HIGH,
        method="counter_visual",
        note="Reisepass",
    )
    core.desk.record_payment(user=clerk, case_id=case.id, state=PaymentState.PAID, reference="bar")
    approved = core.desk.approve(user=clerk, case_id=case.id)
    assert approved.status is CaseStatus.APPROVED
    stored = core.cases.get(case.id)
    assert stored == approved
    history = core.cases.history(case.id)
    assert [e.action for e in history] == [
        "open",
        "claim",
        "verify_identity",
        "record_payment",
        "approve",
    ]
    assert history[-1].actor == clerk.login


def test_stale_version_is_refused(core: Core, staff: dict[str, User]) -> None:
    clerk = staff["clerk"]
    case = core.desk.open_walk_in(
        user=clerk, service_id="meldebescheinigung_einfach", form=meldebescheinigung_form()
    )
    claimed, event = case.claim(clerk, case.received_at)
    core.cases.save(claimed, event, expected_version=case.version)
    with pytest.raises(ConcurrentChange):
        core.cases.save(claimed, event, expected_version=case.version)


def test_second_claim_in_process_gets_clear_message(core: Core, staff: dict[str, User]) -> None:
    case = core.desk.open_walk_in(
        user=staff["clerk"], service_id="meldebescheinigung_einfach", form=meldebescheinigung_form()
    )
    core.desk.claim(user=staff["clerk"], case_id=case.id)
    with pytest.raises(TransitionRefused) as refused:
        core.desk.claim(user=staff["clerk2"], case_id=case.id)
    assert "a.becker" in refused.value.text("de")


def test_reassign_is_for_supervisors(core: Core, staff: dict[str, User]) -> None:
    case = core.desk.open_walk_in(
        user=staff["clerk"], service_id="meldebescheinigung_einfach", form=meldebescheinigung_form()
    )
    with pytest.raises(PermissionDenied):
        core.desk.reassign(user=staff["clerk"], case_id=case.id, to_login="b.schulz")
    with pytest.raises(DomainError):
        core.desk.reassign(user=staff["supervisor"], case_id=case.id, to_login="nobody")
    moved = core.desk.reassign(user=staff["supervisor"], case_id=case.id, to_login="b.schulz")
    assert moved.assignee == "b.schulz" and moved.status is CaseStatus.IN_PROGRESS


def test_notes(core: Core, staff: dict[str, User], clock: FixedClock) -> None:
    case = core.desk.open_walk_in(
        user=staff["clerk"], service_id="meldebescheinigung_einfach", form=meldebescheinigung_form()
    )
    with pytest.raises(DomainError):
        core.desk.add_note(user=staff["clerk"], case_id=case.id, text="  ")
    core.desk.add_note(user=staff["clerk"], case_id=case.id, text="Rückruf vereinbart")
    clock.advance(minutes=5)
    core.desk.add_note(user=staff["clerk2"], case_id=case.id, text="Unterlagen da")
    assert [(n.author, n.text) for n in core.cases.notes(case.id)] == [
        ("a.becker", "Rückruf vereinbart"),
        ("b.schulz", "Unterlagen da"),
    ]


def test_a_second_case_at_the_desk_takes_over_the_identity_check(
    core: Core, staff: dict[str, User], clock: FixedClock
) -> None:
    """The same citizen opens a second case while at the desk: the check of the first is
    offered and taken over (audited, naming the first case); not for another person, not
    for another clerk, not after the sitting."""
    clerk = staff["clerk"]

    def walk_in(**form: str) -> int:
        return core.desk.open_walk_in(
            user=clerk,
            service_id="meldebescheinigung_einfach",
            form=meldebescheinigung_form(**form),
            claim=True,
        ).id

    first = walk_in()
    core.desk.verify_identity(
        user=clerk,
        case_id=first,
        level=IdentityLevel.HIGH,
        method="card_can",
        document="german-eid",
    )
    clock.advance(minutes=12)
    second, stranger = walk_in(family_name="Mueller"), walk_in(given_names="Paul")
    assert core.desk.identity_offer(user=clerk, case_id=stranger) is None
    assert core.desk.identity_offer(user=staff["clerk2"], case_id=second) is None
    offer = core.desk.identity_offer(user=clerk, case_id=second)
    assert offer is not None and offer.case_id == first
    assert (offer.check.method, offer.check.document) == ("card_can", "german-eid")

    taken = core.desk.take_over_identity(user=clerk, case_id=second, source_case_id=first)
    assert taken.identity_verified is IdentityLevel.HIGH
    first_reference = core.cases.get(first).reference
    assert core.cases.history(second)[-1].reason.endswith(f"from={first_reference}")
    audited = [r.entry for r in core.audit.records() if r.entry.action == "case.verify_identity"]
    assert audited[-1].subject == taken.reference and first_reference in audited[-1].detail
    assert core.audit.verify() == []

    clock.advance(hours=2)
    assert core.desk.identity_offer(user=clerk, case_id=stranger) is None
    with pytest.raises(TransitionRefused):
        core.desk.take_over_identity(user=clerk, case_id=stranger, source_case_id=first)


@pytest.mark.parametrize(
    ("stored", "typed"),
    [("Ayşe", "Ayse"), ("Łukasz", "lukasz"), ("Søren", "Soeren"), ("Dvořák", "dvorak")],
)
def test_search_folds_every_latin_diacritic(
    core: Core, staff: dict[str, User], stored: str, typed: str
) -> None:
    case = core.desk.open_walk_in(
        user=staff["clerk"],
        service_id="meldebescheinigung_einfach",
        form=meldebescheinigung_form(given_names=stored),
    )
    found = core.desk.inbox_page(InboxQuery(search=typed), offset=0, limit=10)
    assert [row.id for row in found] == [case.id]


def test_inbox_filters_search_sort_and_paging(
    core: Core, staff: dict[str, User], clock: FixedClock
) -> None:
    offices = {o.code: o.id for o in core.users.offices()}
    people = [
        ("Müller", "SI"),
        ("Mueller", "GE"),
        ("Schröder", "SI"),
        ("Weiß", "WE"),
        ("Özdemir", "EI"),
    ]
    ids = []
    for family, office in people:
        clock.advance(hours=1)
        ids.append(
            core.desk.open_walk_in(
                user=staff["clerk"],
                service_id="meldebescheinigung_einfach",
                form=meldebescheinigung_form(family_name=family),
                office_id=offices[office],
            ).id
        )
    core.desk.claim(user=staff["clerk"], case_id=ids[2])
    desk = core.desk
    assert desk.inbox_count(InboxQuery()) == 5
    assert {
        r.applicant.split(",")[0]
        for r in desk.inbox_page(InboxQuery(search="muller"), offset=0, limit=10)
    } == {"Müller", "Mueller"}
    assert desk.inbox_count(InboxQuery(search="weiss")) == 1
    assert desk.inbox_count(InboxQuery(search="GE-2026")) == 1
    assert desk.inbox_count(InboxQuery(search="100%")) == 0
    assert desk.inbox_count(InboxQuery(office_id=offices["SI"])) == 2
    assert desk.inbox_count(InboxQuery(statuses=frozenset({CaseStatus.IN_PROGRESS}))) == 1
    assert desk.inbox_count(InboxQuery(channel=Channel.ONLINE)) == 0
    assert desk.inbox_count(InboxQuery(service_id="geburtsurkunde")) == 0
    assert desk.inbox_count(InboxQuery(received_before=clock.now() - dt.timedelta(hours=2))) == 3
    by_name = desk.inbox_page(InboxQuery(sort=SortKey.APPLICANT), offset=0, limit=10)
    assert [r.applicant.split(",")[0] for r in by_name] == [
        "Mueller",
        "Müller",
        "Schröder",
        "Weiß",
        "Özdemir",
    ]
    newest_first = desk.inbox_page(InboxQuery(descending=True), offset=0, limit=2)
    second_page = desk.inbox_page(InboxQuery(descending=True), offset=2, limit=2)
    assert [r.id for r in newest_first + second_page] == ids[::-1][:4]


def test_audit_verify_finds_changed_removed_and_reordered(
    core: Core, staff: dict[str, User]
) -> None:
    start, _ = core.audit.head()  # the fixture's offices and staff came first
    for _ in range(4):
        core.desk.open_walk_in(
            user=staff["clerk"],
            service_id="meldebescheinigung_einfach",
            form=meldebescheinigung_form(),
        )
    assert core.audit.verify() == []
    two, three = start + 2, start + 3
    engine = core.database.engine
    with engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE audit_records SET actor = 'mallory' WHERE seq = :q"), {"q": two}
        )
    assert any("changed" in problem for problem in core.audit.verify())
    with engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE audit_records SET actor = 'a.becker' WHERE seq = :q"), {"q": two}
        )
    assert core.audit.verify() == []
    with engine.begin() as connection:  # swap the contents of records 2 and 3
        rows = {
            r.seq: r
            for r in connection.execute(
                sa.text("SELECT * FROM audit_records WHERE seq IN (:a, :b)"), {"a": two, "b": three}
            )
        }
        for seq, other in ((two, three), (three, two)):
            connection.execute(
                sa.text("UPDATE audit_records SET subject=:s, hash=:h, prev_hash=:p WHERE seq=:q"),
                {
                    "s": rows[other].subject,
                    "h": rows[other].hash,
                    "p": rows[other].prev_hash,
                    "q": seq,
                },
            )
    assert core.audit.verify()
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM audit_records WHERE seq = :q"), {"q": start + 4})
    assert any("removed" in problem for problem in core.audit.verify())


def test_role_checks_live_in_the_services(core: Core, staff: dict[str, User]) -> None:
    from app.domain.users import Role
    from app.services.staff import save_user, sign_in

    with pytest.raises(PermissionDenied):
        save_user(
            users=core.users,
            clock=core.clock,
            actor=staff["supervisor"],
            login="x",
            display_name="x",
            role=Role.ADMIN,
            office_id=staff["clerk"].office_id,
        )
    saved = save_user(
        users=core.users,
        clock=core.clock,
        actor=staff["admin"],
        login="c.neu",
        display_name="C. Neu",
        role=Role.CLERK,
        office_id=staff["clerk"].office_id,
        active=False,
    )
    assert saved.role is Role.CLERK
    with pytest.raises(DomainError) as refused:
        sign_in(users=core.users, login="c.neu")
    assert refused.value.key == "user.inactive"
    with pytest.raises(DomainError):
        sign_in(users=core.users, login="unknown")
    assert sign_in(users=core.users, login="a.becker") == staff["clerk"]


def test_bulk_demo_load_then_single_writes_continue(core: Core, staff: dict[str, User]) -> None:
    from app.wiring import seed_demo

    assert seed_demo(core, count=30, if_empty=True, login="it.admin") == 30
    assert seed_demo(core, count=30, if_empty=True, login="it.admin") == 0
    case = core.desk.open_walk_in(
        user=staff["clerk"], service_id="meldebescheinigung_einfach", form=meldebescheinigung_form()
    )
    assert core.cases.get(case.id).reference == case.reference
    references = [r.reference for r in core.desk.inbox_page(InboxQuery(), offset=0, limit=100)]
    assert len(references) == len(set(references)) == 31
    assert core.audit.verify() == []
