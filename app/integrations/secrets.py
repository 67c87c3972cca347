"""Secrets through the OS keyring, and nowhere else."""

from __future__ import annotations

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

SERVICE_NAME = "buergerbuero-desk"

# every secret the application reads, and what it is (`buergerbuero secrets list` names them)
SECRET_NAMES: dict[str, str] = {
    "database-password": "PostgreSQL password of database_url's user",
    "fitconnect-client-secret": "FIT-Connect API client secret",
    "fitconnect-key-password": "password of the FIT-Connect key files",
    "fitconnect-pkcs11-pin": "PIN of the FIT-Connect keys on a PKCS#11 token",
    "form-mailbox-password": "password of the forms mailbox (IMAP)",
    "smtp-password": "password of the mail relay (SMTP)",
    "seal-key-password": "password of the seal key (PKCS#12)",
    "seal-pkcs11-pin": "PIN of the seal key on the HSM or token",
    "clerk-key-password": "password of a personal seat's clerk signature (PKCS#12)",
    "pickup-box-code-key": "key of the pickup codes' keyed hash (made at first use)",
    "sms-gateway-token": "token of the SMS gateway (pickup codes by text message)",
    "payment-platform-secret": "password or OAuth2 client secret of the payment platform",
}
PAYMENT_PLATFORM_SECRET = "payment-platform-secret"
BOX_TOKEN_PREFIX = "pickup-box-token-"  # + the office code in lower case; one per box


def known_secret(name: str) -> bool:
    return name in SECRET_NAMES or (
        name.startswith(BOX_TOKEN_PREFIX) and len(name) > len(BOX_TOKEN_PREFIX)
    )


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

    def delete(self, name: str) -> bool:
        """Remove a secret; False when it was not set."""
        try:
            self._backend.delete_password(SERVICE_NAME, name)
        except keyring.errors.PasswordDeleteError:
            return False
        return True
