"""The pickup box's controller over HTTPS/JSON (docs/pickup-box-api.yaml), with `requests`:
the token from the keyring, explicit timeouts, retries with back-off for the calls that may be
repeated safely. The code never leaves this module: the box gets PBKDF2 verifiers of it."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from typing import Any

import requests

from app.domain.errors import DomainError
from app.domain.pickup import BoxEvent, Compartment, CompartmentState, EventKind, Size
from app.integrations.http_session import bearer_session, refusal_detail
from app.lanes import Lane, require_lane

VERIFIER_ITERATIONS = 1000  # the box tries every loaded compartment per code typed
CONNECT_TIMEOUT, READ_TIMEOUT = 3.05, 10.0


class BoxUnavailable(DomainError):
    """The box did not answer (offline, a timeout, a server error)."""


class BoxRefused(DomainError):
    """The box answered no: the compartment is not free, locked, unknown."""


def verifier(secret: str, iterations: int = VERIFIER_ITERATIONS) -> dict[str, Any]:
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", secret.encode(), salt, iterations)
    return {
        "algorithm": "pbkdf2-sha256",
        "iterations": iterations,
        "salt": base64.b64encode(salt).decode(),
        "hash": base64.b64encode(digest).decode(),
    }


def _time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def compartment_from(raw: dict[str, Any]) -> Compartment:
    return Compartment(
        id=str(raw["id"]),
        size=Size(raw["size"]),
        low=bool(raw["low"]),
        state=CompartmentState(raw["state"]),
        reference=raw.get("reference"),
        deadline=_time(raw.get("deadline")),
        wrong_attempts=int(raw.get("wrong_attempts", 0)),
    )


class HttpPickupBox:
    def __init__(self, base_url: str, token: str, *, retries: int = 3) -> None:
        self.base_url = base_url.rstrip("/")
        # GET and PUT are idempotent here; opening a door is not retried (it may have opened)
        self._session = bearer_session(token, repeatable={"GET", "PUT"}, retries=retries)

    def close(self) -> None:
        self._session.close()

    def _call(self, method: str, path: str, **options: Any) -> Any:
        require_lane(Lane.NETWORK)
        try:
            response = self._session.request(
                method,
                f"{self.base_url}{path}",
                timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
                **options,
            )
        except requests.RequestException as error:
            raise BoxUnavailable("box.unavailable", detail=type(error).__name__) from error
        if response.status_code >= 500 or response.status_code == 401:
            raise BoxUnavailable("box.unavailable", detail=f"HTTP {response.status_code}")
        if response.status_code >= 400:
            raise BoxRefused("box.refused", detail=refusal_detail(response))
        return response.json()

    def probe(self) -> None:
        """The box answers its info query: BoxUnavailable if not."""
        self._call("GET", "/v1/info")

    def compartments(self) -> list[Compartment]:
        body = self._call("GET", "/v1/compartments")
        return [compartment_from(raw) for raw in body["compartments"]]

    def open_for_loading(self, compartment: str, reference: str) -> None:
        self._call(
            "POST",
            f"/v1/compartments/{compartment}/open",
            json={"purpose": "load", "reference": reference},
        )

    def open_for_retrieval(self, compartment: str, reference: str = "") -> None:
        self._call(
            "POST",
            f"/v1/compartments/{compartment}/open",
            json={"purpose": "retrieve", "reference": reference},
        )

    def register_item(
        self,
        compartment: str,
        *,
        reference: str,
        code: str,
        second_factor: str,
        deadline: dt.datetime,
    ) -> None:
        self._call(
            "PUT",
            f"/v1/compartments/{compartment}/item",
            json={
                "reference": reference,
                "code_verifier": verifier(code),
                "verifier": verifier(f"{code}\n{second_factor}"),
                "deadline": deadline.isoformat(),
            },
        )

    def events(self, after: str | None, limit: int = 1000) -> tuple[list[BoxEvent], str | None]:
        params: dict[str, Any] = {"limit": limit}
        if after:
            params["after"] = after
        body = self._call("GET", "/v1/events", params=params)
        known = {kind.value for kind in EventKind}
        events = [  # a kind a later API version adds is passed over, the cursor moves on
            BoxEvent(
                id=str(raw["id"]),
                at=dt.datetime.fromisoformat(raw["at"]),
                kind=EventKind(raw["kind"]),
                compartment=raw.get("compartment"),
                reference=raw.get("reference"),
                occupied=raw.get("occupied"),
            )
            for raw in body["events"]
            if raw["kind"] in known
        ]
        return events, body.get("cursor") or after
