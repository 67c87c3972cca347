"""The keyring's entry names and the one secret store of a process, made on first use."""

from __future__ import annotations

import base64
import os
from collections.abc import Callable

from app.integrations.secrets import KeyringSecretStore, NoSecureKeyring
from app.ports import SecretStore

DATABASE_PASSWORD_SECRET = "database-password"


CLIENT_SECRET = "fitconnect-client-secret"


KEY_PASSWORD = "fitconnect-key-password"


PKCS11_PIN = "fitconnect-pkcs11-pin"


MAILBOX_PASSWORD = "form-mailbox-password"


SMTP_PASSWORD = "smtp-password"


SMS_TOKEN = "sms-gateway-token"


BOX_CODE_KEY = "pickup-box-code-key"


class Secrets:
    """The one secret store of a process, made on first use: a seat that needs no secret
    starts without a keyring, and every part that needs one gets the same store."""

    def __init__(self, make: Callable[[], SecretStore] = KeyringSecretStore) -> None:
        self._make = make
        self._store: SecretStore | None = None

    def __call__(self) -> SecretStore:
        if self._store is None:
            self._store = self._make()
        return self._store

    def get(self, name: str) -> str | None:
        return self().get(name)

    def optional(self, name: str) -> str | None:
        """A secret that may be missing: None also when there is no secure keyring at all."""
        try:
            return self.get(name)
        except NoSecureKeyring:
            return None


def box_code_key(secrets: Secrets) -> bytes:
    """The codes' hash key from the keyring, made there at first use."""
    stored = secrets.get(BOX_CODE_KEY)
    if not stored:
        stored = base64.b64encode(os.urandom(32)).decode()
        secrets().set(BOX_CODE_KEY, stored)
    return base64.b64decode(stored)
