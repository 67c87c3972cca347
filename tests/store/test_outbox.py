"""The outbox on the real store, SQLite and PostgreSQL: a question's mail is stored with the
case's change or not at all; two workers never claim the same message; a claim left by a
killed worker runs out and the message is due again under its key; what waits is counted."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.cases import CaseStatus
from app.domain.errors import ConcurrentChange
from app.domain.outbox import CLAIM, Channel, MessageState, OutgoingMessage
from app.domain.users import User
from app.integrations.mail import SmtpMailer
from app.store.outbox import SqlOutbox
from app.wiring import Core
from tests.conftest import FixedClock, decided_walk_in, meldebescheinigung_form


def asked(core: Core, clerk: User) -> int:
    """A walk-in case with an e-mail address, its question recorded (nothing sent: the
    seat has a relay, which nobody asks here)."""
    core.desk.notifier.mailer = SmtpMailer(host="127.0.0.1", port=9, sender="bb@siegen.de")  # type: ignore[attr-defined]
    form = meldebescheinigung_form(email="anna.mueller@example.org")
    case_id = decided_walk_in(core, clerk, form=form, approve=False)
    question = core.desk.prepare_question(user=clerk, case_id=case_id, question="Geburtsort?")
    assert core.desk.record_question(question).status is CaseStatus.WAITING
    return case_id


def test_the_mail_is_stored_with_the_change_or_not_at_all(
    core: Core, staff: dict[str, User]
) -> None:
    clerk, outbox = staff["clerk"], SqlOutbox(core.database)
    case_id = asked(core, clerk)
    (queued,) = outbox.for_case(case_id)
    message = queued.message
    assert (queued.state, message.channel, message.recipient) == (
        MessageState.PENDING,
        Channel.MAIL,
        "anna.mueller@example.org",
    )
    assert "Geburtsort?" in message.body and len(message.key) == 32
    # a second seat's question on the same version loses: neither change nor mail is stored
    form = meldebescheinigung_form(email="b@example.org")
    other = decided_walk_in(core, clerk, form=form, approve=False)
    first = core.desk.prepare_question(user=clerk, case_id=other, question="Erste?")
    second = core.desk.prepare_question(user=clerk, case_id=other, question="Zweite?")
    core.desk.record_question(first)
    with pytest.raises(ConcurrentChange):
        core.desk.record_question(second)
    assert ["Erste?" in q.message.body for q in outbox.for_case(other)] == [True]


def test_two_workers_never_hold_the_same_message_and_a_dead_ones_claim_runs_out(
    core: Core, staff: dict[str, User], clock: FixedClock
) -> None:
    outbox = SqlOutbox(core.database)
    for case in range(3):
        outbox.enqueue(
            [OutgoingMessage(Channel.SMS, "+491713920014", f"Text {case}", f"SI-{case}")],
            clock.now(),
        )
    first = outbox.claim_due(clock.now(), limit=2)
    second = outbox.claim_due(clock.now(), limit=5)
    assert len(first) == 2 and len(second) == 1
    assert not {q.id for q in first} & {q.id for q in second}
    assert outbox.claim_due(clock.now(), limit=5) == []
    outbox.mark_sent(second[0].id, clock.now())
    # the first worker was killed: its claim runs out and the same messages are due again
    later = clock.now() + CLAIM + dt.timedelta(seconds=1)
    again = outbox.claim_due(later, limit=5)
    assert [q.message.key for q in again] == [q.message.key for q in first]


def test_a_message_tried_again_later_and_what_waits_is_counted(
    core: Core, staff: dict[str, User], clock: FixedClock
) -> None:
    outbox = SqlOutbox(core.database)
    asked(core, staff["clerk"])
    outbox.enqueue([OutgoingMessage(Channel.SMS, "+49171", "Hallo", "SI-9")], clock.now())
    mail, text = outbox.claim_due(clock.now(), limit=5)
    outbox.retry(mail.id, "ConnectionRefusedError", clock.now() + dt.timedelta(minutes=1))
    outbox.refuse(text.id, "SMS 400 invalid number")
    summary = outbox.summary()
    assert summary.waiting == {Channel.MAIL: 1} and summary.refused == 1
    assert summary.oldest == clock.now()
    assert outbox.claim_due(clock.now(), limit=5) == []  # not before its next try
    (due,) = outbox.claim_due(clock.now() + dt.timedelta(minutes=1), limit=5)
    assert (due.attempts, due.last_error) == (1, "ConnectionRefusedError")
    outbox.mark_sent(due.id, clock.now())
    assert outbox.summary().total == 0
