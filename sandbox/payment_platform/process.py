"""Start and stop the sandbox payment platform as a real server process, and act on it as the
citizen on the pay page or a fault would (tests, `make run`, the benchmark)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests

from sandbox.lifecycle import Service, end_process
from sandbox.pgcluster import free_port
from sandbox.tls import TlsFiles, make_tls_files


class PlatformProcess(Service):
    def __init__(
        self,
        directory: Path,
        *,
        auth: str = "basic",
        client_id: str = "buergerbuero",
        client_secret: str = "sandbox-payment-secret",
        originator: str = "stadt-siegen",
        endpoint: str = "buergerbuero",
        port: int | None = None,
    ) -> None:
        self.directory, self.auth = directory, auth
        self.client_id, self.client_secret = client_id, client_secret
        self.originator, self.endpoint = originator, endpoint
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.tls: TlsFiles | None = None
        self.http = requests.Session()

    @property
    def base_url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def start(self) -> PlatformProcess:
        if self.auth == "certificate":
            self.tls = make_tls_files(self.directory / "tls")
            self.http.cert = str(self.tls.client)
            self.http.verify = str(self.tls.ca)
            self.http.trust_env = False  # REQUESTS_CA_BUNDLE would win over `verify`
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sandbox.payment_platform",
                "--dir",
                str(self.directory),
                "--port",
                str(self.port),
                "--auth",
                self.auth,
                "--client-id",
                self.client_id,
                # "=": a secret may begin with "-" (token_urlsafe), which argparse would take
                # for an option of its own
                f"--client-secret={self.client_secret}",
                "--originator",
                self.originator,
                "--endpoint",
                self.endpoint,
            ]
        )
        if self._answers_soon():
            return self
        self.stop()
        raise RuntimeError("payment platform sandbox did not start")

    def _answers_soon(self, seconds: float = 30) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if self.http.get(f"{self.base_url}/sandbox/payments", timeout=1).ok:
                    return True
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.1)
            if self.process is None or self.process.poll() is not None:
                return False
        return False

    def stop(self) -> None:
        end_process(self.process)
        self.process = None
        self.http.close()

    # --- acting on it ---------------------------------------------------------------------

    def _post(self, path: str, body: dict[str, Any]) -> None:
        self.http.post(f"{self.base_url}/sandbox/{path}", json=body, timeout=30).raise_for_status()

    def settle(self, transaction_id: str, status: str, method: str = "PAYPAL") -> None:
        self._post(f"settle/{transaction_id}", {"status": status, "method": method})

    def fault(self, kind: str = "", *, seconds: float = 5, lose_answers: int = 0) -> None:
        self._post("fault", {"kind": kind, "seconds": seconds, "lose_answers": lose_answers})

    def say_booked_as(self, word: str) -> None:
        self._post("dialect", {"booked_as": word})

    def payments(self) -> list[dict[str, Any]]:
        response = self.http.get(f"{self.base_url}/sandbox/payments", timeout=30)
        response.raise_for_status()
        return list(response.json()["payments"])
