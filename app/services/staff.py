"""Who is at the keyboard, and the admin's management of users and offices (each change
audited by the directory, in its own transaction, with the old and new value)."""

from __future__ import annotations

from app.domain.errors import DomainError
from app.domain.users import Office, Role, User
from app.ports import Clock, UserDirectory


def sign_in(*, users: UserDirectory, login: str) -> User:
    """Map the OS login to a user; unknown or deactivated logins are refused."""
    user = users.by_login(login)
    if user is None:
        raise DomainError("user.unknown_login", login=login)
    if not user.active:
        raise DomainError("user.inactive", login=login)
    return user


def save_user(
    *,
    users: UserDirectory,
    clock: Clock,
    actor: User,
    login: str,
    display_name: str,
    role: Role,
    office_id: int,
    active: bool = True,
) -> User:
    actor.require(Role.ADMIN, "manage users")
    return users.save_user(
        login=login,
        display_name=display_name,
        role=role,
        office_id=office_id,
        active=active,
        actor=actor.login,
        at=clock.now(),
    )


def save_office(*, users: UserDirectory, clock: Clock, actor: User, code: str, name: str) -> Office:
    actor.require(Role.ADMIN, "manage offices")
    return users.save_office(code, name, actor=actor.login, at=clock.now())
