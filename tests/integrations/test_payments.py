"""Fees on the payment platform, on the real store (SQLite and PostgreSQL), the real intake
from the portal sandbox and the sandbox payment platform over HTTP: a portal payment still
INITIAL is asked about until it is booked, failed or cancelled; a booked amount that differs
from the fee is a note and keeps the fee open; a payment link is created once even when the
platform's answer is lost; the platform down loses nothing."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import replace
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from app.domain.cases import PaymentState
from app.domain.inbox import InboxQuery
from app.domain.outbox import Pending
from app.domain.payments import Booking, PlatformStatus, payment_request
from app.integrations.payment_platform import XBezahldiensteClient
from app.integrations.secrets import PAYMENT_PLATFORM_SECRET, KeyringSecretStore
from app.payment_cli import payment_command
from app.ports.payments import PlatformUnavailable
from app.services.intake import Intake
from app.services.payments import PaymentDesk
from app.store.outbox import SqlOutbox
from app.wiring import Core, build_payments
from app.wiring.secret_store import SMS_TOKEN as SMS_TOKEN_SECRET
from sandbox.fitconnect.sender import Sender
from sandbox.payment_platform.process import PlatformProcess
from sandbox.sms_gateway import SmsGatewaySink
from sandbox.smtp_sink import SmtpSink
from tests.conftest import SMS_TOKEN, FixedClock

FEE_PAPER = 900  # Meldebescheinigung (einfach) on paper
PAPER = {"delivery": "paper"}


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[PlatformProcess]:
    """One platform per test: a link's requestId (the case's reference) is the platform's key,
    and each test's database numbers its cases from 1."""
    with PlatformProcess(tmp_path / "platform") as process:
        yield process


@pytest.fixture
def payments(core: Core, platform: PlatformProcess) -> PaymentDesk:
    core.settings = replace(
        core.settings,
        payment_platform_url=platform.base_url,
        payment_originator_id=platform.originator,
        payment_endpoint_id=platform.endpoint,
        payment_auth="basic",
        payment_client_id=platform.client_id,
        payment_redirect_url="https://service.example.org/danke",
    )
    KeyringSecretStore().set(PAYMENT_PLATFORM_SECRET, platform.client_secret)
    platform.fault("")
    return build_payments(core)


def portal_paid(platform: PlatformProcess, amount_cents: int, key: str) -> dict[str, object]:
    """What a portal puts in the metadata after the citizen began paying on the platform."""
    client = XBezahldiensteClient(
        platform.base_url,
        originator=platform.originator,
        endpoint=platform.endpoint,
        auth="basic",
        client_id=platform.client_id,
        secret=platform.client_secret,
    )
    answer = client.create(
        payment_request(
            request_id=key,
            reference="PORTAL",
            service="Meldebescheinigung",
            fee_cents=amount_cents,
            booking=Booking("431100", "1220"),
            redirect_url="",
            at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
        )
    )
    return {
        "transactionId": answer.transaction_id,
        "transactionReference": answer.reference,
        "transactionUrl": answer.status_url,
        "paymentMethod": "CREDITCARD",
        "status": "INITIAL",
        "grossAmount": amount_cents / 100,
    }


def taken(core: Core, intake: Intake, sender: Sender, information: dict[str, object]) -> int:
    submission = sender.submit(
        "meldebescheinigung_einfach", payment_information=information, answers=PAPER
    )
    assert intake.run_once().received == 1
    return next(
        row.id
        for row in core.desk.inbox_page(InboxQuery(), offset=0, limit=50)
        if core.cases.get(row.id).submission_id == submission
    )


