"""First start of a sandbox directory: a destination for the city's services, a subscriber client
(our app) and a sender client (the portal). What the app needs is written to subscriber.json."""

from __future__ import annotations

import json
import secrets
import uuid
from pathlib import Path
from typing import Any

from app.domain.catalogue import default_catalogue
from app.integrations.fitconnect import LEIKA_PREFIX, schema_uri
from sandbox.fitconnect.keys import KeyRing
from sandbox.fitconnect.state import State

__all__ = ["LEIKA_PREFIX", "prepare", "schema_uri"]


def prepare(directory: Path) -> dict[str, Any]:
    """Create (once) and describe the sandbox's destination and clients."""
    directory.mkdir(parents=True, exist_ok=True)
    described = directory / "subscriber.json"
    if described.exists():
        return dict(json.loads(described.read_text("utf-8")))
    keys = KeyRing(directory / "keys")
    state = State(directory / "state")
    destination_id = str(uuid.uuid4())
    services = {
        LEIKA_PREFIX + service.leika: schema_uri(service.id)
        for service in default_catalogue().services
    }
    state.data["destinations"][destination_id] = {"services": services}
    subscriber = {"client_id": str(uuid.uuid4()), "secret": secrets.token_urlsafe(24)}
    sender = {"client_id": str(uuid.uuid4()), "secret": secrets.token_urlsafe(24)}
    state.data["clients"][subscriber["client_id"]] = {
        "secret": subscriber["secret"],
        "role": "subscriber",
    }
    state.data["clients"][sender["client_id"]] = {"secret": sender["secret"], "role": "sender"}
    state.save_config()
    files = keys.subscriber_files()
    for key in (keys.destination_encryption, keys.destination_signing, keys.service_signing):
        keys.certificate(key)  # made once here, not on a request
    description = {
        "destination_id": destination_id,
        "subscriber_client_id": subscriber["client_id"],
        "subscriber_client_secret": subscriber["secret"],
        "sender_client_id": sender["client_id"],
        "sender_client_secret": sender["secret"],
        "decryption_key_file": str(files["decryption"]),
        "signing_key_file": str(files["signing"]),
        "signing_kid": keys.destination_signing.get("kid"),
    }
    described.write_text(json.dumps(description, indent=2), "utf-8")
    described.chmod(0o600)
    return description
