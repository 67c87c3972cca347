"""`buergerbuero card eid --can N`: the German ID card read on site through AusweisApp's SDK
and the city's eID service (TR-03124), the data the service hands over as JSON. Where the city
holds no authorisation for on-site reading (no eid_tc_token_url), it says so: the CAN check
(`card check`) applies. Exit 0 read, 1 refused (a wrong CAN, cancelled, the service said no),
2 cannot (no AusweisApp, no service configured, bad input)."""

from __future__ import annotations

import argparse
import dataclasses
import json

import requests

from cardreader.ausweisapp import AuthFailed, PinRequested, SdkError
from cardreader.check import valid_can
from cardreader.cli import refuse
from cardreader.errors import PasswordRejected
from cardreader.on_site import SettingsOnSite


def eid_command(args: argparse.Namespace) -> int:
    from app.integrations.settings import load_settings

    if not valid_can(args.can):
        return refuse("the CAN has 6 digits")
    settings = load_settings()
    chosen = dataclasses.replace(
        settings,
        eid_tc_token_url=args.tc_token_url or settings.eid_tc_token_url,
        ausweisapp_url=args.ausweisapp or settings.ausweisapp_url,
    )
    on_site = SettingsOnSite(lambda: chosen)
    if not on_site.configured():
        return refuse("no authorisation for on-site reading (eid_tc_token_url): use card check")
    try:
        data = on_site.read("", args.can)  # AusweisApp chooses the reader
    except PasswordRejected:
        print(json.dumps({"read": False, "reason": "wrong_can"}))
        return 1
    except (AuthFailed, PinRequested) as error:
        print(json.dumps({"read": False, "reason": str(error)}))
        return 1
    except (SdkError, requests.RequestException) as error:
        return refuse(f"{type(error).__name__}: {error}")
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
                "access_rights": list(data.access_rights),
            }
        )
    )
    return 0
