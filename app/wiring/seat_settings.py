"""What this seat runs with, noted at its start: its administrative settings (no secrets:
those are in the keyring; no one's own preferences: language, page size) and its trust list's
digest. A change since its last start becomes an audit record with the old and new values."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from sqlalchemy.engine import make_url

from app.integrations.settings import Settings
from app.store.seat_settings import SqlSeatSettings
from app.wiring.core import Core
from app.wiring.outage import seat_name

PREFERENCES = frozenset({"language", "page_size", "login", "data_dir", "profile"})


def administrative_settings(settings: Settings) -> dict[str, str]:
    values = {
        field.name: str(getattr(settings, field.name))
        for field in dataclasses.fields(settings)
        if field.name not in PREFERENCES
    }
    if settings.database_url:  # a password written into the URL never reaches the chain
        url = make_url(settings.database_url)
        values["database_url"] = url.render_as_string(hide_password=True)
    return values


def trust_list_digest(settings: Settings) -> str:
    path = Path(settings.seal_trust_list_file) if settings.seal_trust_list_file else None
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path else ""
    except OSError:
        return "missing"


def note_settings(core: Core, *, actor: str) -> list[str]:
    """On the database lane, once per start."""
    return SqlSeatSettings(core.database).note(
        seat_name(core.settings),
        administrative_settings(core.settings),
        trust_list_digest(core.settings),
        actor=actor,
        at=core.clock.now(),
    )
