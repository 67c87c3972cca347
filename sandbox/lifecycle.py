"""What every stand-in shares: `start()` and `stop()`, and `with` for both."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Mapping
from typing import Any, Self

import requests


class Service:
    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *_exception: object) -> None:
        self.stop()


def end_process(process: subprocess.Popen[Any] | None, *, grace_seconds: float = 10) -> None:
    """Ask a server we started to stop (SIGTERM), kill it if it does not within the grace time."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace_seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def answers_soon(
    process: subprocess.Popen[Any],
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    seconds: float = 30,
) -> bool:
    """Whether a server we just started answers `url` with a success within `seconds` (False
    at once if it exits first)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, headers=dict(headers or {}), timeout=1).ok:
                return True
        except (requests.ConnectionError, requests.Timeout):
            # not listening yet, or too busy to answer in a second (a loaded machine)
            time.sleep(0.1)
        if process.poll() is not None:
            return False
    return False
