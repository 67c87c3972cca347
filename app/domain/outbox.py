"""The outbox: a message to a citizen (mail or SMS) is stored with the change that causes it, in
the same transaction, and sent afterwards by one worker. A relay or gateway that is down means
the message waits, visible, and goes out when it is back; a worker killed mid-send leaves its
claim to run out, and the next worker sends the same message under the same key (the SMS
gateway takes a repeated key as the same message; a mail keeps its Message-ID)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.notices import Citizen, Notice


class Channel(StrEnum):
    MAIL = "mail"
    SMS = "sms"

    @property
    def label(self) -> str:
        """As the clerk reads it (the notifier's channel names)."""
        return "E-Mail" if self is Channel.MAIL else "SMS"


class MessageState(StrEnum):
    PENDING = "pending"  # waits for its (next) try
    SENT = "sent"
    REFUSED = "refused"  # the relay or gateway said no for good (a wrong address): a person looks


# after the n-th failed try in a row the message is tried again this many seconds later
RETRY_SECONDS = (30, 60, 120, 300, 600, 900, 1800, 3600)
CLAIM = dt.timedelta(minutes=2)  # a worker's hold on a message while it sends it


def retry_after(attempts: int) -> dt.timedelta:
    index = min(max(attempts, 1), len(RETRY_SECONDS)) - 1
    return dt.timedelta(seconds=RETRY_SECONDS[index])


@dataclass(frozen=True)
class OutgoingMessage:
    """One message to one address; `key` is its idempotency key (the SMS gateway's
    Idempotency-Key, the mail's Message-ID)."""

    channel: Channel
    recipient: str
    body: str
    reference: str  # the case's: in logs instead of the person
    subject: str = ""
    case_id: int | None = None
    key: str = ""

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", uuid.uuid4().hex)

    @property
    def message_id(self) -> str:
        return f"<{self.key}@buergerbuero.invalid>"


def messages_for(
    citizen: Citizen, notice: Notice, *, case_id: int | None, textable: bool, can_mail: bool
) -> list[OutgoingMessage]:
    """The messages a notice makes: a mail where the citizen gave an address (and mail is set
    up), a text where the notice has one and their number takes texts. A pickup code never
    goes into the outbox (it is never stored): its notices are sent at once."""
    if notice.code:
        raise ValueError("a pickup code is never queued")
    messages = []
    if can_mail and citizen.email:
        messages.append(
            OutgoingMessage(
                Channel.MAIL,
                citizen.email,
                notice.body,
                citizen.reference,
                subject=notice.subject,
                case_id=case_id,
            )
        )
    if notice.text and textable:
        messages.append(
            OutgoingMessage(
                Channel.SMS, citizen.mobile, notice.text, citizen.reference, case_id=case_id
            )
        )
    return messages


@dataclass(frozen=True)
class QueuedMessage:
    id: int
    message: OutgoingMessage
    state: MessageState
    attempts: int
    next_try: dt.datetime | None
    last_error: str
    created_at: dt.datetime
    sent_at: dt.datetime | None = None


class Pending(StrEnum):
    """The other remote side effects that wait, each kept where its own record is (with its
    idempotency key) and done by its own round: the intake's, the payment sync's, the box
    sync's, the timestamp round's."""

    PORTAL_ANSWERS = "portal_answers"  # accept/reject events the portal has not taken yet
    PAYMENTS = "payments"  # payment links the platform has not confirmed (same requestId)
    BOX_CODES = "box_codes"  # items in a box whose code has not reached the citizen
    TIMESTAMPS = "timestamps"  # originals sealed B-B, their timestamp to come


@dataclass(frozen=True)
class OutboxSummary:
    """What waits, for the health view: messages per channel and since when, and the other
    side effects that wait."""

    waiting: dict[Channel, int]
    refused: int
    oldest: dt.datetime | None
    pending: dict[Pending, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.waiting.values())

    @property
    def nothing_waits(self) -> bool:
        return not self.total and not self.refused and not any(self.pending.values())
