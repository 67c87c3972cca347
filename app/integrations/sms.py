"""Texts to citizens through the city's SMS gateway over HTTPS/JSON (docs/sms-gateway-api.yaml),
with `requests`: the token from the keyring, explicit timeouts, and retries with back-off that
cannot send a text twice (each message carries an idempotency key the gateway honours).
Numbers are checked and put in E.164 form by libphonenumber (`phonenumbers`); a landline is
not sent to, since no network would deliver it."""

from __future__ import annotations

import uuid
from typing import Any

import phonenumbers
import requests

from app.domain.errors import DomainError
from app.integrations.http_session import bearer_session, refusal_detail
from app.lanes import Lane, require_lane
from app.ports.messaging import MessageRefused

CONNECT_TIMEOUT, READ_TIMEOUT = 3.05, 10.0
HOME_REGION = "DE"  # how a national number ("0171 …") is read
MOBILE_TYPES = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)


class SmsUnavailable(DomainError):
    """The gateway did not answer or failed (offline, a timeout, a server error)."""


class SmsRefused(MessageRefused):
    """The gateway answered no: the number or the text is not acceptable."""


def e164(number: str) -> str | None:
    """The number in E.164 form ('+491712345678') if it is a valid mobile number, else None."""
    try:
        parsed = phonenumbers.parse(number, HOME_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    if phonenumbers.number_type(parsed) not in MOBILE_TYPES:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


class HttpSmsGateway:
    def __init__(self, base_url: str, token: str, *, sender: str, retries: int = 3) -> None:
        self.base_url, self.sender = base_url.rstrip("/"), sender
        # POST is retried: the idempotency key makes a repeat the same message, not a second one
        self._session = bearer_session(token, repeatable={"POST"}, retries=retries)

    def close(self) -> None:
        self._session.close()

    def reachable(self, number: str) -> bool:
        return e164(number) is not None

    def probe(self) -> None:
        """The gateway answers at its messages path (any answer but a server error or a
        refused token; a HEAD it does not implement is an answer too): SmsUnavailable if
        not. Nothing is sent."""
        require_lane(Lane.NETWORK)
        try:
            response = self._session.head(
                f"{self.base_url}/v1/messages", timeout=(CONNECT_TIMEOUT, READ_TIMEOUT)
            )
        except requests.RequestException as error:
            raise SmsUnavailable("sms.unavailable", detail=type(error).__name__) from error
        status = response.status_code
        if (status >= 500 and status != 501) or status in (401, 403):
            raise SmsUnavailable("sms.unavailable", detail=f"HTTP {status}")

    def send(self, *, to: str, text: str, key: str = "") -> None:
        require_lane(Lane.NETWORK)
        number = e164(to)
        if number is None:
            raise SmsRefused("sms.refused", detail="no mobile number")
        body: dict[str, Any] = {"to": number, "sender": self.sender, "text": text}
        try:
            response = self._session.post(
                f"{self.base_url}/v1/messages",
                json=body,
                headers={"Idempotency-Key": key or str(uuid.uuid4())},
                timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
            )
        except requests.RequestException as error:
            raise SmsUnavailable("sms.unavailable", detail=type(error).__name__) from error
        if response.status_code >= 500 or response.status_code in (401, 403, 429):
            raise SmsUnavailable("sms.unavailable", detail=f"HTTP {response.status_code}")
        if response.status_code >= 400:
            raise SmsRefused("sms.refused", detail=refusal_detail(response))