def test_a_portal_payment_is_asked_until_booked_failed_or_cancelled(
    core: Core,
    intake: Intake,
    sender: Sender,
    platform: PlatformProcess,
    payments: PaymentDesk,
    clock: FixedClock,
) -> None:
    outcomes = {}
    for outcome in ("BOOKED", "FAILED", "CANCELED"):
        information = portal_paid(platform, FEE_PAPER, f"portal-{outcome}-{id(core)}")
        case_id = taken(core, intake, sender, information)
        assert core.cases.get(case_id).payment is PaymentState.OPEN  # not paid while INITIAL
        outcomes[outcome] = (case_id, str(information["transactionId"]))
    assert payments.sync().waiting == 3  # asked at once: the citizens have not paid yet
    for outcome, (_case_id, transaction) in outcomes.items():
        platform.settle(transaction, outcome)
    assert payments.sync().asked == 0  # not due again yet: asked less often as time goes by
    clock.advance(minutes=2)
    report = payments.sync()
    assert (report.booked, report.not_paid) == (1, 2), report
    booked = core.cases.get(outcomes["BOOKED"][0])
    assert booked.payment is PaymentState.PAID and booked.payment_reference.startswith("KZ")
    assert core.cases.history(booked.id)[-1].action == "payment_booked"
    for outcome in ("FAILED", "CANCELED"):
        case_id = outcomes[outcome][0]
        assert core.cases.get(case_id).payment is PaymentState.OPEN
        shown = payments.for_case(case_id)
        assert shown is not None and shown.status is PlatformStatus(outcome)
    clock.advance(hours=1)
    assert payments.sync().asked == 0  # final states are not asked about again
    assert core.audit.verify() == []


def test_a_booked_amount_that_differs_is_a_note_and_keeps_the_fee_open(
    core: Core,
    intake: Intake,
    sender: Sender,
    platform: PlatformProcess,
    payments: PaymentDesk,
    clock: FixedClock,
) -> None:
    information = portal_paid(platform, 500, f"portal-short-{id(core)}")
    case_id = taken(core, intake, sender, information)
    platform.settle(str(information["transactionId"]), "BOOKED")
    clock.advance(minutes=2)
    assert payments.sync().amount_differs == 1
    case = core.cases.get(case_id)
    assert case.payment is PaymentState.OPEN  # so it is not approved, printed or boxed
    notes = [note.text for note in core.cases.notes(case_id)]
    assert any("5,00 €" in text and "9,00 €" in text for text in notes), notes


def test_a_payment_link_is_created_once_even_when_the_answer_is_lost(
    core: Core,
    staff: dict[str, object],
    platform: PlatformProcess,
    payments: PaymentDesk,
    clock: FixedClock,
    sink: SmtpSink,
    sms: SmsGatewaySink,
) -> None:
    from tests.conftest import meldebescheinigung_form

    clerk = staff["clerk"]
    case = core.desk.open_walk_in(
        user=clerk,  # type: ignore[arg-type]
        service_id="meldebescheinigung_einfach",
        form=meldebescheinigung_form(email="anna@example.org", mobile_phone="0171 2345678"),
        claim=True,
    )
    before = len(platform.payments())
    platform.fault(lose_answers=1)  # the platform makes the payment, its answer never arrives
    with pytest.raises(PlatformUnavailable):
        payments.create_link(user=clerk, case_id=case.id)  # type: ignore[arg-type]
    waiting = payments.for_case(case.id)
    assert waiting is not None and not waiting.created and waiting.problem
    clock.advance(minutes=2)
    assert payments.sync().waiting == 1  # sent again under the same requestId
    link = payments.for_case(case.id)
    assert link is not None and link.created and link.pay_url
    again = payments.create_link(user=clerk, case_id=case.id)  # type: ignore[arg-type]
    assert again.request_id == link.request_id  # one link at a time
    assert len(platform.payments()) == before + 1  # one payment on the platform, not two
    core.settings = replace(
        core.settings, smtp_host="127.0.0.1", smtp_port=sink.port, sms_gateway_url=sms.base_url
    )
    KeyringSecretStore().set(SMS_TOKEN_SECRET, SMS_TOKEN)
    sms.stop()  # the SMS gateway is down: the text waits in the outbox, the mail goes
    desk = build_payments(core)
    notice = desk.send_link(user=clerk, case_id=case.id)  # type: ignore[arg-type]
    assert (notice.sent, notice.waiting) == (["E-Mail"], ["SMS"])
    sms.start()
    clock.advance(minutes=1)
    assert desk.outbox is not None and desk.outbox.send_due().sent == 1
    assert desk.outbox.send_due().sent == 0 and len(sms.messages) == 1  # once
    mail = message_from_bytes(sink.messages[-1].as_bytes(), policy=policy.default)
    assert isinstance(mail, EmailMessage) and case.reference in str(mail["Subject"])
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None and link.pay_url in body.get_content()
    assert link.pay_url in sms.messages[-1].text and "9,00" in sms.messages[-1].text
    platform.settle(link.transaction_id, "BOOKED")
    clock.advance(minutes=5)
    assert payments.sync().booked == 1
    assert core.cases.get(case.id).payment is PaymentState.PAID


