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
