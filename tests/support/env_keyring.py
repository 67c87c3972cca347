"""A keyring backend for test subprocesses: secrets from BB_TEST_SECRET_<NAME> variables.

Selected with PYTHON_KEYRING_BACKEND=tests.support.env_keyring.EnvKeyring, keyring's own
mechanism; never used by the application itself."""

from __future__ import annotations

import os

from keyring.backend import KeyringBackend


def variable(name: str) -> str:
    return "BB_TEST_SECRET_" + name.upper().replace("-", "_")


class EnvKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return os.environ.get(variable(username))

    def set_password(self, service: str, username: str, password: str) -> None:
        os.environ[variable(username)] = password

    def delete_password(self, service: str, username: str) -> None:
        os.environ.pop(variable(username), None)
