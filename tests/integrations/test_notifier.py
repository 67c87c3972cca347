"""The citizen's notices through a real SMTP relay (the aiosmtpd sink): by every channel the
citizen has, the pickup code's QR code attached, a relay that is down said or left for later."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy

import pytest

from app.domain.notices import Citizen, Notice, pickup_code_notice
from app.domain.pickup_mail import BoxPlace
from app.domain.users import User
from app.integrations.mail import MailUnavailable, SmtpMailer
from app.integrations.notifier import MailAndSms
from app.wiring import Core
from sandbox.pgcluster import free_port
from sandbox.smtp_sink import SmtpSink

CITIZEN = Citizen("SI-2026-000045", "anna.mueller@example.org", "")
PLACE = BoxPlace("Bürgerbüro Siegen", "Markt 2, 57072 Siegen", "Stadt Siegen")


def test_a_pickup_code_goes_by_mail_with_its_qr_code() -> None:
    notice = pickup_code_notice(
        language="de",
        reference=CITIZEN.reference,
        service="Meldebescheinigung",
        code="04711234",
        place=PLACE,
        deadline=dt.datetime(2026, 11, 27, 23, 59, 59, tzinfo=dt.UTC),
    )
    with SmtpSink() as sink:
        notifier = MailAndSms(SmtpMailer(host="127.0.0.1", port=sink.port, sender="bb@siegen.de"))
        assert notifier.send(CITIZEN, notice) == ["E-Mail"]  # no mobile number: no text
    (received,) = sink.messages
    mail = email.message_from_bytes(received.as_bytes(), policy=email.policy.default)
    assert "04711234" in mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    (qr,) = mail.iter_attachments()  # type: ignore[attr-defined]
    assert qr.get_filename() == "abholcode.png" and qr.get_content().startswith(b"\x89PNG")


def test_a_relay_that_is_down_is_said_where_the_notice_must_reach() -> None:
    notifier = MailAndSms(SmtpMailer(host="127.0.0.1", port=free_port(), sender="bb@siegen.de"))
    notice = Notice("Rückfrage", "Bitte Nachweis nachreichen.")
    assert notifier.send(CITIZEN, notice) == []  # left for the caller to try again
    with pytest.raises(MailUnavailable):
        notifier.send(CITIZEN, notice, must_reach=True)


def test_a_question_on_a_walk_in_case_is_answered_another_way_and_recorded(
    core: Core, staff: dict[str, User]
) -> None:
    """A counter case has no portal application: the question says to reply, call or come
    by, and the clerk records the answer that came (the case does not wait for ever)."""
    from app.domain.cases import CaseStatus
    from app.wiring import mailer
    from tests.conftest import decided_walk_in, meldebescheinigung_form

    clerk = staff["clerk"]
    form = meldebescheinigung_form(email="anna.mueller@example.org")
    case_id = decided_walk_in(core, clerk, form=form, approve=False)
    with SmtpSink() as sink:
        core.settings = dataclasses.replace(
            core.settings, smtp_host="127.0.0.1", smtp_port=sink.port
        )
        core.desk.notifier.mailer = mailer(core.settings)
        waiting = core.desk.ask_citizen(user=clerk, case_id=case_id, question="Geburtsort?")
    assert waiting.status is CaseStatus.WAITING
    (received,) = sink.messages
    body = received.get_payload(decode=True).decode()
    assert "Bitte antworten Sie auf diese E-Mail, rufen Sie uns an" in body
    assert "Serviceportal" not in body
    answered = core.desk.record_answer(
        user=clerk, case_id=case_id, channel="phone", summary="Geburtsort Siegen"
    )
    assert answered.status is CaseStatus.IN_PROGRESS
    last = core.cases.history(case_id)[-1]
    assert (last.action, last.actor, last.reason) == (
        "citizen_answered",
        clerk.login,
        "phone: Geburtsort Siegen",
    )
    assert core.audit.verify() == []
