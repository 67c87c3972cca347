"""Start and stop the sandbox as a real server process (tests, `make run`, benchmarks)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import requests

from sandbox.fitconnect.setup import prepare
from sandbox.lifecycle import Service, answers_soon, end_process
from sandbox.pgcluster import free_port, port_free


class SandboxProcess(Service):
    def __init__(self, directory: Path, *, port: int | None = None, token_ttl: int = 300) -> None:
        self.directory = directory
        self.port = port or free_port()
        self.token_ttl = token_ttl
        self.process: subprocess.Popen[bytes] | None = None
        self.description: dict[str, Any] = {}

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> SandboxProcess:
        if not port_free(self.port):  # else another server's answer would pass for ours
            raise RuntimeError(f"port {self.port} is in use")
        self.description = prepare(
            self.directory
        )  # keys are made here, not in the server's start-up
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sandbox.fitconnect",
                "serve",
                "--dir",
                str(self.directory),
                "--port",
                str(self.port),
                "--token-ttl",
                str(self.token_ttl),
            ],
        )
        if answers_soon(self.process, f"{self.base_url}/v1/info") and self.process.poll() is None:
            return self
        self.stop()
        raise RuntimeError("FIT-Connect sandbox did not start")

    def stop(self) -> None:
        end_process(self.process)
        self.process = None

    def faults(self, **faults: Any) -> None:
        requests.post(f"{self.base_url}/sandbox/faults", json=faults, timeout=5).raise_for_status()

    def stalled(self) -> int:
        """How many requests a slow_path fault has held back so far."""
        response = requests.get(f"{self.base_url}/sandbox/stalled", timeout=5)
        response.raise_for_status()
        return int(response.json()["stalled"])
