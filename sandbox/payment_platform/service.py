"""The sandbox payment platform over real HTTP, speaking XBezahldienste 1.0:
`POST /paymenttransaction/{originatorId}/{endPointId}` creates a payment,
`GET /paymenttransaction/{originatorId}/{endPointId}/{transactionId}` answers its state,
`GET /status/{originatorId}/{endPointId}` the service's health; no callback (the state is
polled). Authentication as the provider is set up: HTTP Basic, OAuth2 client credentials
(`POST /oauth/token`), or none. `/pay/{transactionId}` is the page the citizen pays on;
`/sandbox/...` is what a test or the demo does there (pay, fail, cancel, faults)."""

from __future__ import annotations

import base64
import html
import json
import secrets
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Form, Header, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from sandbox.payment_platform.state import PlatformError, PlatformState

TOKEN_SECONDS = 300


@dataclass
class Access:
    """Who may call the API: `auth` basic, oauth2 or none, and the client's credentials."""

    auth: str
    client_id: str
    client_secret: str
    originator: str
    endpoint: str
    tokens: dict[str, float] = field(default_factory=dict)  # token -> expiry (monotonic)

    def allows(self, authorization: str | None) -> bool:
        if self.auth in ("none", "certificate"):  # certificate: TLS checked it already
            return True
        scheme, _space, value = (authorization or "").partition(" ")
        if self.auth == "basic" and scheme.lower() == "basic":
            expected = f"{self.client_id}:{self.client_secret}".encode()
            try:
                return secrets.compare_digest(base64.b64decode(value), expected)
            except ValueError:
                return False
        if self.auth == "oauth2" and scheme.lower() == "bearer":
            return self.tokens.get(value, 0) > time.monotonic()
        return False


def problem(error: PlatformError) -> JSONResponse:
    return JSONResponse(
        {
            "type": f"urn:xbezahldienste:problem:{error.code.lower()}",
            "title": error.code,
            "status": error.status,
            "detail": error.detail,
            "functionalCode": error.code,
        },
        status_code=error.status,
        media_type="application/problem+json",
    )


