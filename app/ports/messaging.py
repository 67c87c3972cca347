"""What goes out to people: mail and SMS, and the citizen's notices on them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from app.domain.errors import DomainError
from app.domain.notices import Citizen, Notice


class MessageRefused(DomainError):
    """The relay or gateway answered no for good (an address or number it does not take):
    trying again will not help; a person looks."""


class Mailer(Protocol):
    def send(
        self,
        *,
        to: str,
        subject: str,
        body: str,
        attachments: Sequence[tuple[str, str, bytes]] = (),
        message_id: str = "",
    ) -> None:
        """Deliver one plain-text message with (file name, MIME type, bytes) attachments,
        under `message_id` where given (an outbox message: the same on every try); raises
        MailUnavailable when it cannot now, MessageRefused when the relay refuses the
        recipient."""
        ...


class SmsGateway(Protocol):
    """The city's SMS gateway (docs/sms-gateway-api.yaml); a vendor adapter implements this."""

    def reachable(self, number: str) -> bool:
        """Whether `number` (as the citizen gave it) is a mobile number a text can reach."""
        ...

    def send(self, *, to: str, text: str, key: str = "") -> None:
        """Hand one text to the gateway under the idempotency `key` (a repeat with it sends
        nothing; empty: a new one); raises SmsRefused (a MessageRefused: the number or text
        is not acceptable, no use trying again) or SmsUnavailable (try again later)."""
        ...


class CitizenNotifier(Protocol):
    """A notice to a citizen by every channel they have: mail (with a pickup code's QR code),
    and SMS where the notice has a text, a gateway is set up and their number is a mobile one.
    Network lane."""

    @property
    def can_mail(self) -> bool: ...

    def textable(self, mobile: str) -> bool:
        """Whether a text can reach `mobile` through the configured gateway."""
        ...

    def send(self, citizen: Citizen, notice: Notice, *, must_reach: bool = False) -> list[str]:
        """The channels it went out by ("E-Mail", "SMS"); none: nothing reached the citizen
        (each failure is logged, by the case's reference), and the caller tries again later.
        `must_reach`: raise the first channel's error instead of returning none."""
        ...
