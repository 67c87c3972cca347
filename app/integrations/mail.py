"""Mail to citizens over SMTP (the city's relay; a local sink in the demo and tests)."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from email.message import EmailMessage

from app.domain.errors import DomainError
from app.lanes import Lane, require_lane
from app.ports.messaging import MessageRefused


class MailUnavailable(DomainError):
    """The mail relay did not take the message."""


class MailRefused(MessageRefused):
    """The relay refused the recipient for good (5xx): trying again will not help."""


class SmtpMailer:
    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        username: str = "",
        password: str | None = None,
        starttls: bool = False,
        timeout: float = 10.0,
    ) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password, self.starttls, self.timeout = (
            username,
            password,
            starttls,
            timeout,
        )

    def probe(self) -> None:
        """The relay answers a NOOP (after STARTTLS where set up): MailUnavailable if not."""
        require_lane(Lane.NETWORK)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                code, _text = smtp.noop()
        except (OSError, smtplib.SMTPException) as error:
            raise MailUnavailable("mail.unavailable", detail=type(error).__name__) from error
        if code >= 400:
            raise MailUnavailable("mail.unavailable", detail=f"NOOP {code}")

    def send(
        self,
        *,
        to: str,
        subject: str,
        body: str,
        attachments: Sequence[tuple[str, str, bytes]] = (),
        message_id: str = "",
    ) -> None:
        require_lane(Lane.NETWORK)  # a relay may take its whole timeout: never the database lane
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        if message_id:
            message["Message-ID"] = message_id
        message.set_content(body)
        for filename, mime_type, data in attachments:
            main_type, sub_type = mime_type.split("/", 1)
            message.add_attachment(data, maintype=main_type, subtype=sub_type, filename=filename)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:  # 5xx for the address: not again
            codes = [code for code, _text in error.recipients.values()]
            if all(code >= 500 for code in codes):
                raise MailRefused("mail.refused", detail=f"SMTP {codes[0]}") from error
            raise MailUnavailable("mail.unavailable", detail=f"SMTP {codes[0]}") from error
        except (OSError, smtplib.SMTPException) as error:
            raise MailUnavailable("mail.unavailable", detail=type(error).__name__) from error
