"""The demo's offices, staff and cases (`buergerbuero demo`, `make run`)."""

from __future__ import annotations

import itertools

from app.domain.inbox import InboxQuery
from app.domain.users import DEFAULT_OFFICES
from app.store.database import (
    check_schema,
)
from app.wiring.core import Core


def seed_demo(core: Core, *, count: int, if_empty: bool, login: str) -> int:
    """Offices, staff (the OS login as admin) and `count` demo cases; returns cases written."""
    from app.services.demo import DemoGenerator, demo_staff
    from app.store.bulk import SqlCaseBulkLoader

    check_schema(core.database.engine)
    if if_empty and core.cases.count(InboxQuery()) > 0:
        return 0
    if not core.users.offices():
        for code, name in DEFAULT_OFFICES:
            core.users.save_office(code, name, actor=login, at=core.clock.now())
    offices = core.users.offices()
    for user_login, display, role, office_id in demo_staff(offices, login):
        if core.users.by_login(user_login) is None:
            core.users.save_user(
                actor=login,
                at=core.clock.now(),
                login=user_login,
                display_name=display,
                role=role,
                office_id=office_id,
                active=True,
            )
    generator = DemoGenerator(
        catalogue=core.catalogue,
        calendar=core.calendar,
        offices=offices,
        clerks=core.users.users(),
        now=core.clock.now(),
    )
    loader, written = SqlCaseBulkLoader(core.database), 0
    cases = generator.cases(count)
    while chunk := list(itertools.islice(cases, 5000)):  # bounded memory at any count
        written += loader.load(chunk)
    return written
