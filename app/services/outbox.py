"""The outbox's worker: claims the due messages (database), hands each to the mail relay or the
SMS gateway (network) and records the outcome (database). A relay that is down costs one
timeout per round, not one per message: the rest of its channel waits for the next round.
Network lane; its database calls go through `database` (the window's database lane, or in
place in a command)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from app.domain.cases import Case
from app.domain.errors import DomainError
from app.domain.notices import Citizen, Notice
from app.domain.outbox import (
    Channel,
    OutboxSummary,
    OutgoingMessage,
    QueuedMessage,
    messages_for,
    retry_after,
)
from app.lanes import OnLane, in_place
from app.ports import CitizenNotifier, Clock, Mailer, Outbox, SmsGateway
from app.ports.messaging import MessageRefused

log = logging.getLogger(__name__)

BATCH = 50


@dataclass
class SendReport:
    sent: int = 0
    waiting: int = 0  # tried and left for later (the relay or gateway did not take it)
    refused: int = 0
    unreachable: set[Channel] = field(default_factory=set)

    def as_json(self) -> dict[str, object]:
        return {
            "sent": self.sent,
            "waiting": self.waiting,
            "refused": self.refused,
            "unreachable": sorted(channel.value for channel in self.unreachable),
        }


def messages_to(case: Case, notice: Notice, notifier: CitizenNotifier) -> list[OutgoingMessage]:
    """The messages a notice to the case's citizen makes, by the channels `notifier` has: a
    mail where they gave an address, a text where their number takes texts."""
    return messages_for(
        Citizen.of(case),
        notice,
        case_id=case.id,
        textable=notifier.textable(case.applicant.mobile_phone),
        can_mail=notifier.can_mail,
    )


class NoChannel(DomainError):
    """The seat has no relay or gateway for the message's channel."""


class OutboxSender:
    def __init__(
        self,
        *,
        outbox: Outbox,
        channels: Callable[[], tuple[Mailer | None, SmsGateway | None]],
        clock: Clock,
        database: OnLane = in_place,
        batch: int = BATCH,
    ) -> None:
        # the relay and the gateway the desk's notices use, asked each time (a seat's
        # settings may give them later)
        self.outbox, self.channels, self.clock = outbox, channels, clock
        self.database, self.batch = database, batch

    def round(self) -> OutboxSummary:
        """Send what is due, then say what still waits (the health view's line)."""
        self.send_due()
        return self.summary()

    def summary(self) -> OutboxSummary:
        return self.database(self.outbox.summary)

    def send_due(self) -> SendReport:
        """Every due message, a batch at a time, until none is due or every channel with
        due messages is unreachable."""
        report = SendReport()
        while True:
            claimed = self.database(self.outbox.claim_due, self.clock.now(), limit=self.batch)
            for queued in claimed:
                self._send_one(queued, report)
            if len(claimed) < self.batch or {q.message.channel for q in claimed} <= (
                report.unreachable
            ):
                return report

    def _send_one(self, queued: QueuedMessage, report: SendReport) -> None:
        message = queued.message
        if message.channel in report.unreachable:
            self._later(queued, "not tried: unreachable in this round", report)
            return
        try:
            self._hand_over(message)
        except MessageRefused as error:
            log.warning("%s to %s refused: %s", message.channel, message.reference, error)
            self.database(self.outbox.refuse, queued.id, str(error))
            report.refused += 1
        except DomainError as error:
            log.info("%s to %s waits: %s", message.channel, message.reference, error)
            report.unreachable.add(message.channel)
            self._later(queued, _detail(error), report)
        else:
            self.database(self.outbox.mark_sent, queued.id, self.clock.now())
            report.sent += 1

    def _later(self, queued: QueuedMessage, reason: str, report: SendReport) -> None:
        next_try = self.clock.now() + retry_after(queued.attempts + 1)
        self.database(self.outbox.retry, queued.id, reason, next_try)
        report.waiting += 1

    def _hand_over(self, message: OutgoingMessage) -> None:
        mailer, sms = self.channels()
        if message.channel is Channel.MAIL:
            if mailer is None:
                raise NoChannel("outbox.no_channel", channel=message.channel.value)
            mailer.send(
                to=message.recipient,
                subject=message.subject,
                body=message.body,
                message_id=message.message_id,
            )
            return
        if sms is None:
            raise NoChannel("outbox.no_channel", channel=message.channel.value)
        sms.send(to=message.recipient, text=message.body, key=message.key)


def _detail(error: DomainError) -> str:
    return str(error.params.get("detail") or error)
