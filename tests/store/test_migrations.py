"""Migrations: every released schema upgrades to head; the models match the migrations;
an older, newer or empty schema is refused with a message naming both versions."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from app.domain.inbox import InboxQuery
from app.integrations.settings import Settings
from app.store.database import SchemaMismatch, check_schema, head_revision, make_engine, upgrade
from app.store.models import Base
from app.wiring import build_core

FIXTURES = Path(__file__).parent.parent / "fixtures"
SAVED = sorted(FIXTURES.glob("schema-*.sqlite3"))


def row_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'alembic_version'"
            )
        ]
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in tables
        }


def test_there_is_a_saved_database_for_the_current_head() -> None:
    assert FIXTURES / f"schema-{head_revision()}.sqlite3" in SAVED


@pytest.mark.parametrize("saved", SAVED, ids=lambda p: p.stem)
def test_every_table_of_a_saved_database_holds_rows(saved: Path) -> None:
    """Each migration runs on data, not on empty tables (tests/fixtures/fill_tables.py)."""
    assert {table: count for table, count in row_counts(saved).items() if count == 0} == {}


@pytest.mark.parametrize("saved", SAVED, ids=lambda p: p.stem)
def test_saved_database_upgrades_to_head_and_keeps_its_data(saved: Path, tmp_path: Path) -> None:
    target = tmp_path / saved.name
    shutil.copy(saved, target)
    url = f"sqlite:///{target}"
    before = row_counts(target)
    engine = make_engine(url)
    upgrade(engine)
    after = row_counts(target)
    # table rebuilds must not cascade-delete history; new tables may only add rows
    assert {table: after[table] for table in before} == before
    check_schema(engine)
    engine.dispose()
    core = build_core(Settings(database_url=url))
    assert core.cases.count(InboxQuery()) == 40
    assert core.audit.verify() == []
    # search works on cases that existed before the search index did (0002 backfills it)
    some = core.cases.page(InboxQuery(), offset=0, limit=1)[0]
    family = some.applicant.split(",")[0]
    found = core.cases.page(InboxQuery(search=family), offset=0, limit=50)
    assert some.id in {row.id for row in found}
    assert core.cases.page(InboxQuery(search=some.reference), offset=0, limit=5)[0].id == some.id
    core.close()


def test_models_match_migrations(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_newer_schema_is_refused_naming_both_versions(tmp_path: Path) -> None:
    target = tmp_path / "newer.sqlite3"
    shutil.copy(SAVED[-1], target)
    engine = make_engine(f"sqlite:///{target}")
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaMismatch) as refused:
        check_schema(engine)
    engine.dispose()
    message = str(refused.value)
    assert "9999" in message and head_revision() in message and "neuer" in message


def test_empty_database_is_refused_with_the_command_to_run(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    with pytest.raises(SchemaMismatch, match="db upgrade"):
        check_schema(engine)
    engine.dispose()


def test_older_schema_is_refused_naming_both_versions(tmp_path: Path) -> None:
    target = tmp_path / "older.sqlite3"
    shutil.copy(SAVED[0], target)
    engine = make_engine(f"sqlite:///{target}")
    with pytest.raises(SchemaMismatch) as refused:
        check_schema(engine)
    engine.dispose()
    message = str(refused.value)
    assert SAVED[0].stem.removeprefix("schema-") in message and head_revision() in message
    assert "db upgrade" in message


def test_the_register_of_an_upgraded_database_holds_its_earlier_documents(tmp_path: Path) -> None:
    target = tmp_path / "0004.sqlite3"
    shutil.copy(FIXTURES / "schema-0004.sqlite3", target)
    engine = make_engine(f"sqlite:///{target}")
    upgrade(engine)
    engine.dispose()
    core = build_core(Settings(database_url=f"sqlite:///{target}"))
    entries = core.documents.entries(2026)
    core.close()
    assert [(e.number, e.state.value) for e in entries] == [("2026-000001", "issued")]


def test_the_start_up_schema_check_knows_alembics_head() -> None:
    from app.store.database import SCHEMA_HEAD

    assert head_revision() == SCHEMA_HEAD


def test_the_schema_refusal_reads_in_english_too(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    with pytest.raises(SchemaMismatch) as refused:
        check_schema(engine)
    engine.dispose()
    assert "db upgrade" in refused.value.text("en") and "empty" in refused.value.text("en")
