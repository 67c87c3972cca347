"""The keyring of a demo seat: hands out the sandbox's own subscriber secret, the demo seal
key's password, the demo forms mailbox's password, the demo boxes' token and code key and the
demo SMS gateway's token and the demo payment platform's secret, nothing else.

`buergerbuero sandbox demo` selects it with PYTHON_KEYRING_BACKEND for the GUI it starts; a real
seat uses the OS keyring. It stores nothing and refuses to."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordSetError

from app.integrations.settings import SANDBOX_DIR_VARIABLE

MAILBOX_PASSWORD_FILE = "forms-mailbox-password.txt"  # the demo mailbox's, new each start


class SandboxDemoKeyring(KeyringBackend):
    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        directory = Path(os.environ[SANDBOX_DIR_VARIABLE])
        if username == "seal-key-password":
            return (directory / "seal" / "seal-passphrase.txt").read_text("utf-8").strip()
        demo_box_secret = username.startswith("pickup-box-") or username == "sms-gateway-token"
        if demo_box_secret and (directory / "box" / username).exists():
            return (directory / "box" / username).read_text("utf-8").strip()
        if username == "payment-platform-secret":
            path = directory / "payments" / "payment-platform-secret"
            return path.read_text("utf-8").strip() if path.exists() else None
        if username == "form-mailbox-password":
            path = directory / MAILBOX_PASSWORD_FILE
            return path.read_text("utf-8").strip() if path.exists() else None
        if username != "fitconnect-client-secret":
            return None
        description = directory / "subscriber.json"
        return str(json.loads(description.read_text("utf-8"))["subscriber_client_secret"])

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError("the demo keyring stores nothing")

    def delete_password(self, service: str, username: str) -> None:
        raise PasswordSetError("the demo keyring stores nothing")
