"""The emulated box controllers over real HTTP: each office's box under its own base URL
`/<office>`, the API of docs/pickup-box-api.yaml, and `/<office>/sandbox/...` for what a real box
does physically (a citizen at the keypad, a door shut, a fault, the network gone)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Header, Query, Request
from fastapi.responses import JSONResponse

from sandbox.pickup_box.state import BoxError, BoxState


def problem(status: int, title: str) -> JSONResponse:
    return JSONResponse(
        {"title": title, "status": status},
        status_code=status,
        media_type="application/problem+json",
    )


def create_app(state_file: Path, token: str) -> FastAPI:
    state = BoxState(state_file)
    app = FastAPI(title="pickup box sandbox")

    @app.exception_handler(BoxError)
    async def box_error(_request: Request, error: BoxError) -> JSONResponse:
        return problem(error.status, error.title)

    def guard(office: str, authorization: str | None, *, api: bool = True) -> None:
        if not state.known(office):
            raise BoxError(404, f"no box {office}")
        if api and state.offline(office):
            raise BoxError(503, "box offline")  # what the seat sees: the box unreachable
        if api and authorization != f"Bearer {token}":
            raise BoxError(401, "bad token")

    @app.get("/{office}/v1/info")
    def info(office: str, authorization: str | None = Header(None)) -> dict[str, Any]:
        guard(office, authorization)
        return {
            "api_version": "1",
            "name": f"Sandbox {office}",
            "compartments": len(state.compartments(office)),
        }

    @app.get("/{office}/v1/compartments")
    def compartments(office: str, authorization: str | None = Header(None)) -> dict[str, Any]:
        guard(office, authorization)
        return {"compartments": state.compartments(office)}

    @app.post("/{office}/v1/compartments/{compartment}/open")
    def open_door(
        office: str,
        compartment: str,
        body: dict[str, Any],
        authorization: str | None = Header(None),
    ) -> dict[str, Any]:
        guard(office, authorization)
        if body.get("purpose") not in ("load", "retrieve"):
            raise BoxError(400, "purpose: load or retrieve")
        return state.open(office, compartment, body["purpose"], str(body.get("reference", "")))

    @app.put("/{office}/v1/compartments/{compartment}/item")
    def register(
        office: str,
        compartment: str,
        body: dict[str, Any],
        authorization: str | None = Header(None),
    ) -> dict[str, Any]:
        guard(office, authorization)
        for name in ("reference", "code_verifier", "verifier", "deadline"):
            if name not in body:
                raise BoxError(400, f"{name} missing")
        for name in ("code_verifier", "verifier"):
            if int(body[name].get("iterations", 0)) < 1000:
                raise BoxError(400, f"{name}: at least 1000 iterations")
        return state.register(office, compartment, body)

    @app.get("/{office}/v1/events")
    def events(
        office: str,
        after: str | None = Query(None),
        limit: int = Query(1000, ge=1, le=5000),
        authorization: str | None = Header(None),
    ) -> dict[str, Any]:
        guard(office, authorization)
        return state.events(office, after, limit)

    # --- the physical side -------------------------------------------------------------------

    @app.post("/{office}/sandbox/keypad")
    def keypad(office: str, body: dict[str, Any]) -> dict[str, Any]:
        guard(office, None, api=False)  # the keypad works while the box is offline from us
        return {"opened": state.keypad(office, str(body["code"]), str(body["second_factor"]))}

    @app.post("/{office}/sandbox/compartments/{compartment}/close")
    def close(office: str, compartment: str, body: dict[str, Any]) -> dict[str, Any]:
        guard(office, None, api=False)
        state.close_door(office, compartment, occupied=body.get("occupied"))
        return {"closed": compartment}

    @app.post("/{office}/sandbox/fault")
    def fault(office: str, body: dict[str, Any]) -> dict[str, Any]:
        guard(office, None, api=False)
        state.fault(office, str(body["kind"]), body.get("compartment"))
        return {"fault": body["kind"]}

    @app.post("/{office}/sandbox/offline")
    def offline(office: str, body: dict[str, Any]) -> dict[str, Any]:
        guard(office, None, api=False)
        state.set_offline(office, bool(body["offline"]))
        return {"offline": bool(body["offline"])}

    @app.post("/{office}/sandbox/phantom")
    def phantom(office: str, body: dict[str, Any]) -> dict[str, Any]:
        guard(office, None, api=False)
        state.phantom(office, str(body["compartment"]), str(body["reference"]))
        return {"phantom": body["compartment"]}

    @app.post("/{office}/sandbox/events")
    def many(office: str, body: dict[str, Any]) -> dict[str, Any]:
        guard(office, None, api=False)
        state.many_events(office, int(body["count"]))
        return {"added": int(body["count"])}

    return app
