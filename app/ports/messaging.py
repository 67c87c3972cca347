"""What goes out to people: mail and SMS."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Mailer(Protocol):
    def send(
        self,
        *,
        to: str,
        subject: str,
        body: str,
        attachments: Sequence[tuple[str, str, bytes]] = (),
    ) -> None:
        """Deliver one plain-text message with (file name, MIME type, bytes) attachments;
        raises MailUnavailable when it cannot."""
        ...


class SmsGateway(Protocol):
    """The city's SMS gateway (docs/sms-gateway-api.yaml); a vendor adapter implements this."""

    def reachable(self, number: str) -> bool:
        """Whether `number` (as the citizen gave it) is a mobile number a text can reach."""
        ...

    def send(self, *, to: str, text: str) -> None:
        """Hand one text to the gateway; raises SmsRefused (the number or text is not
        acceptable: no use trying again) or SmsUnavailable (try again later)."""
        ...
