"""Engines for both databases, transactions, and the schema-version check."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    InternalError,
    NoSuchModuleError,
    OperationalError,
    ProgrammingError,
)
from sqlalchemy.orm import Session, sessionmaker

from app.domain.errors import DatabaseRefused, DatabaseUrlInvalid
from app.domain.errors import DatabaseUnavailable as DatabaseUnavailable  # raised here
from app.domain.errors import SchemaMismatch as SchemaMismatch
from app.lanes import Lane, require_lane

if TYPE_CHECKING:
    from alembic.config import Config

SQLITE_BUSY_TIMEOUT_MS = 10_000


def utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; everything here is stored and compared in UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def parse_database_url(url: str) -> URL:
    """The URL, or DatabaseUrlInvalid naming the mistake (not the URL: it may hold a password)."""
    if url.startswith(("postgres://", "postgres+")):
        raise DatabaseUrlInvalid(
            "database.url_invalid",
            problem="the scheme 'postgres' is not known; write postgresql+psycopg://…",
        )
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as error:
        problem = "the port is no number" if "int()" in str(error) else str(error)
        raise DatabaseUrlInvalid("database.url_invalid", problem=problem) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseUrlInvalid(
            "database.url_invalid",
            problem=f"'{parsed.drivername}' is no database this application works with "
            "(sqlite:///… or postgresql+psycopg://…)",
        )
    return parsed


LOOPBACK_HOSTS = frozenset({"", "localhost", "127.0.0.1", "::1"})


def with_verified_server(url: URL, ca_file: str) -> URL:
    """A central PostgreSQL is reached only over TLS with its certificate and name checked
    against the city's CA (`sslmode=verify-full`); a server on this machine (loopback, a Unix
    socket) may be reached without. DatabaseUrlInvalid otherwise, before any connection."""
    if url.get_backend_name() != "postgresql":
        return url
    if ca_file:
        if not Path(ca_file).is_file():
            raise DatabaseUrlInvalid(
                "database.url_invalid",
                problem=f"database_ca_file {Path(ca_file).name} does not exist",
            )
        return url.update_query_dict({"sslmode": "verify-full", "sslrootcert": ca_file})
    if url.query.get("sslmode") == "verify-full":
        return url  # the URL names its own root (or the system's)
    host = str(url.host or url.query.get("host") or "")
    if host in LOOPBACK_HOSTS or host.startswith("/"):
        return url
    raise DatabaseUrlInvalid(
        "database.url_invalid",
        problem=f"the server {host} would be reached without checking who it is; set "
        "database_ca_file to the city's CA certificate (TLS, sslmode=verify-full)",
    )


def _engine(parsed: URL, **options: Any) -> Engine:
    try:
        return create_engine(parsed, **options)
    except (ImportError, NoSuchModuleError):
        raise DatabaseUrlInvalid(
            "database.url_invalid",
            problem=f"the driver '{parsed.drivername}' is not installed; write "
            "postgresql+psycopg://…",
        ) from None


def server_now(session: Session) -> dt.datetime:
    """The time by the database's clock, which every seat shares (PostgreSQL: the server's,
    at the transaction's start; SQLite: the one machine's, whose file it is)."""
    if session.get_bind().dialect.name == "postgresql":
        return utc(session.execute(text("SELECT now()")).scalar_one())
    return dt.datetime.now(dt.UTC)


def make_engine(url: str, *, timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS, **options: Any) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys, a busy timeout and explicit BEGINs.
    `timeout_ms` bounds waiting for a lock (SQLite) or a connection (PostgreSQL)."""
    parsed = parse_database_url(url)
    if parsed.get_backend_name() != "sqlite":
        options.setdefault("pool_pre_ping", True)
        options.setdefault("connect_args", {"connect_timeout": max(1, timeout_ms // 1000)})
        return _engine(parsed, **options)

    engine = _engine(parsed, **options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling defers BEGIN in ways that defeat locking;
        # take it over so that writers can BEGIN IMMEDIATE (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if parsed.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A writer takes the write lock up front: two writers never both read, then both
        # try to upgrade (which SQLite answers with SQLITE_BUSY at once, not after waiting).
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


class Database:
    """One engine and the two kinds of transaction the repositories use. The engine is made at
    first use, on the lane that uses it: the driver's import and the server's password (from
    the keyring) are I/O that the window must not wait for."""

    def __init__(self, engine: Engine | Callable[[], Engine]) -> None:
        self._make: Callable[[], Engine] = (
            (lambda: engine) if isinstance(engine, Engine) else engine
        )
        self._engine: Engine | None = engine if isinstance(engine, Engine) else None
        self._lock = threading.Lock()
        # told of every transaction's outcome: None when it worked, the error when the server
        # could not be reached (the seat's health board)
        self.observer: Callable[[DatabaseUnavailable | None], None] | None = None
        self._diverted: Database | None = None
        if self._engine is not None:
            self._sessions(self._engine)

    def _sessions(self, engine: Engine) -> None:
        self._readers = sessionmaker(engine, expire_on_commit=False)
        self._writers = sessionmaker(
            engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False
        )

    def _factories(self) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
        """(readers, writers), the engine made first if it is not yet."""
        self.engine  # noqa: B018 -- the property makes it
        return self._readers, self._writers

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                self._engine = self._make()
                self._sessions(self._engine)
            return self._engine

    @property
    def dialect(self) -> str:
        """The dialect the repositories speak now (the journal's while diverted)."""
        return (self._diverted or self).engine.dialect.name

    def divert(self, to: Database | None) -> None:
        """Work on `to` (the seat's journal) instead, until `divert(None)`: every repository
        holding this database follows. On the database lane, between transactions. `engine`
        stays this database's: the health probe keeps asking the central server."""
        self._diverted = to

    @property
    def diverted(self) -> bool:
        return self._diverted is not None

    @contextmanager
    def reading(self) -> Iterator[Session]:
        require_lane(Lane.DATABASE)
        if (journal := self._diverted) is not None:
            with journal.reading() as session:
                yield session
            return
        with self._observed(), self._factories()[0]() as session, session.begin():
            yield session

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        """A read transaction that sees one state of the database throughout, however long it
        runs while others write (PostgreSQL: REPEATABLE READ; SQLite in WAL mode: every read
        transaction is one)."""
        require_lane(Lane.DATABASE)
        if (journal := self._diverted) is not None:
            with journal.snapshot() as session:
                yield session
            return
        with self._observed(), self.engine.connect() as connection:
            if connection.dialect.name == "postgresql":  # set before the transaction begins
                connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with Session(bind=connection, expire_on_commit=False) as session, session.begin():
                yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        require_lane(Lane.DATABASE)
        if (journal := self._diverted) is not None:
            with journal.writing() as session:
                yield session
            return
        with self._observed(), self._factories()[1]() as session, session.begin():
            yield session

    @contextmanager
    def _observed(self) -> Iterator[None]:
        observer = self.observer
        try:
            with _translate_errors():
                yield
        except DatabaseUnavailable as error:
            if observer is not None:
                observer(error)
            raise
        if observer is not None:
            observer(None)

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def ping(database: Database) -> None:
    """One round trip to the server (the health probe, which reports the outcome itself: not
    through the database's observer): DatabaseUnavailable if it fails."""
    require_lane(Lane.DATABASE)
    with _translate_errors(), database.engine.connect() as connection:
        connection.execute(text("SELECT 1"))


@contextmanager
def _translate_errors() -> Iterator[None]:
    try:
        yield
    except OperationalError as error:
        text = str(error.orig) if error.orig is not None else str(error)
        if "locked" in text or "busy" in text:
            raise DatabaseUnavailable("database.locked", detail=text) from error
        raise DatabaseUnavailable("database.unavailable", detail=text.splitlines()[0]) from error
    except (ProgrammingError, InternalError) as error:
        # the server's refusals a user's rights or a read-only server cause, by SQLSTATE:
        # insufficient privilege, read-only transaction; anything else is a fault to see whole
        state = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
        if state not in ("42501", "25006"):
            raise
        text = str(error.orig).splitlines()[0]
        raise DatabaseRefused("database.refused", detail=text) from error


# the newest migration; the schema check at start-up compares against it without loading
# Alembic (a test keeps it equal to Alembic's own head)
SCHEMA_HEAD = "0020"


def alembic_config(url: str | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("app.store") / "migrations"))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision (None: no schema), read without Alembic."""
    with _translate_errors(), engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def has_application_tables(engine: Engine) -> bool:
    """Whether the application's tables are there, versioned or not."""
    with _translate_errors(), engine.connect() as connection:
        return inspect(connection).has_table("cases")


def _refuse_what_cannot_be_upgraded(connection: Any) -> None:
    """Tables without a version row, or a version this application does not know."""
    inspector = inspect(connection)
    database = (
        connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if inspector.has_table("alembic_version")
        else None
    )
    if database is None and inspector.has_table("cases"):
        raise SchemaMismatch("schema.unversioned", database=None, application=head_revision())
    if database is not None and database not in known_revisions():
        raise SchemaMismatch("schema.newer", database=database, application=head_revision())


def stamp(engine: Engine, revision: str) -> None:
    """Record `revision` as the schema's version without migrating (after a check by hand
    that the tables are that revision's)."""
    from alembic import command

    if revision not in known_revisions():
        raise SchemaMismatch(
            "schema.unknown_revision", database=revision, application=head_revision()
        )
    config = alembic_config()
    with _translate_errors(), engine.connect() as connection, connection.begin():
        config.attributes["connection"] = connection
        command.stamp(config, revision)


UPGRADE_LOCK = 0x42425550  # "BBUP": the advisory lock key of schema upgrades


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` on this engine (the installer's and demo's job)."""
    from alembic import command

    config = alembic_config()
    with _translate_errors(), engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations recreate tables; with foreign keys on, dropping the old table
            # would cascade-delete every row that refers to it. The pragma only works outside
            # a transaction, so it goes straight to the driver before Alembic begins one.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        try:
            # one upgrade at a time across every seat and process: PostgreSQL by an advisory
            # lock held to the end of the transaction, SQLite by taking the write lock at BEGIN
            connection = connection.execution_options(sqlite_begin="IMMEDIATE")
            with connection.begin():
                if not sqlite:
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK}
                    )
                # looked at under the lock: a seat that upgraded meanwhile has committed all
                _refuse_what_cannot_be_upgraded(connection)
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left dangling references: {broken[:5]}")
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]


def known_revisions() -> set[str]:
    """Every schema revision this version of the application has a migration for."""
    from alembic.script import ScriptDirectory

    return {
        script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()
    }


def check_schema(engine: Engine) -> None:
    """Refuse to work on a schema that is older or newer than this application's."""
    database = current_revision(engine)
    if database == SCHEMA_HEAD:
        return
    application = head_revision()
    if database is None:
        key = "schema.unversioned" if has_application_tables(engine) else "schema.empty"
    elif database not in known_revisions():
        key = "schema.newer"
    else:
        key = "schema.older"
    raise SchemaMismatch(key, database=database, application=application)
