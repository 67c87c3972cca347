"""The sandbox held against FITKO's OpenAPI description of the Submission API (openapi-core),
always: the packaged `submission-api.v1.1.3.yaml`, or the file `FITCONNECT_SANDBOX_OPENAPI`
names. A request whose parameters the description does not allow (`limit=0`, `limit=abc`) is
answered 400 with a problem saying which, as the real service's validation does; every answer is
validated (status code listed for the operation, body against its schema, required headers) and
one that is not is turned into a 500 that says why. So no client, ours or a third party's, can
pass against the sandbox on a request or an answer the real service would not give."""

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


PACKAGED = Path(__file__).with_name("submission-api.v1.1.3.yaml")


def specification_from_environment() -> Any:
    path = os.environ.get(VARIABLE) or PACKAGED
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
    from openapi_core.testing import MockResponse
    from openapi_core.validation.request.validators import V30RequestParametersValidator

    # the parameters alone: the token and the body are the service's own checks
    parameters = V30RequestParametersValidator(specification.spec)

    @app.middleware("http")
    async def conforming(request: Request, call_next: Any) -> Response:
        checked = request.url.path.startswith(CHECKED_PREFIXES)
        if checked:
            refused = _refused_parameters(parameters, request)
            if refused is not None:
                return refused
        response: Response = await call_next(request)
        if not checked or app.state.sandbox.faults:
            return response  # a fault injected on purpose answers wrongly on purpose
        body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
        headers = dict(response.headers)
        media_type = headers.get("content-type", "application/json").split(";")[0]
        try:
            specification.validate_response(
                _openapi_request(request),
                MockResponse(
                    body,
                    status_code=response.status_code,
                    headers=headers,
                    content_type=media_type,
                ),
            )
        except Exception as error:  # every kind of violation: say which, loudly
            detail = _said(error, f"{type(error).__name__}: {error}")
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


def _refused_parameters(parameters: Any, request: Request) -> Response | None:
    """A 400 problem when the query's parameters break the operation's schema (type, minimum,
    maximum)."""
    from openapi_core.exceptions import OpenAPIError
    from openapi_core.validation.request.exceptions import ParameterValidationError

    try:
        parameters.validate(_openapi_request(request))
    except ParameterValidationError as error:
        detail = _said(error.__cause__, str(error))
        return JSONResponse(
            {
                "type": "about:blank",
                "title": "Bad Request",
                "status": 400,
                "detail": detail[:2000],
            },
            status_code=400,
            media_type="application/problem+json",
        )
    except OpenAPIError:  # an unknown path or method: the service's own 404 or 405 answers
        return None
    return None


def _openapi_request(request: Request) -> Any:
    from openapi_core.testing import MockRequest

    return MockRequest(
        HOST, request.method.lower(), request.url.path, args=dict(request.query_params)
    )


def _said(error: BaseException | None, detail: str) -> str:
    """`detail` and what the schema validator found, each of its errors."""
    for cause in getattr(error, "schema_errors", None) or []:
        detail += f"; {getattr(cause, 'message', cause)}"
    return detail


def _text(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return body[:500].decode("utf-8", "replace")
