"""`buergerbuero card` through the real PC/SC stack: pcscd with the virtual reader driver, the
virtual ID card inserted over vpcd's protocol, the command as a real process. Each fault a
counter sees: a wrong CAN, no card, the card pulled mid-PACE, a mute card, garbage, an unknown
card, the PC/SC service gone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

from sandbox.pcsc import PrivatePcscd
from sandbox.virtual_card.chip import SW_NOT_FOUND, Chip, Personality
from sandbox.virtual_card.vpcd import Faults, VirtualCard

CAN = "482913"


@pytest.fixture
def reader(pcscd: PrivatePcscd) -> str:
    return f"{pcscd.reader_prefix} 00 00"


@pytest.fixture
def card() -> Iterator[VirtualCard]:
    virtual = VirtualCard(Chip(Personality(can=CAN)))
    yield virtual
    virtual.remove()


def card_command(*args: str) -> tuple[int, dict[str, Any] | list[Any]]:
    done = subprocess.run(
        [sys.executable, "-m", "ui.main", "card", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    return done.returncode, json.loads(done.stdout.strip().splitlines()[-1])


def inserted(card: VirtualCard, reader: str) -> None:
    card.insert()
    deadline = time.monotonic() + 5
    while True:  # pcscd polls vpcd every ~400 ms
        _code, states = card_command("readers")
        if any(s["reader"] == reader and s["card"] for s in states):  # type: ignore[index, union-attr]
            return
        assert time.monotonic() < deadline, states
        time.sleep(0.2)


def test_the_readers_and_their_cards(reader: str, card: VirtualCard) -> None:
    code, states = card_command("readers")
    assert code == 0 and {"reader": reader, "card": False, "atr": ""} in states
    inserted(card, reader)
    code, states = card_command("readers")
    (ours,) = [s for s in states if s["reader"] == reader]  # type: ignore[index]
    assert ours["card"] and ours["atr"] == "3B8A80018031F873F741E082900075"


def test_the_chip_confirms_the_right_can(reader: str, card: VirtualCard) -> None:
    inserted(card, reader)
    code, result = card_command("check", "--can", CAN, "--reader", reader)
    assert code == 0, result
    assert result["can_confirmed"] is True and result["card"] == "german-eid"  # type: ignore[call-overload]
    assert result["apdus"] == 6  # type: ignore[call-overload]


def test_a_wrong_can_is_rejected(reader: str, card: VirtualCard) -> None:
    inserted(card, reader)
    code, result = card_command("check", "--can", "111111", "--reader", reader)
    assert code == 1 and result["can_confirmed"] is False  # type: ignore[call-overload]
    code, _result = card_command("check", "--can", CAN, "--reader", reader)
    assert code == 0  # and the right one still works: nothing is locked


def test_no_card_and_a_bad_can_cannot_be_checked(reader: str) -> None:
    code, result = card_command("check", "--can", CAN, "--reader", reader)
    assert code == 2 and "NoCard" in result["error"]  # type: ignore[call-overload]
    code, result = card_command("check", "--can", "12345", "--reader", reader)
    assert code == 2 and "6 digits" in result["error"]  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("faults", "error"),
    [
        (Faults(pull_at=3), "Card"),  # pulled in the middle of PACE
        (Faults(mute_at=3), "CardMute"),  # the watchdog gives up, the lane is free again
        (Faults(garbage_at=3), "CardProtocolError"),
    ],
    ids=["pulled", "mute", "garbage"],
)
def test_a_card_that_fails_mid_pace_cannot_be_checked(
    reader: str, card: VirtualCard, faults: Faults, error: str
) -> None:
    card.faults = faults
    inserted(card, reader)
    started = time.monotonic()
    code, result = card_command("check", "--can", CAN, "--reader", reader)
    assert code == 2 and error in result["error"], result  # type: ignore[call-overload]
    assert time.monotonic() - started < 30


def test_an_unknown_card_is_named(reader: str) -> None:
    class Stranger(Chip):
        def respond(self, apdu: bytes) -> bytes:
            return SW_NOT_FOUND  # no EF.CardAccess: a bank card, a health card

    stranger = VirtualCard(Stranger())
    try:
        inserted(stranger, reader)
        code, result = card_command("check", "--can", CAN, "--reader", reader)
    finally:
        stranger.remove()
    assert code == 2 and "UnknownCard" in result["error"]  # type: ignore[call-overload]


def test_the_pc_sc_service_gone(pcscd: PrivatePcscd, reader: str) -> None:
    if pcscd.process is None:
        pytest.skip("the machine's own pcscd runs: it is not ours to stop")
    pcscd.pause()
    try:
        code, result = card_command("readers")
        assert code == 2 and "NoService" in result["error"]  # type: ignore[call-overload]
    finally:
        pcscd.resume()
    code, _states = card_command("readers")
    assert code == 0
