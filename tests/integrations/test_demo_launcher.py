"""`buergerbuero sandbox demo` as `make run` starts it: a SIGTERM to the launcher ends the seat
and stops every server the launcher started (no orphaned sandbox, Dovecot or CUPS)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from sandbox.lifecycle import end_process


def descendants(pid: int) -> dict[int, str]:
    """Every living process below `pid`, with its command line."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found: dict[int, str] = {}
    pending = list(children.get(pid, []))
    while pending:
        child = pending.pop()
        try:
            command = (Path("/proc") / str(child) / "cmdline").read_bytes()
        except OSError:
            continue
        found[child] = command.replace(b"\0", b" ").decode(errors="replace")
        pending.extend(children.get(child, []))
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_sigterm_to_the_demo_launcher_stops_everything_it_started(tmp_path: Path) -> None:
    """Its session bus too: a seat started with none (an X session without a desktop) gets
    the demo's own, so nothing autolaunches a dbus-daemon that outlives the window."""
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"},
        "BUERGERBUERO_DATA_DIR": str(tmp_path / "data"),
        "BUERGERBUERO_SETTINGS_FILE": str(tmp_path / "none.toml"),
    }
    marker = tmp_path / "seat-started"
    program = (
        "import os, pathlib, time, json; "
        f"pathlib.Path('{marker}.tmp').write_text(json.dumps(["
        "os.environ['BUERGERBUERO_SMS_GATEWAY_URL'], "
        "os.environ.get('DBUS_SESSION_BUS_ADDRESS', ''), "
        "os.environ.get('BUERGERBUERO_VERIFIER_URL', '')])); "
        f"os.replace('{marker}.tmp', '{marker}'); "
        "time.sleep(600)"
    )
    seat = f'{sys.executable} -c "{program}"'
    launcher = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ui.main",
            "sandbox",
            "demo",
            "--dir",
            str(tmp_path / "sb"),
            "--gui-command",
            seat,
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(1200):  # the seat starts once the sandbox, mailbox and printer are up
            if marker.exists() or launcher.poll() is not None:
                break
            with contextlib.suppress(subprocess.TimeoutExpired):
                launcher.wait(timeout=0.1)
        assert marker.exists(), launcher.stderr.read() if launcher.stderr else ""
        sms_gateway, bus, verifier = json.loads(marker.read_text())
        # the seat is pointed at the demo's SMS gateway
        assert requests.post(f"{sms_gateway}/v1/messages", timeout=10).status_code == 401
        # ... and its originals at the public verifier page the demo serves
        page = requests.get(verifier, timeout=10)
        assert page.status_code == 200 and "Dokument prüfen" in page.text
        assert requests.get(f"{verifier}trust.json", timeout=10).json()["signers"]
        started = descendants(launcher.pid)
        assert any("uvicorn" in c or "sandbox" in c for c in started.values()), started
        assert bus and any("dbus-daemon" in c for c in started.values()), (bus, started)
        launcher.send_signal(signal.SIGTERM)
        assert launcher.wait(timeout=60) is not None
        left = {pid: command for pid, command in started.items() if alive(pid)}
        for pid in left:  # keep a failing run from leaving them on the machine
            os.kill(pid, signal.SIGKILL)
        assert left == {}
    finally:
        end_process(launcher, grace_seconds=60)  # a failed assertion: it stops what it started
        if launcher.stderr:
            launcher.stderr.close()


def test_removing_the_card_never_kills_a_stranger_named_in_the_pid_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pid file lies in the shared temp folder and can outlive its card: a process that
    is not our virtual card is left alone. (A pid file of the test's own: a demo may run.)"""
    import subprocess

    from sandbox import cli as sandbox_cli

    monkeypatch.setattr(sandbox_cli, "CARD_PID_FILE", tmp_path / "card.pid")
    stranger = subprocess.Popen(["sleep", "30"])
    try:
        sandbox_cli.CARD_PID_FILE.write_text(str(stranger.pid))
        sandbox_cli._remove_card()
        assert stranger.poll() is None  # still running
        assert not sandbox_cli.CARD_PID_FILE.exists()
    finally:
        stranger.kill()
        stranger.wait()