def test_a_link_asked_for_while_the_platform_is_stopped_is_created_once_it_is_back(
    core: Core,
    staff: dict[str, object],
    platform: PlatformProcess,
    payments: PaymentDesk,
    clock: FixedClock,
) -> None:
    """The platform's process really stopped: the link's request is kept, shown as waiting
    in the outbox's summary, and made once (the same requestId) by the sync when it is back."""
    from tests.conftest import meldebescheinigung_form

    clerk = staff["clerk"]
    case = core.desk.open_walk_in(
        user=clerk,  # type: ignore[arg-type]
        service_id="meldebescheinigung_einfach",
        form=meldebescheinigung_form(email="anna@example.org"),
        claim=True,
    )
    before = len(platform.payments())
    platform.stop()
    with pytest.raises(PlatformUnavailable):
        payments.create_link(user=clerk, case_id=case.id)  # type: ignore[arg-type]
    assert SqlOutbox(core.database).summary().pending[Pending.PAYMENTS] == 1
    clock.advance(minutes=2)
    assert payments.sync().unreachable == 1  # still stopped: asked again later
    platform.start()
    clock.advance(minutes=5)
    assert payments.sync().waiting == 1
    link = payments.for_case(case.id)
    assert link is not None and link.created
    assert len(platform.payments()) == before + 1
    assert SqlOutbox(core.database).summary().pending[Pending.PAYMENTS] == 0
    clock.advance(minutes=5)
    payments.sync()
    assert len(platform.payments()) == before + 1  # once


def test_the_platform_down_loses_nothing_and_the_command_says_so(
    core: Core,
    intake: Intake,
    sender: Sender,
    platform: PlatformProcess,
    payments: PaymentDesk,
    clock: FixedClock,
    tmp_path: Path,
) -> None:
    information = portal_paid(platform, FEE_PAPER, f"portal-down-{id(core)}")
    case_id = taken(core, intake, sender, information)
    platform.fault("offline")
    try:
        report = payments.sync()
        assert report.unreachable == 1 and report.booked == 0
        waiting = payments.for_case(case_id)
        assert waiting is not None and waiting.status is PlatformStatus.INITIAL
        assert waiting.problem and waiting.next_check_at is not None  # asked again later
    finally:
        platform.fault("")
    platform.settle(str(information["transactionId"]), "BOOKED")
    clock.advance(minutes=2)
    assert payments.sync().booked == 1
    assert core.cases.get(case_id).payment is PaymentState.PAID


def test_payment_commands_print_json_and_exit_by_the_answer(
    core: Core,
    intake: Intake,
    sender: Sender,
    platform: PlatformProcess,
    payments: PaymentDesk,
    capsys: pytest.CaptureFixture[str],
) -> None:
    information = portal_paid(platform, FEE_PAPER, f"portal-cli-{id(core)}")
    case_id = taken(core, intake, sender, information)
    reference = core.cases.get(case_id).reference
    capsys.readouterr()
    assert payment_command(core, "status", reference) == 1  # open while INITIAL
    shown = json.loads(capsys.readouterr().out)
    assert shown["payment"] == "open" and shown["platform"]["status"] == "INITIAL"
    assert payment_command(core, "status", "XX-0000-000000") == 2
    assert "no case" in capsys.readouterr().err
    platform.fault("offline")
    try:
        assert payment_command(core, "sync", None) == 2  # cannot check: the platform is down
        assert json.loads(capsys.readouterr().out)["unreachable"] == 1
    finally:
        platform.fault("")
