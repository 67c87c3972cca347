"""`buergerbuero card eid --can N`: the German ID card read on site through AusweisApp's SDK
and the city's eID service (TR-03124), the data the service hands over as JSON. Where the city
holds no authorisation for on-site reading (no eid_tc_token_url), it says so: the CAN check
(`card check`) applies. Exit 0 read, 1 refused (a wrong CAN, cancelled, the service said no),
2 cannot (no AusweisApp, no service configured, bad input)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import requests

from cardreader.ausweisapp import (
    AusweisAppSdk,
    AuthFailed,
    PinRequested,
    SdkError,
    on_site_data,
)
from cardreader.check import valid_can


def eid_command(args: argparse.Namespace) -> int:
    from app.integrations.settings import load_settings

    if not valid_can(args.can):
        return _fail("the CAN has 6 digits")
    settings = load_settings()
    tc_token_url = args.tc_token_url or settings.eid_tc_token_url
    if not tc_token_url:
        return _fail("no authorisation for on-site reading (eid_tc_token_url): use card check")
    tries: list[dict[str, Any]] = []

    def can(message: dict[str, Any]) -> str | None:
        tries.append(message)
        return None if "error" in message else args.can  # a wrong CAN is not tried twice

    try:
        with AusweisAppSdk(args.ausweisapp or settings.ausweisapp_url, timeout=120) as sdk:
            result = sdk.authenticate(tc_token_url, can=can)
        data = on_site_data(result, lambda url: requests.get(url, timeout=30).json())
    except (AuthFailed, PinRequested) as error:
        wrong_can = any("error" in t for t in tries)
        print(json.dumps({"read": False, "reason": "wrong_can" if wrong_can else str(error)}))
        return 1
    except (SdkError, requests.RequestException) as error:
        return _fail(f"{type(error).__name__}: {error}")
    print(
        json.dumps(
            {
                "read": True,
                "family_names": data.family_names,
                "given_names": data.given_names,
                "birth_date": data.birth_date,
                "place_of_residence": data.place_of_residence,
                "document_type": data.document_type,
                "issuing_state": data.issuing_state,
                "access_rights": list(result.access_rights),
            }
        )
    )
    return 0


def _fail(text: str) -> int:
    print(json.dumps({"error": text}))
    print(f"buergerbuero card: {text}", file=sys.stderr)
    return 2
