"""Who is at the keyboard, and the admin's management of users and offices."""

from __future__ import annotations

from app.domain.audit import AuditEntry
from app.domain.errors import DomainError
from app.domain.users import Office, Role, User
from app.ports import AuditLog, Clock, UserDirectory


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
    audit: AuditLog,
    clock: Clock,
    actor: User,
    login: str,
    display_name: str,
    role: Role,
    office_id: int,
    active: bool = True,
) -> User:
    actor.require(Role.ADMIN, "manage users")
    user = users.save_user(
        login=login, display_name=display_name, role=role, office_id=office_id, active=active
    )
    audit.append(
        AuditEntry(
            actor.login, "user.saved", login, f"role={role.value} active={active}", clock.now()
        )
    )
    return user


def save_office(
    *, users: UserDirectory, audit: AuditLog, clock: Clock, actor: User, code: str, name: str
) -> Office:
    actor.require(Role.ADMIN, "manage offices")
    office = users.save_office(code, name)
    audit.append(AuditEntry(actor.login, "office.saved", code, name, clock.now()))
    return office
