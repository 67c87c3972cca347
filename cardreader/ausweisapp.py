"""AusweisApp through its SDK interface (BSI TR-03124-1: JSON messages over a WebSocket at
ws://127.0.0.1:24727/eID-Kernel), for the German ID card where the city holds an authorisation
for on-site reading (§ 18a PAuswG): RUN_AUTH with the eID service's tcTokenURL; the access
rights the service asks for (ACCESS_RIGHTS) restricted where the seat says so and accepted;
INSERT_CARD waited for; the CAN asked of the clerk (ENTER_CAN, again after a wrong one);
CANCEL; the AUTH result, an error result named by its minor code. The personal data go from
the card to the eID service, never through AusweisApp to us: the service hands them over at
its refresh address (`url` of the AUTH result), which `on_site_data` reads.

One client at a time (AusweisApp answers a second with HTTP 429); every call on the card
lane, with a timeout."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, cast

from cardreader.errors import CardError

DEFAULT_URL = "ws://127.0.0.1:24727/eID-Kernel"
RESULT_OK = "http://www.bsi.bund.de/ecard/api/1.1/resultmajor#ok"
STATUS_MESSAGES = ("READER", "STATUS", "PAUSE", "CERTIFICATE", "INFO", "API_LEVEL")


class SdkError(CardError):
    """AusweisApp answered something the workflow does not allow (BAD_STATE, INVALID, …)."""


class AusweisAppUnavailable(SdkError):
    """No AusweisApp listens on the SDK address (not installed, not started, another port)."""


class AusweisAppBusy(SdkError):
    """Another program is AusweisApp's SDK client, or a workflow of its own runs (429, 409)."""


class AuthFailed(SdkError):
    """The authentication ended with an error result: the minor code says why (the clerk or
    the citizen cancelled, the card was removed, the eID service is unreachable, …)."""

    def __init__(self, minor: str, description: str) -> None:
        super().__init__(f"{minor.rsplit('#', 1)[-1] or 'error'}: {description}".strip())
        self.minor, self.description = minor, description

    @property
    def reason(self) -> str:
        """The minor code's last part (cancellationByUser, trustedChannelEstablishmentFailed)."""
        return self.minor.rsplit("#", 1)[-1]


class PinRequested(SdkError):
    """The service asks for the PIN: it holds no authorisation for on-site reading with the
    CAN, so this counter cannot use it (the CAN check applies)."""


@dataclass(frozen=True, slots=True)
class AuthResult:
    url: str  # the eID service's refresh address, where it hands over the data
    access_rights: tuple[str, ...]  # what the card released


class Connection(Protocol):
    """What the client needs of a WebSocket (websockets' sync client has it)."""

    def send(self, message: str) -> None: ...

    def recv(self, timeout: float | None = None) -> str | bytes: ...

    def close(self) -> None: ...


def connect(url: str, timeout: float) -> Connection:
    from websockets.exceptions import InvalidStatus, WebSocketException
    from websockets.sync.client import connect as open_socket

    try:
        opening = open_socket(url, open_timeout=timeout)
        socket = cast(Connection, opening.__enter__())  # closed by the client's close()
    except InvalidStatus as error:
        if error.response.status_code in (409, 429):
            raise AusweisAppBusy(f"AusweisApp: {error.response.status_code}") from error
        raise SdkError(f"AusweisApp: {error}") from error
    except (OSError, TimeoutError, WebSocketException) as error:
        raise AusweisAppUnavailable(f"no AusweisApp at {url}: {error}") from error
    return socket


