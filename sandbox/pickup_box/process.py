"""Start and stop the emulated boxes as a real server process, and act at them as a citizen or
the box's hardware would (tests, `make run`, benchmarks, `buergerbuero sandbox box ...`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import requests

from sandbox.lifecycle import Service, answers_soon, end_process
from sandbox.pgcluster import free_port


class BoxRefusedAtKeypad(Exception):
    pass


class Physical:
    """The box's physical side at `base_url` (http://host:port/<office>)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def _post(self, path: str, body: dict[str, Any]) -> requests.Response:
        return requests.post(f"{self.base_url}/sandbox/{path}", json=body, timeout=30)

    def collect(self, code: str, birth_date: str) -> str:
        response = self._post("keypad", {"code": code, "second_factor": birth_date})
        if response.status_code == 403:
            raise BoxRefusedAtKeypad(response.json()["title"])
        response.raise_for_status()
        return str(response.json()["opened"])

    def close(self, compartment: str, *, occupied: bool | None = None) -> None:
        self._post(f"compartments/{compartment}/close", {"occupied": occupied}).raise_for_status()

    def fault(self, kind: str, compartment: str | None = None) -> None:
        self._post("fault", {"kind": kind, "compartment": compartment}).raise_for_status()

    def offline(self, offline: bool) -> None:
        self._post("offline", {"offline": offline}).raise_for_status()

    def phantom(self, compartment: str, reference: str) -> None:
        self._post(
            "phantom", {"compartment": compartment, "reference": reference}
        ).raise_for_status()

    def many_events(self, count: int) -> None:
        self._post("events", {"count": count}).raise_for_status()


class BoxProcess(Service):
    def __init__(
        self,
        directory: Path,
        *,
        boxes: dict[str, int] | None = None,
        token: str = "sandbox-box-token",
        port: int | None = None,
    ) -> None:
        self.directory, self.token = directory, token
        self.boxes = boxes or {"SI": 45}
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, office: str) -> str:
        return f"http://127.0.0.1:{self.port}/{office}"

    def physical(self, office: str) -> Physical:
        return Physical(self.url(office))

    def start(self) -> BoxProcess:
        office = next(iter(self.boxes))
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sandbox.pickup_box",
                "--dir",
                str(self.directory),
                "--port",
                str(self.port),
                "--boxes",
                ",".join(f"{name}={count}" for name, count in self.boxes.items()),
                # "=": a token may begin with "-" (token_urlsafe), which argparse would take for
                # an option of its own
                f"--token={self.token}",
            ]
        )
        headers = {"Authorization": f"Bearer {self.token}"}
        if answers_soon(self.process, f"{self.url(office)}/v1/info", headers=headers):
            return self
        self.stop()
        raise RuntimeError("pickup box sandbox did not start")

    def stop(self) -> None:
        end_process(self.process)
        self.process = None
