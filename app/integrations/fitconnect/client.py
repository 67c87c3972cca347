"""HTTP client of the Submission API over requests: cached OAuth2 token, paging, timeouts,
problem details turned into exceptions that say what happened."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import requests

from app.lanes import Lane, require_lane

TOKEN_MARGIN_S = 30  # renew this long before the token expires


class FitConnectUnavailable(Exception):
    """The portal cannot be reached, is down, too slow, or answered garbage; try again later."""


class FitConnectRefused(Exception):
    """The portal refused our credentials or the request (4xx with problem details)."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        super().__init__(
            f"{status} {problem.get('title', '')}: {problem.get('detail', '')}".strip()
        )
        self.status = status
        self.problem = problem


def _session() -> requests.Session:
    """A session that does not consult the environment on every request (requests' own
    per-request lookup of proxies and ~/.netrc cost more CPU than the HTTP itself, with several
    requests per submission); the CA bundle is read here once, the proxies per URL by the
    client (`proxies_for`)."""
    session = requests.Session()
    session.trust_env = False
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if bundle:
        session.verify = bundle
    return session


def proxies_for(url: str) -> dict[str, str]:
    """The environment's proxy for `url` (HTTPS_PROXY, NO_PROXY ...), read once."""
    return dict(requests.utils.get_environ_proxies(url))


class FitConnectClient:
    def __init__(
        self,
        *,
        token_url: str,
        api_url: str,
        client_id: str,
        client_secret: str,
        scope: str = "",
        timeout: tuple[float, float] = (5.0, 30.0),
        session: requests.Session | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token_url = token_url
        self.api_url = api_url.rstrip("/")
        self._credentials = {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
            "scope": scope,
        }
        self.timeout = timeout
        self.http = session or _session()
        # each URL its own: NO_PROXY may exempt the API but not the token service
        self._token_proxies, self._api_proxies = proxies_for(token_url), proxies_for(api_url)
        self._monotonic = monotonic
        self._token: tuple[str, float] | None = None

    # --- token ----------------------------------------------------------------------------------

    def _access_token(self) -> str:
        if self._token is not None and self._token[1] > self._monotonic():
            return self._token[0]
        try:
            response = self.http.post(
                self.token_url,
                data=self._credentials,
                timeout=self.timeout,
                proxies=self._token_proxies,
            )
        except requests.RequestException as error:
            raise FitConnectUnavailable(
                f"token service unreachable: {type(error).__name__}"
            ) from error
        if response.status_code in (400, 401, 403):
            raise FitConnectRefused(
                response.status_code, {"title": "token refused", "detail": response.text[:200]}
            )
        if not response.ok:
            raise FitConnectUnavailable(f"token service answered {response.status_code}")
        body = response.json()
        expires = float(body.get("expires_in", 300))
        self._token = (
            str(body["access_token"]),
            self._monotonic() + max(0.0, expires - TOKEN_MARGIN_S),
        )
        return self._token[0]

    # --- requests -------------------------------------------------------------------------------

    def _request(self, method: str, path: str, **options: Any) -> requests.Response:
        require_lane(Lane.NETWORK)
        asked = options.pop("headers", {})  # the same on the second try (Content-Type!)
        for attempt in (1, 2):
            headers = {**asked, "Authorization": f"Bearer {self._access_token()}"}
            try:
                response = self.http.request(
                    method,
                    self.api_url + path,
                    headers=headers,
                    timeout=self.timeout,
                    proxies=self._api_proxies,
                    **options,
                )
            except requests.RequestException as error:
                raise FitConnectUnavailable(f"{method} {path}: {type(error).__name__}") from error
            if response.status_code == 401 and attempt == 1:
                self._token = None  # expired or revoked early: one fresh token, once
                continue
            if response.status_code >= 500:
                raise FitConnectUnavailable(f"{method} {path}: {response.status_code}")
            if response.status_code >= 400:
                raise FitConnectRefused(response.status_code, _problem(response))
            return response
        raise AssertionError("unreachable")

    def _json(self, path: str, **params: Any) -> dict[str, Any]:
        response = self._request("GET", path, params=params or None)
        try:
            return dict(json.loads(response.content))
        except ValueError as error:
            raise FitConnectUnavailable(f"GET {path}: incomplete or malformed response") from error

    def destination(self, destination_id: str) -> dict[str, Any]:
        return self._json(f"/v1/destinations/{destination_id}")

    def submissions(self, destination_id: str, *, page_size: int = 100) -> Iterator[dict[str, Any]]:
        """Every submission waiting for us, page by page."""
        offset = 0
        while True:
            page = self._json(
                "/v1/submissions", destinationId=destination_id, limit=page_size, offset=offset
            )
            items = page.get("submissions", [])
            yield from items
            offset += len(items)
            if not items or offset >= int(page.get("totalCount", 0)):
                return

    def submission(self, submission_id: str) -> dict[str, Any]:
        return self._json(f"/v1/submissions/{submission_id}")

    def attachment(self, submission_id: str, attachment_id: str) -> str:
        response = self._request(
            "GET", f"/v1/submissions/{submission_id}/attachments/{attachment_id}"
        )
        # a compact JWE is ASCII; `response.text` would first guess the charset of 200 kB
        return response.content.decode("ascii", "replace").strip()

    def post_event(self, fit_case_id: str, token: str) -> bool:
        """Post a SET; False when the submission was already decided (409)."""
        try:
            self._request(
                "POST",
                f"/v1/cases/{fit_case_id}/events",
                data=token,
                headers={"Content-Type": "application/jose"},
            )
        except FitConnectRefused as refused:
            if refused.status == 409:
                return False
            raise
        return True

    def events(self, fit_case_id: str) -> list[str]:
        return list(self._json(f"/v1/cases/{fit_case_id}/events").get("eventLog", []))


def _problem(response: requests.Response) -> dict[str, Any]:
    try:
        return dict(response.json())
    except ValueError:
        return {"title": response.reason or "error", "detail": response.text[:200]}
