"""The pickup box end to end against the emulated controller over real HTTP (its own process,
its state on disk) and a real SMTP sink: loading, the code mail, collection at the keypad,
reminders, returns, and each failure the issue names: the box offline, events missed and
delivered twice, two clerks racing for a compartment, a conflict, the app killed between door
open and door closed, brute force at the keypad."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from pathlib import Path
from typing import Any, cast

import pytest

from app.domain.cases import CaseStatus
from app.domain.errors import DomainError
from app.domain.outbox import MessageState
from app.domain.pickup import CompartmentState, LoadingState
from app.domain.users import User
from app.integrations.pickup_box import BoxUnavailable
from app.integrations.settings import Settings
from app.services.pickup import PickupDesk
from app.store.outbox import SqlOutbox
from app.wiring import Core, build_pickup
from sandbox.pickup_box.process import BoxProcess, BoxRefusedAtKeypad
from sandbox.sms_gateway import SmsGatewaySink
from sandbox.smtp_sink import SmtpSink
from tests.conftest import SMS_TOKEN, FixedClock, decided_walk_in, meldebescheinigung_form

TOKEN = "test-box-token"
BIRTH = "1985-03-14"  # meldebescheinigung_form's date of birth


@pytest.fixture
def box(tmp_path: Path) -> Iterator[BoxProcess]:
    with BoxProcess(tmp_path / "box", boxes={"SI": 24}, token=TOKEN) as process:
        yield process


def desk_on(core: Core, box: BoxProcess, sink: SmtpSink, **settings: Any) -> PickupDesk:
    core.secrets().set("pickup-box-token-si", TOKEN)
    configured = Settings(
        database_url=core.settings.database_url,
        pickup_boxes=f"SI={box.url('SI')}",
        box_addresses="SI=Markt 2, 57072 Siegen",
        smtp_host="127.0.0.1",
        smtp_port=sink.port,
        **settings,
    )
    return build_pickup(dataclasses.replace(core, settings=configured))


@pytest.fixture
def pickup(core: Core, box: BoxProcess, sink: SmtpSink) -> PickupDesk:
    return desk_on(core, box, sink)


def printed_case(core: Core, clerk: User, **form: str) -> int:
    return printed(core, clerk, meldebescheinigung_form(email="anna@example.org", **form))


def printed(core: Core, clerk: User, form: dict[str, str]) -> int:
    case_id = decided_walk_in(core, clerk, form=form)
    case = core.cases.get(case_id)
    printed, event = case.mark_printed(clerk, core.clock.now(), "Theke-1")
    core.cases.save(printed, event, expected_version=case.version)
    return case_id


def parsed(message: Message) -> EmailMessage:
    return cast(EmailMessage, message_from_bytes(message.as_bytes(), policy=policy.default))


def text_of(message: Message) -> str:
    body = parsed(message).get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())  # type: ignore[attr-defined]


def code_in(message: Message) -> str:
    found = re.search(r"Abholcode:\s+(\d{8})", text_of(message))
    assert found, text_of(message)
    return found.group(1)


def test_load_mail_collect_close(
    core: Core, staff: dict[str, User], pickup: PickupDesk, box: BoxProcess, sink: SmtpSink
) -> None:
    clerk = staff["clerk"]
    case_id = printed_case(core, clerk)
    loading = pickup.load(user=clerk, case_id=case_id, office="SI")
    assert loading.state is LoadingState.DOOR_OPEN
    view = {v.compartment.id: v for v in pickup.view("SI")}
    assert view[loading.compartment].compartment.state is CompartmentState.DOOR_OPEN

    box.physical("SI").close(loading.compartment)
    report = pickup.sync("SI")
    assert report.loaded == [loading.reference]
    assert core.cases.get(case_id).status is CaseStatus.BOXED
    (mail,) = sink.messages
    assert mail["To"] == "anna@example.org" and "Ausgabebox" in text_of(mail)
    attachments = [part.get_filename() for part in parsed(mail).iter_attachments()]
    assert attachments == ["abholcode.png"]
    code = code_in(mail)
    assert pickup.code_matches(loading.id, code)
    # the code is nowhere in our database: only its keyed hash
    assert pickup.records.code_digest(
        loading.id
    ) != code and code not in pickup.records.code_digest(loading.id)

    with pytest.raises(BoxRefusedAtKeypad):
        box.physical("SI").collect(code, "1985-03-15")  # the wrong second factor
    assert box.physical("SI").collect(code, BIRTH) == loading.compartment
    report = pickup.sync("SI")
    assert report.collected == [loading.reference]
    assert core.cases.get(case_id).status is CaseStatus.CLOSED
    with pytest.raises(BoxRefusedAtKeypad):
        box.physical("SI").collect(code, BIRTH)  # one-time
    assert core.audit.verify() == []


def test_box_offline_refuses_loading_and_leaves_nothing(
    core: Core, staff: dict[str, User], pickup: PickupDesk, box: BoxProcess
) -> None:
    case_id = printed_case(core, staff["clerk"])
    box.physical("SI").offline(True)
    with pytest.raises(BoxUnavailable) as refused:
        pickup.load(user=staff["clerk"], case_id=case_id, office="SI")
    assert "antwortet nicht" in refused.value.text("de")
    assert pickup.records.active("SI") == [] and pickup.records.for_case(case_id) == []
    assert core.cases.get(case_id).status is CaseStatus.PRINTED
    box.physical("SI").offline(False)
    assert (
        pickup.load(user=staff["clerk"], case_id=case_id, office="SI").state
        is LoadingState.DOOR_OPEN
    )


def test_events_missed_while_offline_are_caught_up_once(
    core: Core, staff: dict[str, User], pickup: PickupDesk, box: BoxProcess, sink: SmtpSink
) -> None:
    clerk = staff["clerk"]
    loading = pickup.load(user=clerk, case_id=printed_case(core, clerk), office="SI")
    box.physical("SI").close(loading.compartment)
    pickup.sync("SI")
    code = code_in(sink.messages[0])
    box.physical("SI").offline(True)  # the seat cannot reach the box; the keypad still works
    box.physical("SI").collect(code, BIRTH)
    with pytest.raises(BoxUnavailable):
        pickup.sync("SI")
    box.physical("SI").offline(False)
    assert pickup.sync("SI").collected == [loading.reference]
    # the same events delivered again (a cursor lost): harmless
    pickup.records.store_events("SI", [], "000000000000", core.clock.now())
    again = pickup.sync("SI")
    assert again.events == 0 and again.collected == []
    assert core.cases.get(loading.case_id).status is CaseStatus.CLOSED


def test_two_clerks_loading_into_the_same_compartment_one_wins(
    core: Core, staff: dict[str, User], pickup: PickupDesk
) -> None:
    from app.domain.pickup import Size
    from app.store.pickup import CompartmentTaken

    first = core.cases.get(printed_case(core, staff["clerk"]))
    second = core.cases.get(printed_case(core, staff["clerk2"]))
    common = {
        "office": "SI",
        "compartment": "7",
        "size": Size.S,
        "step_free": False,
        "hold_days": 7,
        "at": core.clock.now(),
    }
    pickup.records.begin(case=first, by="a.becker", **common)  # type: ignore[arg-type]
    with pytest.raises(CompartmentTaken):
        pickup.records.begin(case=second, by="b.schulz", **common)  # type: ignore[arg-type]
    # and the desk picks another compartment for the second clerk
    loading = pickup.load(user=staff["clerk2"], case_id=second.id, office="SI")
    assert loading.compartment != "7"


def test_an_item_the_database_does_not_know_is_a_conflict(
    core: Core, staff: dict[str, User], pickup: PickupDesk, box: BoxProcess
) -> None:
    box.physical("SI").phantom("3", "SI-2026-999999")
    report = pickup.sync("SI")
    assert "unknown_item" in report.issues
    (issue,) = pickup.issues("SI")
    assert issue.compartment == "3" and issue.kind == "unknown_item"
    assert {v.compartment.id: v.conflict for v in pickup.view("SI")}["3"] == "unknown_item"
    pickup.sync("SI")
    assert len(pickup.issues("SI")) == 1  # raised once, until a supervisor resolves it
    with pytest.raises(DomainError):
        pickup.resolve_issue(user=staff["clerk"], issue_id=issue.id)
    pickup.resolve_issue(user=staff["supervisor"], issue_id=issue.id)
    assert pickup.issues("SI") == []


def test_killed_between_door_opened_and_closed_the_restart_reconciles(
    core: Core, staff: dict[str, User], pickup: PickupDesk, box: BoxProcess, sink: SmtpSink
) -> None:
    loading = pickup.load(
        user=staff["clerk"], case_id=printed_case(core, staff["clerk"]), office="SI"
    )
    box.stop()  # the box's controller restarts too: its state is on disk
    box.start()
    box.physical("SI").close(loading.compartment)
    # a fresh desk, as after the seat's restart: it knows only the database and the box
    restarted = build_pickup(dataclasses.replace(core, settings=pickup_settings(pickup)))
    assert restarted.sync("SI").loaded == [loading.reference]
    assert core.cases.get(loading.case_id).status is CaseStatus.BOXED
    assert len(sink.messages) == 1


def pickup_settings(pickup: PickupDesk) -> Settings:
    box = pickup.box("SI")
    mailer = pickup.mailer
    assert mailer is not None
    return Settings(
        pickup_boxes=f"SI={box.base_url}",  # type: ignore[attr-defined]
        smtp_host="127.0.0.1",
        smtp_port=mailer.port,  # type: ignore[attr-defined]
    )


def test_brute_force_locks_the_compartment_and_raises_an_alert(
    core: Core, staff: dict[str, User], pickup: PickupDesk, box: BoxProcess, sink: SmtpSink
) -> None:
    pickup.rules = dataclasses.replace(pickup.rules, alert_to="leitung@siegen.example")
    loading = pickup.load(
        user=staff["clerk"], case_id=printed_case(core, staff["clerk"]), office="SI"
    )
    box.physical("SI").close(loading.compartment)
    pickup.sync("SI")
    code = code_in(sink.messages[0])
    for day in range(1, 6):
        with pytest.raises(BoxRefusedAtKeypad):
            box.physical("SI").collect(code, f"2000-01-0{day}")
    with pytest.raises(BoxRefusedAtKeypad):
        box.physical("SI").collect(code, BIRTH)  # locked: the right answer no longer opens it
    report = pickup.sync("SI")
    assert "locked" in report.issues
    assert [i.kind for i in pickup.issues("SI")] == ["locked"]
    (alert,) = [m for m in sink.messages if m["To"] == "leitung@siegen.example"]
    assert "locked" in alert["Subject"] and "Anna" not in text_of(alert)  # no personal data
    # a new code unlocks it; the old one is dead
    pickup.renew_code(user=staff["clerk"], loading_id=loading.id)
    new_code = code_in(sink.messages[-1])
    assert new_code != code
    with pytest.raises(BoxRefusedAtKeypad):
        box.physical("SI").collect(code, BIRTH)
    assert box.physical("SI").collect(new_code, BIRTH) == loading.compartment


def test_reminder_two_days_before_and_the_return_after_the_deadline(
    core: Core,
    staff: dict[str, User],
    pickup: PickupDesk,
    box: BoxProcess,
    sink: SmtpSink,
    clock: FixedClock,
) -> None:
    clock.current = dt.datetime.now(dt.UTC)  # the box stamps its events with the real time
    loading = pickup.load(
        user=staff["clerk"], case_id=printed_case(core, staff["clerk"]), office="SI"
    )
    box.physical("SI").close(loading.compartment)
    pickup.sync("SI")
    deadline = pickup.records.get(loading.id).deadline
    assert deadline is not None and (deadline.date() - clock.now().date()).days == 7
    clock.advance(days=5, hours=1)
    sink.stop()  # the relay is down when the reminder is due: it waits in the outbox
    mails = len(sink.messages)
    assert pickup.sync("SI").reminders == [loading.reference]
    assert pickup.sync("SI").reminders == []  # queued once, not again at each sync
    (waiting,) = SqlOutbox(core.database).for_case(loading.case_id)
    assert waiting.state is MessageState.PENDING and waiting.attempts >= 1
    sink.start()
    clock.advance(minutes=5)
    pickup.sync("SI")
    pickup.sync("SI")
    assert len(sink.messages) == mails + 1  # sent once, when the relay was back
    assert "Erinnerung" in sink.messages[-1]["Subject"]
    clock.advance(days=3)
    report = pickup.sync("SI")
    assert report.returns_due == [loading.reference]
    pickup.take_back(user=staff["clerk"], loading_id=loading.id)
    box.physical("SI").close(loading.compartment, occupied=False)
    assert pickup.sync("SI").returned == [loading.reference]
    assert core.cases.get(loading.case_id).status is CaseStatus.RETURNED
    assert {v.compartment.id: v for v in pickup.view("SI")}[
        loading.compartment
    ].compartment.state is CompartmentState.FREE


def test_not_eligible_cases_are_refused_with_reasons(
    core: Core, staff: dict[str, User], pickup: PickupDesk
) -> None:
    case_id = decided_walk_in(core, staff["clerk"])  # approved, not printed, no e-mail
    with pytest.raises(DomainError) as refused:
        pickup.load(user=staff["clerk"], case_id=case_id, office="SI")
    assert "nicht gedruckt" in refused.value.text("de") and "E-Mail" in refused.value.text("de")
    english = refused.value.text("en")  # the clerk's language, reasons too
    assert "printed" in english and "nicht" not in english


def test_four_eyes_waits_for_a_second_clerk_signed_in_as_themselves(
    core: Core, staff: dict[str, User], pickup: PickupDesk, box: BoxProcess
) -> None:
    """The first clerk's scan claims a compartment but opens nothing; the loader cannot
    confirm their own loading; a second clerk, signed in as themselves, confirms it and the
    door opens. Both are in the audit trail under their own logins."""
    four_eyes = pickup
    four_eyes.rules = dataclasses.replace(pickup.rules, four_eyes=True)
    case_id = printed_case(core, staff["clerk"])
    waiting = four_eyes.load(user=staff["clerk"], case_id=case_id, office="SI")
    assert waiting.state is LoadingState.CONFIRMING and waiting.confirmed_by == ""
    door = {c.id: c.state for c in four_eyes.box("SI").compartments()}[waiting.compartment]
    assert door is CompartmentState.FREE  # nothing opened yet
    assert four_eyes.awaiting_confirmation("SI", user=staff["clerk"]) == []
    assert [w.id for w in four_eyes.awaiting_confirmation("SI", user=staff["clerk2"])] == [
        waiting.id
    ]
    with pytest.raises(DomainError, match="Four eyes"):
        four_eyes.confirm(user=staff["clerk"], loading_id=waiting.id)
    with pytest.raises(DomainError, match="already in the pickup box"):
        four_eyes.load(user=staff["clerk"], case_id=case_id, office="SI")  # held while waiting
    opened = four_eyes.confirm(user=staff["clerk2"], loading_id=waiting.id)
    assert opened.state is LoadingState.DOOR_OPEN and opened.confirmed_by == "b.schulz"
    trail = [
        (r.entry.actor, r.entry.action)
        for r in core.audit.records()
        if r.entry.subject == opened.reference
    ]
    assert (staff["clerk"].login, "box.second_person_asked") in trail
    assert ("b.schulz", "box.second_person_confirmed") in trail
    with pytest.raises(DomainError, match="not waiting"):
        four_eyes.confirm(user=staff["clerk2"], loading_id=waiting.id)


def test_an_unconfirmed_loading_is_withdrawn_or_ends_by_itself(
    core: Core, staff: dict[str, User], pickup: PickupDesk, clock: FixedClock
) -> None:
    four_eyes = pickup
    four_eyes.rules = dataclasses.replace(pickup.rules, four_eyes=True)
    first = four_eyes.load(
        user=staff["clerk"], case_id=printed_case(core, staff["clerk"]), office="SI"
    )
    declined = four_eyes.withdraw(user=staff["clerk2"], loading_id=first.id)
    assert declined.state is LoadingState.CANCELLED
    second = four_eyes.load(user=staff["clerk"], case_id=first.case_id, office="SI")
    clock.advance(minutes=16)  # nobody confirmed: the first clerk has long left the box
    four_eyes.sync("SI")
    assert four_eyes.loading(second.id).state is LoadingState.CANCELLED
    assert four_eyes.awaiting_confirmation("SI", user=staff["clerk2"]) == []


def test_a_step_free_request_gets_a_low_compartment(
    core: Core, staff: dict[str, User], pickup: PickupDesk
) -> None:
    loading = pickup.load(
        user=staff["clerk"], case_id=printed_case(core, staff["clerk"]), office="SI", step_free=True
    )
    low = {v.compartment.id: v.compartment.low for v in pickup.view("SI")}
    assert low[loading.compartment]


# --- the code by SMS, where the citizen gave a mobile number and a gateway is configured ------


@pytest.fixture
def texting(core: Core, box: BoxProcess, sink: SmtpSink, sms: SmsGatewaySink) -> PickupDesk:
    core.secrets().set("sms-gateway-token", SMS_TOKEN)
    return desk_on(core, box, sink, sms_gateway_url=sms.base_url)


def phone_only_case(core: Core, clerk: User) -> int:
    """A printed case whose citizen gave a mobile number and no e-mail address."""
    return printed(core, clerk, meldebescheinigung_form(mobile_phone="0171 392 00 14"))


def test_the_code_by_sms_collects_like_the_mail(
    core: Core,
    staff: dict[str, User],
    texting: PickupDesk,
    box: BoxProcess,
    sink: SmtpSink,
    sms: SmsGatewaySink,
) -> None:
    case_id = phone_only_case(core, staff["clerk"])
    assert core.cases.get(case_id).applicant.mobile_phone == "01713920014"
    loading = texting.load(user=staff["clerk"], case_id=case_id, office="SI")
    box.physical("SI").close(loading.compartment)
    texting.sync("SI")
    assert sink.messages == []  # no address: no mail
    (text,) = sms.messages
    assert text.to == "+491713920014" and (text.parts, text.encoding) == (1, "gsm7")
    found = re.search(r"Code (\d{8})", text.text)
    assert found and loading.reference in text.text and "Markt 2" in text.text
    assert "Müller" not in text.text  # the reference says which; the name stays off the phone
    assert box.physical("SI").collect(found.group(1), BIRTH) == loading.compartment
    assert texting.sync("SI").collected == [loading.reference]
    assert core.cases.get(case_id).status is CaseStatus.CLOSED
    assert core.audit.verify() == []


def test_both_channels_and_a_gateway_offline_retries_with_a_new_code(
    core: Core,
    staff: dict[str, User],
    texting: PickupDesk,
    box: BoxProcess,
    sink: SmtpSink,
    sms: SmsGatewaySink,
) -> None:
    mailer = texting.mailer
    texting.notifier.mailer = None  # type: ignore[attr-defined]  # only the text can go: down
    sms.offline = True
    case_id = printed_case(core, staff["clerk"], mobile_phone="+49 171 3920015")
    loading = texting.load(user=staff["clerk"], case_id=case_id, office="SI")
    box.physical("SI").close(loading.compartment)
    texting.sync("SI")
    assert texting.records.get(loading.id).state is LoadingState.LOADED  # nothing reached anyone
    assert core.cases.get(case_id).status is CaseStatus.BOXED
    sms.offline = False
    texting.notifier.mailer = mailer  # type: ignore[attr-defined]
    texting.sync("SI")  # the next sync issues a new code, by both channels
    assert texting.records.get(loading.id).state is LoadingState.CODE_SENT
    (text,) = sms.messages
    (mail,) = sink.messages
    assert "Neuer Abholcode" in text.text and code_in(mail) in text.text
    assert box.physical("SI").collect(code_in(mail), BIRTH) == loading.compartment


def test_a_landline_or_no_gateway_is_no_way_to_the_citizen(
    core: Core, staff: dict[str, User], pickup: PickupDesk, texting: PickupDesk
) -> None:
    case_id = phone_only_case(core, staff["clerk"])
    with pytest.raises(DomainError) as refused:
        pickup.load(user=staff["clerk"], case_id=case_id, office="SI")  # no gateway here
    assert "Mobilnummer" in refused.value.text("de")
    landline = printed(core, staff["clerk"], meldebescheinigung_form(mobile_phone="0271 404 0"))
    with pytest.raises(DomainError):
        texting.load(user=staff["clerk"], case_id=landline, office="SI")


def test_step_free_reach_asked_in_the_form_gets_a_low_compartment(
    core: Core, staff: dict[str, User], pickup: PickupDesk
) -> None:
    case_id = printed_case(core, staff["clerk"], box_pickup="true", box_step_free="true")
    loading = pickup.load(user=staff["clerk"], case_id=case_id, office="SI")  # clerk sets nothing
    low = {v.compartment.id: v.compartment.low for v in pickup.view("SI")}
    assert low[loading.compartment] and loading.step_free


def test_the_originals_waiting_for_the_box_are_listed_until_loaded(
    core: Core, staff: dict[str, User], pickup: PickupDesk
) -> None:
    chosen = printed_case(core, staff["clerk"], box_pickup="true")
    printed_case(core, staff["clerk"], box_pickup="false")  # collects at the counter
    printed_case(core, staff["clerk"])  # did not say
    office = next(o for o in core.users.offices() if o.id == core.cases.get(chosen).office_id)
    assert office.code == "SI"
    assert [row.id for row in pickup.to_load("SI")] == [chosen]
    pickup.load(user=staff["clerk"], case_id=chosen, office="SI")
    assert pickup.to_load("SI") == []  # its door is open: it is on its way in
