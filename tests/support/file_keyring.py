"""A keyring backend for test subprocesses that must see each other's secrets: a JSON file
named by BB_TEST_KEYRING_FILE. Selected with
PYTHON_KEYRING_BACKEND=tests.support.file_keyring.FileKeyring; never used by the application."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


def _path() -> Path:
    return Path(os.environ["BB_TEST_KEYRING_FILE"])


def _load() -> dict[str, str]:
    path = _path()
    return dict(json.loads(path.read_text())) if path.exists() else {}


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return _load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        stored = _load()
        stored[f"{service}/{username}"] = password
        _path().write_text(json.dumps(stored))

    def delete_password(self, service: str, username: str) -> None:
        stored = _load()
        if stored.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError(username)
        _path().write_text(json.dumps(stored))
