"""What the window loads before the clerk can work: the schema check, the sign-in, the offices
and the staff, in one task on the database lane."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.domain.users import Office, User
from app.services.staff import sign_in
from app.wiring import Core, note_settings
from ui.window_state import read_state


@dataclass(frozen=True)
class Startup:
    """What the window needs before the clerk can work, loaded on the database lane."""

    user: User
    offices: list[Office]
    staff: list[User]
    window_state: dict[str, bytes] = field(default_factory=dict)


def load_startup(core: Core, login: str, state_file: Path | None = None) -> Startup:
    core.check_schema()
    user = sign_in(users=core.users, login=login)
    note_settings(core, actor=user.login)  # a changed setting or trust list is audited
    return Startup(
        user,
        core.users.offices(),
        core.users.users(),
        read_state(state_file),
    )
