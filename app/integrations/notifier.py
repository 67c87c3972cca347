"""The citizen's notices by mail (SMTP, with a pickup code's QR code rendered by segno) and by
SMS (the city's gateway), whichever the citizen has; a channel that fails is logged by the
case's reference and the others still go."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass

from app.domain.errors import DomainError
from app.domain.notices import Citizen, Notice
from app.ports import Mailer, SmsGateway

log = logging.getLogger(__name__)


def qr_png(code: str) -> bytes:
    import segno  # only when a code goes out

    png = io.BytesIO()
    segno.make(code, error="m").save(png, kind="png", scale=8, border=4)
    return png.getvalue()


@dataclass
class MailAndSms:
    """`CitizenNotifier` on a mail relay and an SMS gateway (either may be missing)."""

    mailer: Mailer | None
    sms: SmsGateway | None = None
    render_qr: Callable[[str], bytes] = qr_png

    @property
    def can_mail(self) -> bool:
        return self.mailer is not None

    def textable(self, mobile: str) -> bool:
        return self.sms is not None and bool(mobile) and self.sms.reachable(mobile)

    def send(self, citizen: Citizen, notice: Notice, *, must_reach: bool = False) -> list[str]:
        channels, first_error = [], None
        for channel, attempt in (("E-Mail", self._mail), ("SMS", self._text)):
            try:
                if attempt(citizen, notice):
                    channels.append(channel)
            except DomainError as error:
                log.warning("%s to %s not sent: %s", channel, citizen.reference, error)
                first_error = first_error or error
        if must_reach and not channels:
            raise first_error or DomainError("mail.not_configured")
        return channels

    def _mail(self, citizen: Citizen, notice: Notice) -> bool:
        if self.mailer is None or not citizen.email:
            return False
        attachments = (
            [("abholcode.png", "image/png", self.render_qr(notice.code))] if notice.code else []
        )
        self.mailer.send(
            to=citizen.email, subject=notice.subject, body=notice.body, attachments=attachments
        )
        return True

    def _text(self, citizen: Citizen, notice: Notice) -> bool:
        if not notice.text or self.sms is None or not self.textable(citizen.mobile):
            return False
        self.sms.send(to=citizen.mobile, text=notice.text)
        return True
