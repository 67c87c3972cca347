"""The FIT-Connect Submission API v1 as a FastAPI application (paths, bodies and status codes as
in FITKO's OpenAPI description v1.1.3), plus a small /sandbox control API for fault injection."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Form, Header, Query, Request, Response
from fastapi.responses import JSONResponse
from jwcrypto import jws, jwt

from sandbox.fitconnect import EVENTS, PROBLEMS, SET_SCHEMA, set_payload_validator
from sandbox.fitconnect.conformance import enforce, specification_from_environment
from sandbox.fitconnect.keys import KeyRing
from sandbox.fitconnect.state import State

DESTINATION_SERVICES = "services"  # state key of the destination's accepted service identifiers
PATCHABLE = frozenset({"status", "encryptionKid", "contactInformation"})
CONTACT = {
    "legalName": "Stadt Siegen, Bürgerbüro",
    "address": "Markt 2, 57072 Siegen, Deutschland",
    "phone": "+492714040",
    "email": "buergerbuero@siegen.example",
    "unit": "Bürgerbüro",
}


class Problem(Exception):
    def __init__(self, status: int, name: str, title: str, detail: str = "") -> None:
        super().__init__(title)
        self.status, self.name, self.title, self.detail = status, name, title, detail


def _problem_response(request: Request, problem: Problem) -> JSONResponse:
    return JSONResponse(
        {
            "type": PROBLEMS + problem.name,
            "title": problem.title,
            "status": problem.status,
            "detail": problem.detail,
            "instance": request.url.path,
        },
        status_code=problem.status,
        media_type="application/problem+json",
    )


def _is_compact_jwe(text: str) -> bool:
    parts = text.split(".")
    return len(parts) == 5 and all(
        part == "" or all(c.isalnum() or c in "-_" for c in part) for part in parts
    )


REGION = "DE05970040"  # the Regionalschlüssel of Siegen, where the city's services are offered
NO_CACHE = {"Cache-Control": "no-cache"}  # the specification's Cache-Control-No-Cache header


@dataclass(frozen=True)
class Principal:
    """Who a token was issued to, and what it may do: FIT-Connect's OAuth scopes."""

    client: str
    scopes: frozenset[str]

    def require(self, *any_of: str) -> None:
        if not self.scopes & set(any_of):
            raise Problem(
                403, "forbidden", "Forbidden", f"needs one of the scopes {' '.join(any_of)}"
            )


def granted_scopes(role: str, destinations: list[str]) -> set[str]:
    """What a client of this role may be granted (the self-service portal's configuration)."""
    if role == "sender":
        return {f"send:region:{REGION}"} | {f"send:destination:{d}" for d in destinations}
    if role == "subscriber":  # the authority: it receives for its destinations and manages them
        return {f"subscribe:destination:{d}" for d in destinations} | {
            f"manage:destination:{d}" for d in destinations
        }
    return set()


def sender_scopes(destination_id: str) -> tuple[str, ...]:
    return (f"send:destination:{destination_id}", f"send:region:{REGION}")


class Sandbox:
    """State, keys, tokens and faults of one running sandbox."""

    def __init__(self, directory: Path, token_ttl: int = 300) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.blobs = directory / "blobs"
        self.blobs.mkdir(exist_ok=True)
        self.state = State(directory / "state")
        self.keys = KeyRing(directory / "keys")
        self.token_ttl = token_ttl
        # in memory: a restart invalidates them
        self.tokens: dict[str, tuple[Principal, float]] = {}
        self.faults: dict[str, Any] = {}
        self.stalled = 0  # requests held back by a slow_path fault so far
        self.lock = threading.RLock()

    # --- blobs (ciphertexts) live beside the state, one file each --------------------------------

    def put_blob(self, text: str) -> str:
        name = hashlib.sha256(text.encode()).hexdigest()
        path = self.blobs / name
        if not path.exists():
            path.write_text(text, "ascii")
        return name

    def get_blob(self, name: str) -> str:
        return (self.blobs / name).read_text("ascii")

    # --- events -----------------------------------------------------------------------------

    def service_set(self, submission: dict[str, Any], event: str, payload: dict[str, Any]) -> str:
        key = self.keys.service_signing
        token = jwt.JWT(
            header={"typ": "secevent+jwt", "alg": "PS512", "kid": key.get("kid")},
            claims={
                "$schema": SET_SCHEMA,
                "jti": str(uuid.uuid4()),
                "iss": "https://sandbox.fit-connect.local",
                "iat": int(time.time()),
                "sub": f"submission:{submission['submissionId']}",
                "txn": f"case:{submission['caseId']}",
                "events": {EVENTS + event: payload},
            },
        )
        token.make_signed_token(key)
        return str(token.serialize())

    def log_event(self, case_id: str, token: str) -> None:
        self.state.append_event(case_id, token)


