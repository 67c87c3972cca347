"""Debian's AusweisApp2, headless in SDK mode (TR-03124 JSON over WebSocket), as a real peer in
tests: of the virtual card (it speaks PACE and secure messaging to real ID cards) and of our SDK
client. Started with a home and runtime folder of its own on a free loopback port, stopped with
the `with` block."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

from sandbox.lifecycle import Service, end_process
from sandbox.pgcluster import free_port

EXECUTABLE = shutil.which("AusweisApp2") or shutil.which("AusweisApp")


class AusweisAppProcess(Service):
    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/eID-Kernel"

    def start(self) -> AusweisAppProcess:
        if EXECUTABLE is None:
            raise RuntimeError("AusweisApp2 is not installed (scripts/bootstrap.sh)")
        (self.folder / "home").mkdir(parents=True, exist_ok=True)
        (self.folder / "run").mkdir(mode=0o700, exist_ok=True)
        self.process = subprocess.Popen(
            [
                EXECUTABLE,
                *("--ui", "websocket", "--no-logfile", "--address", "127.0.0.1"),
                *("--port", str(self.port)),
            ],
            env={
                **os.environ,
                "HOME": str(self.folder / "home"),
                "XDG_RUNTIME_DIR": str(self.folder / "run"),
                "QT_QPA_PLATFORM": "offscreen",
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("AusweisApp2 did not listen")

    def stop(self) -> None:
        end_process(self.process, grace_seconds=30)
        self.process = None
