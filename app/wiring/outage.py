"""The seat's journal and the switch to it: a SQLite file of the central schema in the seat's
data folder (readable by the seat's account only), and `OutageSwitch`, which points every
repository of the core at the journal while the central database is gone and back after the
merge."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from sqlalchemy import Engine

from app.integrations.private_folder import private_folder
from app.integrations.settings import Settings
from app.services.outage import OutageDesk
from app.store.database import Database, make_engine, upgrade
from app.store.journal import SqlJournal
from app.store.outage import SqlNumberBlocks
from app.wiring.core import Core

JOURNAL_FILE = "journal.sqlite3"


def seat_name(settings: Settings) -> str:
    """The seat's name for its number blocks: its till's name, else the PC's."""
    return (settings.till_counter or socket.gethostname())[:64]


def journal_path(settings: Settings) -> Path:
    return settings.resolved_data_dir() / JOURNAL_FILE


def open_journal(settings: Settings) -> Database:
    """The seat's journal, made and brought to this version's schema at its first use (on
    the database lane in the window). The file is the seat's account's alone (POSIX modes
    here; on Windows the data folder under the user's profile carries that account's ACL,
    docs/admin.md)."""
    path = journal_path(settings)

    def made() -> Engine:
        private_folder(path.parent)
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        for written in (path, *path.parent.glob(f"{JOURNAL_FILE}-*")):
            os.chmod(written, 0o600)
        return engine

    return Database(made)


class OutageSwitch:
    """Which database the core's repositories use: the central one, or the journal."""

    def __init__(self, core: Core, journal: Database) -> None:
        self.core, self.journal = core, journal

    @property
    def offline(self) -> bool:
        return self.core.database.diverted

    def to_journal(self) -> None:
        self.core.database.divert(self.journal)

    def to_central(self) -> None:
        self.core.database.divert(None)


def build_outage(core: Core, journal: Database | None = None) -> tuple[OutageDesk, OutageSwitch]:
    journal = journal or open_journal(core.settings)
    desk = OutageDesk(
        blocks=SqlNumberBlocks(core.database),
        journal=SqlJournal(core.database, journal),
        users=core.users,
        clock=core.clock,
        seat=seat_name(core.settings),
    )
    return desk, OutageSwitch(core, journal)
