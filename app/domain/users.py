"""Users, roles and offices."""

from dataclasses import dataclass
from enum import StrEnum

from app.domain.errors import PermissionDenied


class Role(StrEnum):
    """What a user may do; each role includes the rights of the ones before it."""

    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


@dataclass(frozen=True, slots=True)
class Office:
    """A Bürgerbüro; its code prefixes the case references it issues."""

    id: int
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class User:
    """A member of staff; `login` is the OS login that maps to this user."""

    id: int
    login: str
    display_name: str
    role: Role
    office_id: int
    active: bool = True

    def has_role(self, role: Role) -> bool:
        return self.active and self.role.rank >= role.rank

    def require(self, role: Role, action: str) -> None:
        if not self.has_role(role):
            raise PermissionDenied("user.permission", action=action, role=role.value)


DEFAULT_OFFICES: tuple[tuple[str, str], ...] = (
    ("EI", "Bürgerbüro Eiserfeld"),
    ("GE", "Bürgerbüro Geisweid"),
    ("SI", "Bürgerbüro Siegen"),
    ("WE", "Bürgerbüro Weidenau"),
)


def user_change(
    before: User | None, after: User, office_codes: dict[int, str]
) -> tuple[str, str] | None:
    """The audit action and detail of saving `after` over `before`: each changed field as
    old -> new (the display name only as changed: staff names stay out of the chain); None
    when nothing changed."""

    def office(user: User) -> str:
        return office_codes.get(user.office_id, str(user.office_id))

    if before is None:
        state = "active" if after.active else "inactive"
        return "user.created", f"role: {after.role.value}; office: {office(after)}; {state}"
    changes = []
    if before.role is not after.role:
        changes.append(f"role: {before.role.value} -> {after.role.value}")
    if before.office_id != after.office_id:
        changes.append(f"office: {office(before)} -> {office(after)}")
    if before.active != after.active:
        changes.append(f"active: {before.active} -> {after.active}")
    if before.display_name != after.display_name:
        changes.append("name: changed")
    if not changes:
        return None
    action = "user.changed"
    if before.active != after.active:
        action = "user.disabled" if before.active else "user.enabled"
    return action, "; ".join(changes)