def create_app(state_file: Path, access: Access) -> FastAPI:
    state = PlatformState(state_file)
    app = FastAPI(title="XBezahldienste sandbox")

    @app.exception_handler(PlatformError)
    async def refused(_request: Request, error: PlatformError) -> JSONResponse:
        return problem(error)

    def guard(originator: str, endpoint: str, authorization: str | None) -> None:
        fault = state.switch("fault")
        if fault == "offline":
            raise PlatformError(503, "UNSPECIFIED", "payment service unavailable")
        if fault == "slow":
            time.sleep(float(state.switch("slow_seconds", "5")))
        if not access.allows(authorization):
            raise PlatformError(401, "FORBIDDEN", "authentication required")
        if (originator, endpoint) != (access.originator, access.endpoint):
            raise PlatformError(404, "NO_VALID_ORIGINATOR_OR_ENDPOINT", "unknown originator")

    def transaction(request: Request, record: dict[str, Any]) -> dict[str, Any]:
        base = str(request.base_url).rstrip("/")
        status = record["status"]
        if status == "BOOKED" and state.switch("dialect") == "payed":
            status = "PAYED"  # as some providers say it
        information = {
            "transactionId": record["transaction_id"],
            "transactionReference": record["reference"],
            "transactionUrl": f"{base}/paymenttransaction/{record['originator']}/"
            f"{record['endpoint']}/{record['transaction_id']}",
            "transactionRedirectUrl": f"{base}/pay/{record['transaction_id']}",
            "transactionTimestamp": record["updated"],
            "status": status,
        }
        if record["method"]:
            information["paymentMethod"] = record["method"]
        return {"paymentRequest": json.loads(record["request"]), "paymentInformation": information}

    @app.post("/oauth/token")
    def token(
        grant_type: str = Form(...),
        client_id: str = Form(""),
        client_secret: str = Form(""),
        authorization: str | None = Header(None),
    ) -> JSONResponse:
        if authorization and authorization.lower().startswith("basic "):
            pair = base64.b64decode(authorization[6:]).decode(errors="replace")
            client_id, _colon, client_secret = pair.partition(":")
        if grant_type != "client_credentials":
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        if (client_id, client_secret) != (access.client_id, access.client_secret):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        issued = secrets.token_urlsafe(24)
        access.tokens[issued] = time.monotonic() + TOKEN_SECONDS
        return JSONResponse(
            {"access_token": issued, "token_type": "Bearer", "expires_in": TOKEN_SECONDS}
        )

    @app.get("/status/{originator}/{endpoint}")
    def health(originator: str, endpoint: str, authorization: str | None = Header(None)) -> Any:
        guard(originator, endpoint, authorization)
        return {"status": "OK"}

    @app.post("/paymenttransaction/{originator}/{endpoint}")
    async def create(
        originator: str, endpoint: str, request: Request, authorization: str | None = Header(None)
    ) -> Any:
        guard(originator, endpoint, authorization)
        try:
            body = await request.json()
        except ValueError:
            raise PlatformError(400, "VALIDATION_ERROR", "not JSON") from None
        record = state.create(originator, endpoint, body)
        lose = int(state.switch("lose_answers", "0"))
        if lose:  # the payment is made; its answer never arrives
            state.set_switch("lose_answers", str(lose - 1))
            return Response(status_code=504)
        return transaction(request, record)

    @app.get("/paymenttransaction/{originator}/{endpoint}/{transaction_id}")
    def status(
        originator: str,
        endpoint: str,
        transaction_id: str,
        request: Request,
        authorization: str | None = Header(None),
    ) -> Any:
        guard(originator, endpoint, authorization)
        return transaction(request, state.get(originator, endpoint, transaction_id))

    # --- the citizen's pay page -------------------------------------------------------------

    @app.get("/pay/{transaction_id}", response_class=HTMLResponse)
    def pay_page(transaction_id: str) -> str:
        record = state.by_id(transaction_id)
        request = json.loads(record["request"])
        amount = f"{Decimal(str(request['grosAmount'])):.2f}".replace(".", ",")
        done = record["status"] != "INITIAL"
        buttons = (
            f"<p>Status: {html.escape(record['status'])}</p>"
            if done
            else '<button name="outcome" value="BOOKED">Jetzt bezahlen</button> '
            '<button name="outcome" value="CANCELED">Abbrechen</button>'
        )
        return (
            '<!doctype html><html lang="de"><head><meta charset="utf-8">'
            "<title>Bezahlen – Sandbox</title></head><body>"
            f"<h1>{html.escape(str(request.get('description', '')))}</h1>"
            f"<p>Betrag: {amount} €<br>Verwendungszweck: {html.escape(request['purpose'])}<br>"
            f"Kassenzeichen: {html.escape(record['reference'])}</p>"
            f'<form method="post">{buttons}</form></body></html>'
        )

    @app.post("/pay/{transaction_id}")
    def paid(transaction_id: str, outcome: str = Form(...)) -> Response:
        state.settle(transaction_id, outcome)
        request = json.loads(state.by_id(transaction_id)["request"])
        target = request.get("redirectUrl") or f"/pay/{transaction_id}"
        return RedirectResponse(target, status_code=303)

    # --- what a test or the demo does there ---------------------------------------------------

    @app.post("/sandbox/settle/{transaction_id}")
    def settle(transaction_id: str, body: dict[str, Any]) -> Any:
        state.settle(transaction_id, str(body.get("status")), str(body.get("method", "PAYPAL")))
        return {"ok": True}

    @app.post("/sandbox/fault")
    def fault(body: dict[str, Any]) -> Any:
        state.set_switch("fault", str(body.get("kind") or ""))
        state.set_switch("slow_seconds", str(body.get("seconds", 5)))
        state.set_switch("lose_answers", str(int(body.get("lose_answers", 0))))
        return {"ok": True}

    @app.post("/sandbox/dialect")
    def dialect(body: dict[str, Any]) -> Any:
        state.set_switch("dialect", str(body.get("booked_as", "")).lower())
        return {"ok": True}

    @app.get("/sandbox/payments")
    def payments() -> Any:
        return {"payments": state.all()}

    return app
