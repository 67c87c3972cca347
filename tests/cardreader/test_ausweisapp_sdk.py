"""The AusweisApp SDK client (TR-03124-1): against recorded message scripts of RUN_AUTH served
over a real WebSocket (on-site reading with the CAN: access rights restricted and accepted, a
card inserted, a wrong CAN then the right one, the service's data at its refresh address; the
citizen cancelling; a service that asks for the PIN; AusweisApp busy or absent), and against
Debian's headless AusweisApp2 for what works without an eID service: its info, the virtual
reader and card, and RUN_AUTH failing with the service out of reach."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from websockets.sync.server import ServerConnection, serve

from cardreader.ausweisapp import (
    RESULT_OK,
    AusweisAppBusy,
    AusweisAppSdk,
    AusweisAppUnavailable,
    AuthFailed,
    PinRequested,
    on_site_data,
)
from sandbox.ausweisapp import EXECUTABLE, AusweisAppProcess
from sandbox.pcsc import PrivatePcscd
from sandbox.pgcluster import free_port
from sandbox.virtual_card.chip import Chip, Personality
from sandbox.virtual_card.vpcd import VirtualCard
from tests.support.json_server import serve_json

READER = {
    "msg": "READER",
    "name": "Buergerbuero Testleser 00 00",
    "insertable": False,
    "attached": True,
    "keypad": False,
    "card": {"inoperative": False, "deactivated": False, "retryCounter": 3},
}
ACCESS_RIGHTS = {
    "msg": "ACCESS_RIGHTS",
    "aux": {"communityId": "02760400110000"},
    "chat": {
        "effective": ["Address", "DateOfBirth", "DocumentType", "FamilyName", "GivenNames"],
        "optional": ["Address", "DateOfBirth", "Nationality"],
        "required": ["DocumentType", "FamilyName", "GivenNames"],
    },
    "transactionInfo": "Vor-Ort-Auslesen, Stadt Siegen",
}
CANCELLED = {
    "major": "http://www.bsi.bund.de/ecard/api/1.1/resultmajor#error",
    "minor": "http://www.bsi.bund.de/ecard/api/1.1/resultminor/sal#cancellationByUser",
    "language": "en",
    "description": "The process has been cancelled.",
    "message": "The process has been cancelled.",
    "reason": "User_Cancelled",
}


class Script:
    """A recorded conversation: ("recv", command fields the client must send) and ("send",
    message); what the client sent is kept."""

    def __init__(self, steps: list[tuple[str, dict[str, Any]]], *, refuse: int = 0) -> None:
        self.steps, self.refuse, self.received = list(steps), refuse, []
        self.port = free_port()

    def handle(self, socket: ServerConnection) -> None:
        from websockets.exceptions import ConnectionClosed

        with contextlib.suppress(ConnectionClosed):  # the client left; the test checks the rest
            self._play(socket)

    def _play(self, socket: ServerConnection) -> None:
        for direction, message in self.steps:
            if direction == "send":
                socket.send(json.dumps(message))
                continue
            command = json.loads(socket.recv(timeout=10))
            self.received.append(command)
            for key, value in message.items():
                assert command.get(key) == value, (command, message)

    def __enter__(self) -> Script:
        def refuse(_connection: ServerConnection, request: Any) -> Any:
            if self.refuse:
                return _connection.respond(self.refuse, "busy\n")
            return None

        self.server = serve(self.handle, "127.0.0.1", self.port, process_request=refuse)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/eID-Kernel"


@pytest.fixture
def service() -> Iterator[str]:
    """The eID service's refresh address, handing over the data as JSON."""
    data = {
        "FamilyNames": "MUSTERMANN",
        "GivenNames": "ERIKA",
        "DateOfBirth": "1964-08-12",
        "PlaceOfResidence": "HEIDESTRASSE 17, 51147 KÖLN",
        "DocumentType": "ID",
        "IssuingState": "D",
    }
    with serve_json(data) as url:
        yield url


TC_TOKEN = "https://eid.example.org/tcToken?session=1"
RESTRICTED = {
    **ACCESS_RIGHTS,
    "chat": {
        "effective": ["DateOfBirth", "DocumentType", "FamilyName", "GivenNames"],
        "optional": ["Address", "DateOfBirth", "Nationality"],
        "required": ["DocumentType", "FamilyName", "GivenNames"],
    },
}


def test_on_site_reading_with_a_wrong_can_then_the_right_one(service: str) -> None:
    steps = [
        ("recv", {"cmd": "RUN_AUTH", "tcTokenURL": TC_TOKEN}),
        ("send", {"msg": "AUTH"}),
        ("send", ACCESS_RIGHTS),
        ("recv", {"cmd": "SET_ACCESS_RIGHTS", "chat": ["DateOfBirth"]}),
        (
            "send",
            {
                **ACCESS_RIGHTS,
                "chat": {
                    **ACCESS_RIGHTS["chat"],
                    "effective": ["DateOfBirth", "DocumentType", "FamilyName", "GivenNames"],
                },
            },
        ),  # type: ignore[dict-item]
        ("recv", {"cmd": "ACCEPT"}),
        ("send", {"msg": "INSERT_CARD"}),
        ("send", READER),
        ("send", {"msg": "ENTER_CAN", "reader": READER}),
        ("recv", {"cmd": "SET_CAN", "value": "111111"}),
        ("send", {"msg": "ENTER_CAN", "error": "Wrong CAN", "reader": READER}),
        ("recv", {"cmd": "SET_CAN", "value": "123456"}),
        ("send", {"msg": "AUTH", "result": {"major": RESULT_OK}, "url": service}),
    ]
    cans = iter(["111111", "123456"])
    asked: list[dict[str, Any]] = []
    heard: list[str] = []
    with Script(steps) as script, AusweisAppSdk(script.url, timeout=10) as sdk:
        result = sdk.authenticate(
            TC_TOKEN,
            can=lambda message: asked.append(message) or next(cans),
            access_rights=["DateOfBirth"],
            on_status=lambda message: heard.append(message["msg"]),
        )
    assert "error" in asked[1] and "error" not in asked[0]
    assert heard == ["INSERT_CARD", "READER"]
    assert result.access_rights == ("DateOfBirth", "DocumentType", "FamilyName", "GivenNames")
    data = on_site_data(result, lambda url: requests.get(url, timeout=10).json())
    assert (data.family_names, data.given_names, data.birth_date) == (
        "MUSTERMANN",
        "ERIKA",
        "1964-08-12",
    )


