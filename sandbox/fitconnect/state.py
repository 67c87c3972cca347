"""The sandbox's state on disk, so the service survives restarts and a killed process: one small
file per submission and per case's event log (rewritten atomically when it changes), and one
for clients and destinations. Everything is also kept in memory for reading."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def _write(path: Path, value: Any) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(value), "utf-8")
    os.replace(temporary, path)


class State:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        for folder in ("submissions", "events"):
            (directory / folder).mkdir(parents=True, exist_ok=True)
        config = directory / "config.json"
        self.data: dict[str, Any] = {
            "clients": {},
            "destinations": {},
            "submissions": {},
            "events": {},
        }
        if config.exists():
            self.data.update(json.loads(config.read_text("utf-8")))
        for path in (directory / "submissions").glob("*.json"):
            self.data["submissions"][path.stem] = json.loads(path.read_text("utf-8"))
        for path in (directory / "events").glob("*.json"):
            self.data["events"][path.stem] = json.loads(path.read_text("utf-8"))

    def save_config(self) -> None:
        _write(
            self.directory / "config.json",
            {"clients": self.data["clients"], "destinations": self.data["destinations"]},
        )

    def save_submission(self, submission: dict[str, Any]) -> None:
        _write(self.directory / "submissions" / f"{submission['submissionId']}.json", submission)

    def append_event(self, case_id: str, token: str) -> None:
        log = self.data["events"].setdefault(case_id, [])
        log.append(token)
        _write(self.directory / "events" / f"{case_id}.json", log)