def create_app(directory: Path, *, token_ttl: int = 300) -> FastAPI:
    sandbox = Sandbox(directory, token_ttl)
    app = FastAPI(title="FIT-Connect Submission API (sandbox)", version="1.1.3")
    app.state.sandbox = sandbox
    app.add_exception_handler(Problem, _problem_response)  # type: ignore[arg-type]
    # added first, so it sees what every other layer answers
    enforce(app, specification_from_environment())

    @app.middleware("http")
    async def faults(request: Request, call_next: Any) -> Response:
        if not request.url.path.startswith("/sandbox"):
            if sandbox.faults.get("down"):
                return JSONResponse({"title": "down"}, status_code=503)
            delay = float(sandbox.faults.get("slow_seconds", 0))
            slow_path = sandbox.faults.get("slow_path")  # e.g. "/events" or "/attachments/"
            if slow_path and slow_path not in request.url.path:
                delay = 0.0
            if delay:
                import asyncio

                sandbox.stalled += 1  # tests wait for this instead of sleeping
                await asyncio.sleep(delay)
        response: Response = await call_next(request)
        return response

    def authorised(authorization: str = Header(default="")) -> Principal:
        token = authorization.removeprefix("Bearer ").strip()
        found = sandbox.tokens.get(token)
        if found is None or found[1] < time.time():
            raise Problem(401, "unauthorized", "Invalid or expired access token")
        return found[0]

    # --- OAuth2 -----------------------------------------------------------------------------

    @app.post("/token")
    def token(
        grant_type: str = Form(...),
        client_id: str = Form(...),
        client_secret: str = Form(...),
        scope: str = Form(default=""),
    ) -> JSONResponse:
        clients = sandbox.state.data["clients"]
        if (
            grant_type != "client_credentials"
            or sandbox.faults.get("refuse_tokens")
            or not secrets.compare_digest(
                clients.get(client_id, {}).get("secret", "?"), client_secret
            )
        ):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        allowed = granted_scopes(
            clients[client_id].get("role", ""), list(sandbox.state.data["destinations"])
        )
        asked = set(scope.split())
        if asked - allowed:  # RFC 6749 5.2: never more than the client was granted
            return JSONResponse({"error": "invalid_scope"}, status_code=400)
        scopes = frozenset(asked or allowed)
        value = secrets.token_urlsafe(32)
        sandbox.tokens[value] = (Principal(client_id, scopes), time.time() + sandbox.token_ttl)
        return JSONResponse(
            {
                "access_token": value,
                "token_type": "Bearer",
                "expires_in": sandbox.token_ttl,
                "scope": " ".join(sorted(scopes)),
            }
        )

    # --- destinations and keys ------------------------------------------------------------------

    def _destination(destination_id: str, *, private: bool = False) -> dict[str, Any]:
        found = sandbox.state.data["destinations"].get(destination_id)
        if found is None:
            raise Problem(404, "destination-not-found", "Destination not found")
        body: dict[str, Any] = {
            "destinationId": destination_id,
            "status": found.get("status", "active"),
            "encryptionKid": found.get(
                "encryptionKid", sandbox.keys.destination_encryption.get("kid")
            ),
            "metadataVersions": ["1.0.0"],
            "services": [
                {
                    "identifier": identifier,
                    "submissionSchemas": [{"schemaUri": schema, "mimeType": "application/json"}],
                    "regions": ["DE05970040"],
                }
                for identifier, schema in found[DESTINATION_SERVICES].items()
            ],
            "replyChannels": {"eMail": {"usePgp": False}},
        }
        if private:
            body["contactInformation"] = found.get("contactInformation", CONTACT)
        return body

    @app.get("/v1/destinations/{destination_id}")
    def destination(
        destination_id: str, principal: Principal = Depends(authorised)
    ) -> JSONResponse:
        principal.require(
            f"subscribe:destination:{destination_id}",
            f"manage:destination:{destination_id}",
            *sender_scopes(destination_id),
        )
        return JSONResponse(_destination(destination_id), headers=NO_CACHE)

    @app.patch("/v1/destinations/{destination_id}")
    def patch_destination(
        destination_id: str, body: dict[str, Any], principal: Principal = Depends(authorised)
    ) -> JSONResponse:
        """Partial update, e.g. `status` (activate) or `encryptionKid` on a key rollover."""
        principal.require(f"manage:destination:{destination_id}")
        with sandbox.lock:
            found = sandbox.state.data["destinations"].get(destination_id)
            if found is None:
                raise Problem(404, "destination-not-found", "Destination not found")
            unknown = set(body) - PATCHABLE
            if unknown:
                raise Problem(
                    400, "invalid-request", f"not patchable: {', '.join(sorted(unknown))}"
                )
            if body.get("status", "active") not in ("active", "inactive", "decommissioned"):
                raise Problem(
                    400, "invalid-request", "status must be active|inactive|decommissioned"
                )
            if (
                "encryptionKid" in body
                and body["encryptionKid"] not in sandbox.keys.encryption_kids()
            ):
                raise Problem(
                    400, "invalid-request", "encryptionKid names no key of this destination"
                )
            found.update(
                {
                    key: body[key]
                    for key in body
                    if key in ("status", "encryptionKid", "contactInformation")
                }
            )
            sandbox.state.save_config()
        return JSONResponse(_destination(destination_id, private=True), headers=NO_CACHE)

    @app.get("/v1/destinations/{destination_id}/keys/{key_id}")
    def key(destination_id: str, key_id: str) -> JSONResponse:
        keys = sandbox.keys
        for candidate, ops in (
            (keys.destination_encryption, ["wrapKey"]),
            (keys.destination_signing, ["verify"]),
        ):
            if (
                candidate.get("kid") == key_id
                and destination_id in sandbox.state.data["destinations"]
            ):
                return JSONResponse(keys.public(candidate, ops), headers=NO_CACHE)
        raise Problem(404, "key-not-found", "Key not found")

    @app.get("/.well-known/jwks.json")
    def jwks() -> dict[str, Any]:
        return {"keys": [sandbox.keys.public(sandbox.keys.service_signing, ["verify"])]}

    @app.get("/v1/info")
    def info() -> dict[str, Any]:
        return {"version": {"major": 1, "minor": 1, "patch": 3}}

    # --- sender side ----------------------------------------------------------------------------

    @app.post("/v1/submissions", status_code=201)
    def create_submission(
        body: dict[str, Any], principal: Principal = Depends(authorised)
    ) -> dict[str, Any]:
        destination_id = str(body.get("destinationId"))
        principal.require(*sender_scopes(destination_id))
        if destination_id not in sandbox.state.data["destinations"]:
            raise Problem(404, "destination-not-found", "Destination not found")
        if not isinstance(body.get("announcedAttachments"), list) or "serviceType" not in body:
            raise Problem(
                400, "invalid-request", "announcedAttachments and serviceType are required"
            )
        with sandbox.lock:
            submission = {
                "destinationId": destination_id,
                "submissionId": str(uuid.uuid4()),
                "caseId": body.get("caseId") or str(uuid.uuid4()),
                "serviceType": body["serviceType"],
                "announcedAttachments": body["announcedAttachments"],
                "attachments": {},
                "state": "incomplete",
            }
            sandbox.state.data["submissions"][submission["submissionId"]] = submission
            sandbox.log_event(
                submission["caseId"], sandbox.service_set(submission, "create-submission", {})
            )
            sandbox.state.save_submission(submission)
        return {key: submission[key] for key in ("destinationId", "submissionId", "caseId")}

    def _submission(submission_id: str, *, states: tuple[str, ...]) -> dict[str, Any]:
        found: dict[str, Any] | None = sandbox.state.data["submissions"].get(submission_id)
        if found is None or found["state"] not in states:
            raise Problem(404, "submission-not-found", "Submission not found")
        return found

    @app.put("/v1/submissions/{submission_id}/attachments/{attachment_id}", status_code=204)
    async def upload_attachment(
        submission_id: str,
        attachment_id: str,
        request: Request,
        principal: Principal = Depends(authorised),
    ) -> Response:
        if request.headers.get("content-type", "").split(";")[0] != "application/jose":
            raise Problem(415, "unsupported-media-type", "Content-Type must be application/jose")
        body = (await request.body()).decode("ascii", errors="replace").strip()
        with sandbox.lock:
            submission = _submission(submission_id, states=("incomplete",))
            principal.require(*sender_scopes(submission["destinationId"]))
            if attachment_id not in submission["announcedAttachments"]:
                raise Problem(422, "attachment-not-announced", "Attachment was not announced")
            if not _is_compact_jwe(body):
                raise Problem(422, "invalid-jwe", "Body is not a compact JWE")
            submission["attachments"][attachment_id] = sandbox.put_blob(body)
            sandbox.state.save_submission(submission)
        return Response(status_code=204)

    @app.put("/v1/submissions/{submission_id}", status_code=202)
    def submit(
        submission_id: str, body: dict[str, Any], principal: Principal = Depends(authorised)
    ) -> dict[str, Any]:
        with sandbox.lock:
            submission = _submission(submission_id, states=("incomplete",))
            principal.require(*sender_scopes(submission["destinationId"]))
            metadata, data = body.get("encryptedMetadata"), body.get("encryptedData")
            if not isinstance(metadata, str) or not _is_compact_jwe(metadata):
                raise Problem(422, "invalid-jwe", "encryptedMetadata is not a compact JWE")
            if data is not None and not _is_compact_jwe(data):
                raise Problem(422, "invalid-jwe", "encryptedData is not a compact JWE")
            missing = set(submission["announcedAttachments"]) - set(submission["attachments"])
            if missing:
                raise Problem(422, "missing-attachments", "Announced attachments were not uploaded")
            submission["encryptedMetadata"] = sandbox.put_blob(metadata)
            submission["encryptedData"] = sandbox.put_blob(data) if data else None
            submission["state"] = "submitted"
            tags = {
                "metadata": metadata.split(".")[4],
                **({"data": data.split(".")[4]} if data else {}),
                "attachments": {
                    aid: sandbox.get_blob(b).split(".")[4]
                    for aid, b in submission["attachments"].items()
                },
            }
            submission["authenticationTags"] = tags
            sandbox.log_event(
                submission["caseId"],
                sandbox.service_set(submission, "submit-submission", {"authenticationTags": tags}),
            )
            sandbox.state.save_submission(submission)
        return _reduced(submission)

    def _reduced(submission: dict[str, Any]) -> dict[str, Any]:
        """SubmissionReduced: the submission without its encrypted metadata and data."""
        return {
            "destinationId": submission["destinationId"],
            "submissionId": submission["submissionId"],
            "caseId": submission["caseId"],
            "attachments": list(submission["attachments"]),
            "serviceType": submission["serviceType"],
        }

    # --- subscriber side ------------------------------------------------------------------------

    @app.get("/v1/submissions")
    def list_submissions(
        destination_id: str | None = Query(default=None, alias="destinationId"),
        limit: int = 100,
        offset: int = 0,
        principal: Principal = Depends(authorised),
    ) -> dict[str, Any]:
        subscribed = {
            scope.removeprefix("subscribe:destination:")
            for scope in principal.scopes
            if scope.startswith("subscribe:destination:")
        }
        if destination_id is not None:
            principal.require(f"subscribe:destination:{destination_id}")
        elif not subscribed:
            raise Problem(403, "forbidden", "Forbidden", "needs subscribe:destination:<id>")
        # out-of-range paging is clamped: the specification lists no 400 here
        limit, offset = min(max(limit, 0), 500), max(offset, 0)
        ready = [
            s
            for s in sandbox.state.data["submissions"].values()
            if s["state"] == "submitted"
            and s["destinationId"] in subscribed
            and destination_id in (None, s["destinationId"])
        ]
        page = ready[offset : offset + limit]
        return {
            "count": len(page),
            "offset": offset,
            "totalCount": len(ready),
            "submissions": [
                {key: s[key] for key in ("destinationId", "submissionId", "caseId")} for s in page
            ],
        }

    @app.get("/v1/submissions/{submission_id}")
    def get_submission(submission_id: str, principal: Principal = Depends(authorised)) -> Response:
        submission = _submission(submission_id, states=("submitted", "forwarded"))
        principal.require(f"subscribe:destination:{submission['destinationId']}")
        body = {
            "destinationId": submission["destinationId"],
            "submissionId": submission_id,
            "caseId": submission["caseId"],
            "serviceType": submission["serviceType"],
            "attachments": list(submission["attachments"]),
            "encryptedMetadata": sandbox.get_blob(submission["encryptedMetadata"]),
            **(
                {"encryptedData": sandbox.get_blob(submission["encryptedData"])}
                if submission.get("encryptedData")
                else {}
            ),
        }
        text = json.dumps(body)
        if sandbox.faults.get("truncate"):
            text = text[: len(text) // 2]
        return Response(text, media_type="application/json")

    @app.get("/v1/submissions/{submission_id}/attachments/{attachment_id}")
    def get_attachment(
        submission_id: str, attachment_id: str, principal: Principal = Depends(authorised)
    ) -> Response:
        submission = _submission(submission_id, states=("submitted", "forwarded"))
        principal.require(f"subscribe:destination:{submission['destinationId']}")
        blob = submission["attachments"].get(attachment_id)
        if blob is None:
            raise Problem(404, "attachment-not-found", "Attachment not found")
        return Response(sandbox.get_blob(blob), media_type="application/jose")

    @app.get("/v1/cases/{case_id}/events")
    def events(
        case_id: str, limit: int = 100, offset: int = 0, principal: Principal = Depends(authorised)
    ) -> dict[str, Any]:
        log = sandbox.state.data["events"].get(case_id)
        if log is None:
            raise Problem(404, "case-not-found", "Case not found")
        destinations = {
            s["destinationId"]
            for s in sandbox.state.data["submissions"].values()
            if s["caseId"] == case_id
        }
        principal.require(
            *(f"subscribe:destination:{d}" for d in destinations),
            *(scope for d in destinations for scope in sender_scopes(d)),
        )
        page = log[offset : offset + limit]
        return {"count": len(page), "offset": offset, "totalCount": len(log), "eventLog": page}

    @app.post("/v1/cases/{case_id}/events", status_code=204)
    async def post_event(
        case_id: str, request: Request, principal: Principal = Depends(authorised)
    ) -> Response:
        if request.headers.get("content-type", "").split(";")[0] != "application/jose":
            raise Problem(415, "unsupported-media-type", "Content-Type must be application/jose")
        compact = (await request.body()).decode("ascii", errors="replace").strip()
        try:
            header = json.loads(base64.urlsafe_b64decode(compact.split(".")[0] + "=="))
            verifier = jws.JWS()
            verifier.deserialize(compact)
            verifier.verify(sandbox.keys.destination_signing, alg="PS512")
            claims = json.loads(verifier.payload)
        except Exception as error:
            raise Problem(
                422, "invalid-event", "SET signature or format invalid", str(error)
            ) from error
        if header.get("typ") != "secevent+jwt" or header.get("alg") != "PS512":
            raise Problem(422, "invalid-event", "SET header must be typ secevent+jwt, alg PS512")
        violation = next(iter(set_payload_validator().iter_errors(claims)), None)
        if violation is not None:
            where = "/".join(str(part) for part in violation.path) or "(root)"
            raise Problem(422, "invalid-event", f"SET payload: {where}: {violation.message}")
        if claims["txn"] != f"case:{case_id}":
            raise Problem(422, "invalid-event", "SET is for another case")
        submission_id = str(claims["sub"]).removeprefix("submission:")
        event = next(iter(claims["events"]))
        with sandbox.lock:
            submission = sandbox.state.data["submissions"].get(submission_id)
            if submission is None or submission["caseId"] != case_id:
                raise Problem(404, "submission-not-found", "Submission not found")
            principal.require(f"subscribe:destination:{submission['destinationId']}")
            if event not in (EVENTS + "accept-submission", EVENTS + "reject-submission"):
                raise Problem(422, "invalid-event", f"Event {event} cannot be sent by a subscriber")
            if submission["state"] not in ("submitted", "forwarded"):
                raise Problem(
                    409, "invalid-state-transition", f"Submission is {submission['state']}"
                )
            if event.endswith("accept-submission"):
                given = claims["events"][event].get("authenticationTags")
                if given != submission.get("authenticationTags"):
                    # an accept confirms exactly what was submitted: the tags must be those
                    raise Problem(
                        422,
                        "invalid-event",
                        "authenticationTags do not match the submission's",
                    )
            submission["state"] = "accepted" if event.endswith("accept-submission") else "rejected"
            submission["decision"] = claims["events"][event]
            sandbox.log_event(case_id, compact)
            sandbox.state.save_submission(submission)
        return Response(status_code=204)

    # --- sandbox control (not part of FIT-Connect) ------------------------------------------------

    @app.get("/sandbox/stalled")
    def stalled() -> dict[str, int]:
        return {"stalled": sandbox.stalled}

    @app.post("/sandbox/faults")
    def set_faults(body: dict[str, Any]) -> dict[str, Any]:
        sandbox.faults = body
        if body.get("drop_tokens"):
            sandbox.tokens.clear()
        return sandbox.faults

    @app.get("/sandbox/submissions/{submission_id}")
    def inspect(submission_id: str) -> dict[str, Any]:
        found = sandbox.state.data["submissions"].get(submission_id)
        if found is None:
            raise Problem(404, "submission-not-found", "Submission not found")
        return {k: v for k, v in found.items() if k not in ("encryptedMetadata", "encryptedData")}

    return app
