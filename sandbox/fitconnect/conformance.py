"""The sandbox's own answers held against FIT-Connect's OpenAPI description (openapi-core):
with `FITCONNECT_SANDBOX_OPENAPI` naming the specification file, every response of the
Submission API is validated (status code listed for the operation, body against its schema,
required headers) and one that is not is turned into a 500 that says why. Tests run the sandbox
this way, so no test can pass on an answer the real service would not give."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

VARIABLE = "FITCONNECT_SANDBOX_OPENAPI"
HOST = "http://sandbox.invalid"
CHECKED_PREFIXES = ("/v1/", "/.well-known/")  # /token (OAuth) and /sandbox are not the API


def specification_from_environment() -> Any | None:
    path = os.environ.get(VARIABLE)
    if not path:
        return None
    import yaml
    from openapi_core import Config, OpenAPI

    document = yaml.safe_load(Path(path).read_text("utf-8"))
    document["servers"] = [{"url": HOST}]  # the operations' paths, wherever we listen
    # a compact JWE body is text (its schema says string)
    config = Config(
        extra_media_type_deserializers={
            "application/jose": _ascii,
            "application/problem+json": json.loads,
        }
    )
    return OpenAPI.from_dict(document, config=config)


def _ascii(data: bytes) -> str:
    return data.decode("ascii", "replace")


def enforce(app: FastAPI, specification: Any) -> None:
    from openapi_core.testing import MockRequest, MockResponse

    @app.middleware("http")
    async def conforming(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        if not request.url.path.startswith(CHECKED_PREFIXES) or app.state.sandbox.faults:
            return response  # a fault injected on purpose answers wrongly on purpose
        body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
        headers = dict(response.headers)
        media_type = headers.get("content-type", "application/json").split(";")[0]
        try:
            specification.validate_response(
                MockRequest(
                    HOST,
                    request.method.lower(),
                    request.url.path,
                    args=dict(request.query_params),
                ),
                MockResponse(
                    body,
                    status_code=response.status_code,
                    headers=headers,
                    content_type=media_type,
                ),
            )
        except Exception as error:  # every kind of violation: say which, loudly
            detail = f"{type(error).__name__}: {error}"
            for cause in getattr(error, "schema_errors", None) or []:
                detail += f"; {getattr(cause, 'message', cause)}"
            print(
                f"sandbox: {request.method} {request.url.path} -> {response.status_code} "
                f"violates the specification: {detail[:600]}",
                file=sys.stderr,
            )
            return JSONResponse(
                {
                    "type": "about:blank",
                    "title": "Sandbox answer violates the FIT-Connect specification",
                    "status": 500,
                    "detail": detail[:2000],
                    "violating": {"status": response.status_code, "body": _text(body)},
                },
                status_code=500,
                media_type="application/problem+json",
            )
        return Response(
            body, status_code=response.status_code, headers=headers, media_type=media_type
        )


def _text(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return body[:500].decode("utf-8", "replace")
