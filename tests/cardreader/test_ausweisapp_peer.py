"""A real peer for the virtual card: Debian's AusweisApp2, headless in SDK mode (TR-03124 JSON
over WebSocket), sees the virtual reader and card and changes the PIN (RUN_CHANGE_PIN): PACE
with the PIN, secure messaging, RESET RETRY COUNTER, the way AusweisApp speaks to real ID
cards. So our own terminal's tests against this card mean something."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from sandbox.ausweisapp import EXECUTABLE, AusweisAppProcess
from sandbox.pcsc import PrivatePcscd
from sandbox.virtual_card.chip import Chip, Personality
from sandbox.virtual_card.vpcd import VirtualCard


async def change_pin(port: int, old: str, new: str) -> list[dict[str, Any]]:
    import websockets

    for _ in range(100):
        try:
            socket = await websockets.connect(f"ws://127.0.0.1:{port}/eID-Kernel")
            break
        except OSError:
            await asyncio.sleep(0.1)
    else:
        raise AssertionError("AusweisApp2 did not listen")
    seen: list[dict[str, Any]] = []
    async with socket:
        await socket.send(json.dumps({"cmd": "RUN_CHANGE_PIN"}))
        while True:
            message = json.loads(await asyncio.wait_for(socket.recv(), 60))
            seen.append(message)
            if message.get("msg") == "ENTER_PIN":
                await socket.send(json.dumps({"cmd": "SET_PIN", "value": old}))
            elif message.get("msg") == "ENTER_NEW_PIN":
                await socket.send(json.dumps({"cmd": "SET_NEW_PIN", "value": new}))
            elif message.get("msg") == "CHANGE_PIN" and "success" in message:
                return seen


@pytest.mark.slow
@pytest.mark.skipif(EXECUTABLE is None, reason="AusweisApp2 not installed (scripts/bootstrap.sh)")
def test_ausweisapp2_changes_the_pin_of_the_virtual_card(
    pcscd: PrivatePcscd, tmp_path: Path
) -> None:
    chip = Chip(Personality(pin="123456", can="482913"))
    card = VirtualCard(chip)
    card.insert()
    try:
        with AusweisAppProcess(tmp_path) as app:
            seen = asyncio.run(change_pin(app.port, "123456", "654321"))
    finally:
        card.remove()
    assert seen[-1] == {"msg": "CHANGE_PIN", "success": True}
    readers = [m for m in seen if m.get("msg") == "READER" and m.get("card")]
    assert any(m["name"] == f"{pcscd.reader_prefix} 00 00" for m in readers)
    assert chip.personality.pin == "654321" and chip.personality.pin_tries == 3
