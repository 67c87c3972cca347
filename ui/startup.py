"""What the window loads before the clerk can work: the schema check, the sign-in, the offices
and the staff, in one task on the database lane."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.users import Office, User
from app.services.staff import sign_in
from app.wiring import Core


@dataclass(frozen=True)
class Startup:
    """What the window needs before the clerk can work, loaded on the database lane."""

    user: User
    offices: list[Office]
    staff: list[User]


def load_startup(core: Core, login: str) -> Startup:
    core.check_schema()
    return Startup(sign_in(users=core.users, login=login), core.users.offices(), core.users.users())
