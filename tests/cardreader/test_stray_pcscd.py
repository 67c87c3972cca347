"""The tests' pcscd is their own: another pcscd on the machine (the system's, or one an
interrupted run left behind), with another reader, neither breaks the card tests nor is
touched by them. Here a stray one runs on the standard socket with Debian's own vpcd reader
("Virtual PCD", port 35963) while ours answers a real `buergerbuero card` process."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from sandbox.pcsc import MACHINE_SOCKET as SYSTEM_SOCKET
from sandbox.pcsc import PrivatePcscd, answers
from sandbox.virtual_card.chip import Chip, Personality
from sandbox.virtual_card.vpcd import VirtualCard

CAN = "654321"


@pytest.fixture(scope="module")
def stray() -> Iterator[None]:
    """A pcscd as the system would run it, unless one runs already (then that one is it)."""
    if answers(SYSTEM_SOCKET):
        yield
        return
    pcscd = shutil.which("pcscd")
    assert pcscd is not None
    process = subprocess.Popen(
        [pcscd, "-f"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={k: v for k, v in os.environ.items() if k != "PCSCLITE_CSOCK_NAME"},
    )
    try:
        deadline = time.monotonic() + 10
        while not answers(SYSTEM_SOCKET):
            assert process.poll() is None and time.monotonic() < deadline, "stray did not start"
            time.sleep(0.05)
        yield
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)


def card_command(pcscd: PrivatePcscd, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui.main", "card", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **pcscd.environment()},
    )


def test_a_stray_pcscd_with_another_reader_does_not_get_in_the_way(
    stray: None, pcscd: PrivatePcscd
) -> None:
    assert answers(SYSTEM_SOCKET) and answers(pcscd.socket)
    card = VirtualCard(Chip(Personality(can=CAN)))
    card.insert()
    try:
        deadline = time.monotonic() + 5
        while True:  # pcscd polls vpcd every ~400 ms: the check waits until it sees the card
            listed = card_command(pcscd, "readers")
            assert listed.returncode == 0, listed.stderr
            if any(entry["card"] for entry in json.loads(listed.stdout)):
                break
            assert time.monotonic() < deadline, listed.stdout
            time.sleep(0.1)
        names = [entry["reader"] for entry in json.loads(listed.stdout)]
        assert names == [f"{pcscd.reader_prefix} 00 00", f"{pcscd.reader_prefix} 00 01"], names
        checked = card_command(pcscd, "check", "--can", CAN)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert json.loads(checked.stdout)["can_confirmed"] is True
    finally:
        card.remove()
    assert answers(SYSTEM_SOCKET)  # the stray is still there: not ours to stop


def test_the_pcscd_of_a_killed_run_is_ended_by_the_next_one() -> None:
    """A test run or demo killed outright (SIGKILL) cannot stop its pcscd; the next start of
    one of ours ends it, so it never keeps a reader or the machine's socket."""
    from sandbox.pcsc import clean_up_after_dead_runs

    owner = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from sandbox.pcsc import PrivatePcscd; "
            "print(PrivatePcscd().start().process.pid, flush=True); time.sleep(600)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert owner.stdout is not None
    with owner.stdout:
        group = int(owner.stdout.readline())
    owner.kill()
    owner.wait()
    os.killpg(group, 0)  # still there: nobody stopped it
    clean_up_after_dead_runs()
    deadline = time.monotonic() + 10
    while True:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            break
        assert time.monotonic() < deadline, "the stray pcscd was not ended"
        time.sleep(0.05)
