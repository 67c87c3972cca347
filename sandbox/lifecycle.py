"""What every stand-in shares: `start()` and `stop()`, and `with` for both."""

from __future__ import annotations

import subprocess
from typing import Any, Self


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