def test_cancelled_by_the_clerk_or_the_citizen_and_a_service_that_wants_the_pin() -> None:
    steps = [
        ("recv", {"cmd": "RUN_AUTH"}),
        ("send", {"msg": "AUTH"}),
        ("send", ACCESS_RIGHTS),
        ("recv", {"cmd": "ACCEPT"}),
        ("send", {"msg": "ENTER_CAN", "reader": READER}),
        ("recv", {"cmd": "CANCEL"}),
        ("send", {"msg": "AUTH", "result": CANCELLED, "url": "https://eid.example.org/?error"}),
    ]
    with (
        Script(steps) as script,
        AusweisAppSdk(script.url, timeout=10) as sdk,
        pytest.raises(AuthFailed) as failed,
    ):
        sdk.authenticate(TC_TOKEN, can=lambda _message: None)
    assert failed.value.reason == "cancellationByUser"
    pin = [
        ("recv", {"cmd": "RUN_AUTH"}),
        ("send", {"msg": "AUTH"}),
        ("send", ACCESS_RIGHTS),
        ("recv", {"cmd": "ACCEPT"}),
        ("send", {"msg": "ENTER_PIN", "reader": READER}),
        ("recv", {"cmd": "CANCEL"}),
        ("send", {"msg": "AUTH", "result": CANCELLED}),
    ]
    with (
        Script(pin) as script,
        AusweisAppSdk(script.url, timeout=10) as sdk,
        pytest.raises(PinRequested),
    ):
        sdk.authenticate(TC_TOKEN, can=lambda _message: "123456")


def test_busy_or_absent_ausweisapp_is_said_plainly() -> None:
    with (
        Script([], refuse=429) as script,
        pytest.raises(AusweisAppBusy),
        AusweisAppSdk(script.url, timeout=5),
    ):
        pass
    with (
        pytest.raises(AusweisAppUnavailable),
        AusweisAppSdk(f"ws://127.0.0.1:{free_port()}/eID-Kernel", timeout=5),
    ):
        pass


@pytest.mark.slow
@pytest.mark.skipif(EXECUTABLE is None, reason="AusweisApp2 not installed (scripts/bootstrap.sh)")
def test_the_real_ausweisapp_sees_our_reader_and_fails_auth_without_a_service(
    pcscd: PrivatePcscd, tmp_path: Path
) -> None:
    card = VirtualCard(Chip(Personality(can="482913")))
    card.insert()
    try:
        with AusweisAppProcess(tmp_path) as app, AusweisAppSdk(app.url, timeout=60) as sdk:
            assert "VersionInfo" in sdk.info()
            ours = f"{pcscd.reader_prefix} 00 00"
            deadline = time.monotonic() + 60  # PC/SC readers join the list after its start
            while ours not in (names := [r["name"] for r in sdk.readers()]):
                assert time.monotonic() < deadline, names
                time.sleep(0.2)
            unreachable = f"http://127.0.0.1:{free_port()}/tcToken"
            with pytest.raises(AuthFailed) as failed:
                sdk.authenticate(unreachable, can=lambda _message: "482913")
            assert failed.value.reason, failed.value
    finally:
        card.remove()


def eid_command(script: Script) -> tuple[int, dict[str, Any], str]:
    command = ["card", "eid", "--can", "123456", "--ausweisapp", script.url]
    done = subprocess.run(
        [sys.executable, "-m", "ui.main", *command, "--tc-token-url", TC_TOKEN],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    return done.returncode, json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


def test_the_command_reads_on_site_and_says_a_wrong_can(service: str) -> None:
    reading = [
        ("recv", {"cmd": "RUN_AUTH", "tcTokenURL": TC_TOKEN}),
        ("send", {"msg": "AUTH"}),
        ("send", ACCESS_RIGHTS),
        ("recv", {"cmd": "ACCEPT"}),
        ("send", {"msg": "ENTER_CAN", "reader": READER}),
        ("recv", {"cmd": "SET_CAN", "value": "123456"}),
        ("send", {"msg": "AUTH", "result": {"major": RESULT_OK}, "url": service}),
    ]
    with Script(reading) as script:
        code, result, _err = eid_command(script)
    assert code == 0 and result["family_names"] == "MUSTERMANN", result
    wrong = [
        *reading[:6],
        ("send", {"msg": "ENTER_CAN", "error": "Wrong CAN", "reader": READER}),
        ("recv", {"cmd": "CANCEL"}),
        ("send", {"msg": "AUTH", "result": CANCELLED}),
    ]
    with Script(wrong) as script:
        code, result, err = eid_command(script)
    assert (code, result["reason"]) == (1, "wrong_can") and "Traceback" not in err