class AusweisAppSdk:
    def __init__(
        self,
        url: str = DEFAULT_URL,
        *,
        timeout: float = 120.0,
        opener: Callable[[str, float], Connection] = connect,
    ) -> None:
        self.url, self.timeout, self._opener = url, timeout, opener
        self._socket: Connection | None = None

    def __enter__(self) -> AusweisAppSdk:
        self._socket = self._opener(self.url, min(self.timeout, 10.0))
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    # --- messages -----------------------------------------------------------------------------

    def _send(self, cmd: str, **fields: Any) -> None:
        assert self._socket is not None, "use the client in a with block"
        self._socket.send(json.dumps({"cmd": cmd, **fields}))

    def _receive(self) -> dict[str, Any]:
        assert self._socket is not None, "use the client in a with block"
        try:
            raw = self._socket.recv(timeout=self.timeout)
        except TimeoutError as error:
            raise SdkError(f"AusweisApp did not answer within {self.timeout:.0f} s") from error
        except Exception as error:  # the socket closed under us
            raise AusweisAppUnavailable(f"AusweisApp went away: {error}") from error
        message = json.loads(raw)
        if not isinstance(message, dict):
            raise SdkError("AusweisApp sent no JSON object")
        if message.get("msg") in ("BAD_STATE", "INVALID", "UNKNOWN_COMMAND", "INTERNAL_ERROR"):
            raise SdkError(f"AusweisApp: {message.get('msg')} {message.get('error', '')}")
        return message

    def _answer(self, wanted: str) -> dict[str, Any]:
        while True:
            message = self._receive()
            if message.get("msg") == wanted:
                return message

    def info(self) -> dict[str, Any]:
        self._send("GET_INFO")
        return self._answer("INFO")

    def readers(self) -> list[dict[str, Any]]:
        self._send("GET_READER_LIST")
        return list(self._answer("READER_LIST").get("readers", []))

    def authenticate(
        self,
        tc_token_url: str,
        *,
        can: Callable[[dict[str, Any]], str | None],
        access_rights: Sequence[str] | None = None,
        on_status: Callable[[dict[str, Any]], None] = lambda _message: None,
    ) -> AuthResult:
        """RUN_AUTH to its AUTH result. `can(message)` gives the clerk's CAN for an ENTER_CAN
        (its `error` set after a wrong one), or None to cancel; `access_rights` restrict what
        the service asked for (None: as asked); `on_status` hears INSERT_CARD, READER, STATUS."""
        self._send("RUN_AUTH", tcTokenURL=tc_token_url, handleInterrupt=False, status=True)
        released: tuple[str, ...] = ()
        restricted = False
        while True:
            message = self._receive()
            kind = message.get("msg")
            if kind == "AUTH" and "result" in message:
                return self._result(message, released)
            if kind == "ACCESS_RIGHTS":
                chat = message.get("chat", {})
                released = tuple(chat.get("effective", ()))
                if access_rights is not None and not restricted:
                    restricted = True
                    wanted = [r for r in chat.get("optional", ()) if r in access_rights]
                    self._send("SET_ACCESS_RIGHTS", chat=wanted)
                else:
                    self._send("ACCEPT")
            elif kind == "ENTER_CAN":
                value = can(message)
                if value is None:
                    self._send("CANCEL")
                else:
                    self._send("SET_CAN", value=value)
            elif kind in ("ENTER_PIN", "ENTER_PUK", "ENTER_NEW_PIN"):
                self._send("CANCEL")
                self._answer_auth_after_cancel()
                raise PinRequested("the eID service asks for the PIN: no on-site reading")
            elif kind == "INSERT_CARD" or kind in STATUS_MESSAGES:
                on_status(message)

    def _answer_auth_after_cancel(self) -> None:
        try:
            while "result" not in (message := self._receive()) or message.get("msg") != "AUTH":
                pass
        except SdkError:
            pass

    @staticmethod
    def _result(message: dict[str, Any], released: tuple[str, ...]) -> AuthResult:
        result = message.get("result", {})
        if result.get("major") == RESULT_OK:
            return AuthResult(str(message.get("url", "")), released)
        raise AuthFailed(str(result.get("minor", "")), str(result.get("description", "")))

    def cancel(self) -> None:
        self._send("CANCEL")


@dataclass(frozen=True, slots=True)
class OnSiteData:
    """What the eID service hands over after on-site reading (its JSON at the refresh
    address: the attributes as TR-03124 names the access rights)."""

    family_names: str
    given_names: str
    birth_date: str  # YYYY-MM-DD (or as far as the card knows it)
    place_of_residence: str
    document_type: str
    issuing_state: str
    raw: dict[str, Any]
    access_rights: tuple[str, ...] = ()  # what the card released to the service


def on_site_data(result: AuthResult, fetch: Callable[[str], Any]) -> OnSiteData:
    """The service's data at its refresh address; SdkError for an answer without them."""
    try:
        data = fetch(result.url)
        return OnSiteData(
            family_names=str(data["FamilyNames"]),
            given_names=str(data["GivenNames"]),
            birth_date=str(data.get("DateOfBirth", "")),
            place_of_residence=str(data.get("PlaceOfResidence", "")),
            document_type=str(data.get("DocumentType", "")),
            issuing_state=str(data.get("IssuingState", "")),
            raw=dict(data),
            access_rights=result.access_rights,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise SdkError(f"the eID service's answer holds no data: {error}") from error
