"""Secrets through the OS keyring, and nowhere else."""

from __future__ import annotations

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

SERVICE_NAME = "buergerbuero-desk"


class NoSecureKeyring(Exception):
    """No secure keyring backend is available on this machine."""


def _is_insecure(backend: KeyringBackend) -> bool:
    # The fail backend raises on use; the null and plaintext ones would silently lose or leak.
    module = type(backend).__module__
    return backend.priority <= 0 or "keyrings.alt" in module or module.endswith(".fail")


class KeyringSecretStore:
    """The SecretStore port on `keyring`; refuses to run on a backend that is not secure."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend or keyring.get_keyring()
        if _is_insecure(self._backend):
            raise NoSecureKeyring(
                f"no secure keyring backend ({type(self._backend).__name__}); "
                "secrets cannot be stored on this machine"
            )

    def get(self, name: str) -> str | None:
        return self._backend.get_password(SERVICE_NAME, name)

    def set(self, name: str, value: str) -> None:
        self._backend.set_password(SERVICE_NAME, name, value)
