"""The outbox against a real mail relay (the aiosmtpd sink) and the SMS gateway stand-in over
HTTP: a question asked while the relay is down is stored with the case and sent once when the
relay is back, under the Message-ID its key gives; a text goes through the gateway's
Idempotency-Key, so a sender killed after the gateway took it but before it was recorded makes
no second text when the next worker sends it again."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from app.domain.cases import CaseStatus
from app.domain.health import Condition, System
from app.domain.outbox import Channel, MessageState, OutgoingMessage
from app.domain.users import User
from app.integrations.settings import Settings
from app.store.outbox import SqlOutbox
from app.wiring import Core, build_core, mailer
from app.wiring.core import sms_gateway
from app.wiring.secret_store import SMS_TOKEN as SMS_TOKEN_NAME
from sandbox.pgcluster import free_port
from sandbox.sms_gateway import SmsGatewaySink
from sandbox.smtp_sink import SmtpSink
from tests.conftest import SMS_TOKEN, FixedClock, decided_walk_in, meldebescheinigung_form
from tests.support.cli import run_cli
from tests.support.env_keyring import variable

ENV_KEYRING = "tests.support.env_keyring.EnvKeyring"


def test_a_question_asked_while_the_relay_is_down_goes_once_it_is_back(
    core: Core, staff: dict[str, User], clock: FixedClock
) -> None:
    clerk, port = staff["clerk"], free_port()
    core.settings = dataclasses.replace(core.settings, smtp_host="127.0.0.1", smtp_port=port)
    core.desk.notifier.mailer = mailer(core.settings, health=core.health)  # type: ignore[attr-defined]
    form = meldebescheinigung_form(email="anna.mueller@example.org")
    case_id = decided_walk_in(core, clerk, form=form, approve=False)
    waiting = core.desk.ask_citizen(user=clerk, case_id=case_id, question="Geburtsort?")
    assert waiting.status is CaseStatus.WAITING  # the clerk goes on; the mail waits
    (queued,) = SqlOutbox(core.database).for_case(case_id)
    assert queued.state is MessageState.PENDING and queued.attempts == 1
    assert core.health.health(System.MAIL).condition is Condition.DOWN
    with SmtpSink(port=port) as sink:
        early = core.desk.send_outbox()
        assert early is not None and early.sent == 0  # not before its next try (30 s)
        clock.advance(minutes=1)
        report = core.desk.send_outbox()
        assert report is not None and report.sent == 1
        assert core.desk.send_outbox() == type(report)()  # nothing twice
        (mail,) = sink.messages
    assert mail["Message-ID"] == queued.message.message_id
    assert mail["To"] == "anna.mueller@example.org" and "Geburtsort?" in str(mail)
    (sent,) = SqlOutbox(core.database).for_case(case_id)
    assert sent.state is MessageState.SENT and sent.attempts == 2
    assert core.health.health(System.MAIL).condition is Condition.UP


def test_a_refused_address_is_not_tried_again(
    core: Core, staff: dict[str, User], clock: FixedClock
) -> None:
    with SmsGatewaySink(token=SMS_TOKEN) as sms:
        core.secrets().set(SMS_TOKEN_NAME, SMS_TOKEN)
        settings = dataclasses.replace(core.settings, sms_gateway_url=sms.base_url)
        core.desk.notifier.sms = sms_gateway(settings, core.secrets())  # type: ignore[attr-defined]
        outbox = SqlOutbox(core.database)
        outbox.enqueue(
            [
                OutgoingMessage(Channel.SMS, "+491713920014", "Ihr Bescheid liegt bereit", "SI-1"),
                OutgoingMessage(Channel.SMS, "+4917", "zu kurz", "SI-2"),
            ],
            clock.now(),
        )
        assert core.desk.outbox is not None
        report = core.desk.outbox.send_due()
        assert (report.sent, report.refused, report.waiting) == (1, 1, 0)
        assert [t.to for t in sms.messages] == ["+491713920014"]
        assert outbox.summary().refused == 1 and outbox.summary().total == 0


def test_a_sender_killed_after_the_gateway_took_the_text_sends_it_once(
    sqlite_template: Path, tmp_path: Path
) -> None:
    database = tmp_path / "seat.sqlite3"
    shutil.copy(sqlite_template, database)
    with SmsGatewaySink(token=SMS_TOKEN) as sms:
        settings = Settings(database_url=f"sqlite:///{database}", sms_gateway_url=sms.base_url)
        seat = build_core(settings)
        text = OutgoingMessage(Channel.SMS, "+491713920014", "Ihr Ausweis liegt bereit", "SI-7")
        SqlOutbox(seat.database).enqueue([text], seat.clock.now())
        sms.stall = 60  # the gateway takes the text; its answer does not come back in time
        environment = {
            "BUERGERBUERO_DATABASE_URL": settings.database_url,
            "BUERGERBUERO_SMS_GATEWAY_URL": sms.base_url,
            "PYTHON_KEYRING_BACKEND": ENV_KEYRING,
            variable(SMS_TOKEN_NAME): SMS_TOKEN,
        }
        sender = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "outbox", "send"],
            env={
                **os.environ,
                "BUERGERBUERO_SETTINGS_FILE": str(tmp_path / "none.toml"),
                **environment,
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while not sms.messages and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(sms.messages) == 1
        sender.send_signal(signal.SIGKILL)
        sender.wait(timeout=30)
        sms.stall = 0
        # sent, but not recorded as sent: it still waits
        assert SqlOutbox(seat.database).summary().waiting == {Channel.SMS: 1}
        later = FixedClock(seat.clock.now() + dt.timedelta(minutes=3))  # its claim ran out
        again = build_core(settings, clock=later)
        again.secrets().set(SMS_TOKEN_NAME, SMS_TOKEN)
        again.desk.notifier.sms = sms_gateway(settings, again.secrets())  # type: ignore[attr-defined]
        assert again.desk.outbox is not None
        report = again.desk.outbox.send_due()
        assert report.sent == 1
        assert len(sms.messages) == 1  # the same key: the gateway sent nothing new
        assert SqlOutbox(seat.database).summary().total == 0
        status = run_cli(tmp_path / "data", "outbox", "status", **environment)
        assert status.returncode == 0 and json.loads(status.stdout)["waiting"] == {}
        seat.close()
        again.close()
