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
from collections.abc import Callable, Iterator
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


def holds_card(reader: str) -> bool:
    _code, states = card_command("readers")
    return any(s["reader"] == reader and s["card"] for s in states)  # type: ignore[index, union-attr]


def inserted(card: VirtualCard, reader: str) -> None:
    """The card in the reader as pcscd sees it. pcscd polls vpcd every ~400 ms: a card taken
    out just before is first seen gone, or the new one would look present and then vanish."""
    deadline = time.monotonic() + 5
    while holds_card(reader):
        assert time.monotonic() < deadline, "the previous card is still seen"
        time.sleep(0.1)
    card.insert()
    while not holds_card(reader):
        assert time.monotonic() < deadline, "the card is not seen"
        time.sleep(0.1)


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
    assert code == 1 and result["can_confirmed"] is False, result  # type: ignore[call-overload]
    code, _result = card_command("check", "--can", CAN, "--reader", reader)
    assert code == 0  # and the right one still works: nothing is locked


def test_no_card_and_a_bad_can_cannot_be_checked(reader: str) -> None:
    deadline = time.monotonic() + 5
    while holds_card(reader):  # the previous test's card, until pcscd sees it gone
        assert time.monotonic() < deadline
        time.sleep(0.1)
    code, result = card_command("check", "--can", CAN, "--reader", reader)
    assert code == 2 and "NoCard" in result["error"]  # type: ignore[call-overload]
    code, result = card_command("check", "--can", "12345", "--reader", reader)
    assert code == 2 and "6 digits" in result["error"]  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("faults", "error"),
    [
        (Faults(pull_at=3), "CardRemoved"),  # pulled in the middle of PACE: said so
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


def test_a_mute_card_never_hangs_the_next_check(reader: str, card: VirtualCard) -> None:
    """While pcscd still waits on the mute card, the next check's connect is bounded too (it
    used to hang in SCardConnect until killed); taken out and put back, the card works."""
    card.faults = Faults(mute_at=3)
    inserted(card, reader)
    first, _ = card_command("check", "--can", CAN, "--reader", reader)
    started = time.monotonic()
    code, result = card_command("check", "--can", CAN, "--reader", reader)
    assert first == 2 and code == 2 and "CardMute" in result["error"], result  # type: ignore[call-overload]
    assert time.monotonic() - started < 30  # a hang would be killed by card_command's timeout
    card.remove()
    card.faults = Faults()
    inserted(card, reader)
    code, result = card_command("check", "--can", CAN, "--reader", reader)
    assert code == 0, result


def test_a_slow_card_ends_within_the_checks_budget(reader: str, card: VirtualCard) -> None:
    """Each answer in time for the watchdog, all of them too slow for a check: the budget
    ends it (a card answering each APDU in 4.5 s took 14.1 s to fail)."""
    card.faults = Faults(delay_seconds=2.5)
    inserted(card, reader)
    code, result = card_command("check", "--can", CAN, "--reader", reader)
    assert code == 2 and "longer than" in result["error"], result  # type: ignore[call-overload]


def on_step(step: str, mutate: Callable[[bytes], bytes]) -> Callable[[bytes, bytes], bytes]:
    """Change the answer to one PACE step, known by its command (GENERAL AUTHENTICATE's
    object: none for the nonce, 81 the mapping, 83 the key agreement, 85 the token)."""
    tags = {"nonce": 0x7C00, "mapping": 0x81, "key_agreement": 0x83, "mutual": 0x85}

    def change(command: bytes, answer: bytes) -> bytes:
        if command[1] != 0x86:
            return answer
        data = command[5 : 5 + command[4]]
        which = 0x7C00 if data == b"\x7c\x00" else data[2] if len(data) > 2 else None
        return mutate(answer) if which == tags[step] else answer

    return change


@pytest.mark.parametrize(
    "name",
    [
        "nonce of 3 bytes",
        "outer length too long",
        "point prefix 05",
        "point off the curve",
        "key agreement of 1 byte",
        "token of 4 bytes",
        "token object missing",
    ],
)
def test_a_malformed_pace_answer_is_cannot_check_not_a_wrong_can(
    reader: str, card: VirtualCard, name: str
) -> None:
    from tests.cardreader.test_pace_fuzz import NAMED

    step, mutate = NAMED[name]
    card.faults = Faults(mutate=on_step(step, mutate))
    inserted(card, reader)
    code, result = card_command("check", "--can", CAN, "--reader", reader)
    assert code == 2 and "CardProtocolError" in result["error"], result  # type: ignore[call-overload]
    assert "Traceback" not in json.dumps(result)


@pytest.mark.parametrize("warning", [False, True], ids=["9000-as-a-real-npa", "6282-variant"])
def test_a_short_read_of_ef_card_access_either_way(reader: str, warning: bool) -> None:
    virtual = VirtualCard(Chip(Personality(can=CAN, short_read_warning=warning)))
    try:
        inserted(virtual, reader)
        code, result = card_command("check", "--can", CAN, "--reader", reader)
    finally:
        virtual.remove()
    assert code == 0 and result["can_confirmed"] is True, result  # type: ignore[call-overload]


def test_an_id_card_and_a_residence_permit_look_alike_without_terminal_authentication(
    reader: str,
) -> None:
    """Both are the same eID application: EF.CardAccess, PACE and the ATR are alike; which
    document it is only its data groups say, behind terminal authentication. The check says
    so rather than guess."""
    verdicts = []
    for kind in ("npa", "eat"):
        virtual = VirtualCard(Chip(Personality(kind=kind, can=CAN)))
        try:
            inserted(virtual, reader)
            code, result = card_command("check", "--can", CAN, "--reader", reader)
        finally:
            virtual.remove()
        assert code == 0, result
        verdicts.append({k: result[k] for k in ("card", "could_be", "can_confirmed")})  # type: ignore[call-overload]
    assert verdicts[0] == verdicts[1]
    assert verdicts[0]["could_be"] == ["german-id-card", "german-residence-permit", "eu-eid-card"]
