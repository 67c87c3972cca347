"""The sandbox's state: one JSON document on disk, rewritten atomically on every change, so the
service survives restarts (and a killed process) with everything it had accepted."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any


class State:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.RLock()
        self.data: dict[str, Any] = {
            "clients": {},
            "destinations": {},
            "submissions": {},
            "events": {},
        }
        if path.exists():
            self.data = json.loads(path.read_text("utf-8"))

    def save(self) -> None:
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.data), "utf-8")
        os.replace(temporary, self.path)
