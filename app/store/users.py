"""Users and offices on SQLAlchemy."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    select,
)

from app.domain.audit import AuditEntry
from app.domain.users import Office, Role, User, user_change

# --- audit chain -------------------------------------------------------------------------------
from app.store.audit import append_audit
from app.store.database import Database
from app.store.models import (
    OfficeRow,
    UserRow,
)


def _user(row: UserRow) -> User:
    return User(row.id, row.login, row.display_name, Role(row.role), row.office_id, row.active)


class SqlUserDirectory:
    def __init__(self, database: Database) -> None:
        self._db = database

    def offices(self) -> list[Office]:
        with self._db.reading() as session:
            rows = session.execute(select(OfficeRow).order_by(OfficeRow.name)).scalars()
            return [Office(row.id, row.code, row.name) for row in rows]

    def save_office(self, code: str, name: str, *, actor: str, at: dt.datetime) -> Office:
        """Created or renamed, audited in the same transaction with the old and new name."""
        with self._db.writing() as session:
            row = session.execute(
                select(OfficeRow).where(OfficeRow.code == code)
            ).scalar_one_or_none()
            if row is None:
                row = OfficeRow(code=code, name=name)
                session.add(row)
                append_audit(
                    session, AuditEntry(actor, "office.created", code, f"name: {name}", at)
                )
            elif row.name != name:
                detail = f"name: {row.name} -> {name}"
                append_audit(session, AuditEntry(actor, "office.renamed", code, detail, at))
            row.name = name
            session.flush()
            return Office(row.id, row.code, row.name)

    def users(self) -> list[User]:
        with self._db.reading() as session:
            return [
                _user(row)
                for row in session.execute(select(UserRow).order_by(UserRow.login)).scalars()
            ]

    def by_login(self, login: str) -> User | None:
        with self._db.reading() as session:
            row = session.execute(
                select(UserRow).where(UserRow.login == login)
            ).scalar_one_or_none()
            return None if row is None else _user(row)

    def save_user(
        self,
        *,
        login: str,
        display_name: str,
        role: Role,
        office_id: int,
        active: bool,
        actor: str,
        at: dt.datetime,
    ) -> User:
        """Created, changed, disabled or enabled; audited in the same transaction with what
        changed, old -> new (`users.user_change`)."""
        with self._db.writing() as session:
            row = session.execute(
                select(UserRow).where(UserRow.login == login)
            ).scalar_one_or_none()
            before = None if row is None else _user(row)
            if row is None:
                row = UserRow(login=login)
                session.add(row)
            row.display_name, row.role, row.office_id, row.active = (
                display_name,
                role.value,
                office_id,
                active,
            )
            session.flush()
            after = _user(row)
            codes = {
                row.id: row.code for row in session.execute(select(OfficeRow.id, OfficeRow.code))
            }
            change = user_change(before, after, codes)
            if change is not None:
                append_audit(session, AuditEntry(actor, change[0], login, change[1], at))
            return after


# --- cases -------------------------------------------------------------------------------------
