"""The city's payment platform over XBezahldienste 1.0 (ePayBL, pmPayment/GovConnect, ePay21),
with `requests`: a payment created for a case's fee, its state asked (there is no callback),
the service's health. The provider's authentication is a setting: HTTP Basic, OAuth2 client
credentials, or a client certificate (PKCS#12 file) — the secret always from the keyring.
Timeouts on every call; a creation is repeated only with the same requestId."""

from __future__ import annotations

import datetime as dt
from typing import Any

import requests
from requests.auth import HTTPBasicAuth

from app.domain.payments import PlatformAnswer, read_transaction
from app.lanes import Lane, require_lane
from app.ports.payments import PlatformRefused, PlatformUnavailable

CONNECT_TIMEOUT, READ_TIMEOUT = 3.05, 15.0
AUTH_KINDS = ("basic", "oauth2", "certificate", "none")


class XBezahldiensteClient:
    def __init__(
        self,
        base_url: str,
        *,
        originator: str,
        endpoint: str,
        auth: str = "basic",
        client_id: str = "",
        secret: str = "",
        certificate: str = "",  # a PEM file with key and certificate, for auth = certificate
        token_url: str = "",
        ca_file: str = "",  # the platform's CA, where it is not one the system trusts
        read_timeout: float = READ_TIMEOUT,
    ) -> None:
        self.timeout = (CONNECT_TIMEOUT, read_timeout)
        if auth not in AUTH_KINDS:
            raise ValueError(f"payment platform auth must be one of {', '.join(AUTH_KINDS)}")
        self.base_url = base_url.rstrip("/")
        self.originator, self.endpoint = originator, endpoint
        self.auth, self.client_id, self._secret = auth, client_id, secret
        self.token_url = token_url or f"{self.base_url}/oauth/token"
        self._token: tuple[str, float] | None = None
        self._session = requests.Session()
        if auth == "basic":
            self._session.auth = HTTPBasicAuth(client_id, secret)
        if auth == "certificate":
            self._session.cert = certificate
        # given with each request: a session's `verify` loses to REQUESTS_CA_BUNDLE in the
        # environment (requests #3829), which a seat behind the city's proxy often has
        self._tls: dict[str, Any] = {"verify": ca_file} if ca_file else {}

    def close(self) -> None:
        self._session.close()

    def _url(self, *parts: str) -> str:
        return "/".join((self.base_url, *parts))

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.auth == "oauth2":
            headers["Authorization"] = f"Bearer {self._bearer()}"
        return headers

    def _bearer(self) -> str:
        now = dt.datetime.now(dt.UTC).timestamp()
        if self._token is not None and self._token[1] > now + 30:
            return self._token[0]
        try:
            response = self._session.post(
                self.token_url,
                data={"grant_type": "client_credentials"},
                auth=HTTPBasicAuth(self.client_id, self._secret),
                timeout=self.timeout,
                **self._tls,
            )
        except requests.RequestException as error:
            raise PlatformUnavailable("payment.unavailable", detail=type(error).__name__) from error
        if response.status_code != 200:
            raise PlatformUnavailable("payment.unavailable", detail=f"token {response.status_code}")
        body = response.json()
        self._token = (str(body["access_token"]), now + float(body.get("expires_in", 60)))
        return self._token[0]

    def _call(self, method: str, url: str, body: Any = None) -> Any:
        require_lane(Lane.NETWORK)
        try:
            response = self._session.request(
                method,
                url,
                json=body,
                headers=self._headers(),
                timeout=self.timeout,
                **self._tls,
            )
        except requests.RequestException as error:
            raise PlatformUnavailable("payment.unavailable", detail=type(error).__name__) from error
        if response.status_code >= 500 or response.status_code in (401, 403, 408, 429):
            raise PlatformUnavailable("payment.unavailable", detail=f"HTTP {response.status_code}")
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = {}
            code = str(problem.get("functionalCode") or problem.get("title") or "UNSPECIFIED")
            raise PlatformRefused(code, str(problem.get("detail") or response.status_code))
        try:
            return response.json()
        except ValueError as error:
            raise PlatformUnavailable("payment.unavailable", detail="not JSON") from error

    def probe(self) -> None:
        """The platform answers its status query: PlatformUnavailable (or Refused) if not."""
        self._call("GET", self._url("status", self.originator, self.endpoint))

    def healthy(self) -> bool:
        """Whether the service answers its status query (False when it is down)."""
        try:
            self._call("GET", self._url("status", self.originator, self.endpoint))
        except (PlatformUnavailable, PlatformRefused):
            return False
        return True

    def create(self, request: dict[str, Any]) -> PlatformAnswer:
        """POST the PaymentRequest; repeating it with the same requestId after a lost answer
        gives the payment already made (or PAYMENT_EXISTS from a platform that says so)."""
        body = self._call(
            "POST", self._url("paymenttransaction", self.originator, self.endpoint), request
        )
        try:
            return read_transaction(body)
        except ValueError as error:
            raise PlatformUnavailable("payment.unavailable", detail=str(error)) from error

    def status(self, *, transaction_id: str = "", status_url: str = "") -> PlatformAnswer:
        """The payment's state, at the URL the platform named (FIT-Connect `transactionUrl`)
        or by its transaction id on this platform."""
        url = status_url or self._url(
            "paymenttransaction", self.originator, self.endpoint, transaction_id
        )
        body = self._call("GET", url)
        try:
            return read_transaction(body)
        except ValueError as error:
            raise PlatformUnavailable("payment.unavailable", detail=str(error)) from error
