"""`buergerbuero secrets list | set NAME | delete NAME`: the machine's secrets in the OS keyring
(the Windows credential store on clerk PCs). A value is read from standard input (or typed
unseen), never from the command line, which other users' process lists show; `list` says which
are set, never their values."""

from __future__ import annotations

import getpass
import json
import sys

from app.domain.users import DEFAULT_OFFICES
from app.integrations.secrets import (
    BOX_TOKEN_PREFIX,
    SECRET_NAMES,
    KeyringSecretStore,
    known_secret,
)
from app.integrations.settings import load_settings, setting_pairs


def listed_secrets() -> dict[str, str]:
    """Every secret by name and what it is: the fixed ones, then one token per pickup box,
    for the four offices and any other the pickup_boxes setting names."""
    offices = [code for code, _name in DEFAULT_OFFICES]
    offices += [code for code in setting_pairs(load_settings().pickup_boxes) if code not in offices]
    return SECRET_NAMES | {
        f"{BOX_TOKEN_PREFIX}{code.lower()}": f"token of office {code}'s pickup box"
        for code in offices
    }


def secrets_command(action: str, name: str | None) -> int:
    store = KeyringSecretStore()
    if action == "list":
        print(
            json.dumps(
                [
                    {"name": known, "set": store.get(known) is not None, "what": what}
                    for known, what in listed_secrets().items()
                ],
                ensure_ascii=False,
            )
        )
        return 0
    if name is None or not known_secret(name):
        known = ", ".join([*SECRET_NAMES, f"{BOX_TOKEN_PREFIX}<office>"])
        print(f"buergerbuero secrets: unknown secret {name!r} (known: {known})", file=sys.stderr)
        return 2
    if action == "delete":
        removed = store.delete(name)
        print(f"{name}: {'removed' if removed else 'was not set'}")
        return 0
    value = (
        getpass.getpass(f"{name}: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    )
    if not value:
        print("buergerbuero secrets: an empty value is not stored", file=sys.stderr)
        return 2
    store.set(name, value)
    print(f"{name}: stored in the keyring")
    return 0
