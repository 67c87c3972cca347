"""The pickup box: loadings, the box's events and cursor, its issues."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.store.models.base import Base, Id

# app.domain.pickup.ACTIVE_LOADING, as SQL (a test compares them)
ACTIVE_LOADING_SQL = (
    "state IN ('confirming', 'reserved', 'door_open', 'loaded', 'code_sent', 'retrieving')"
)


class BoxLoadingRow(Base):
    """One item's stay in a pickup-box compartment, from its reservation to its collection or
    return (`app.domain.pickup.LoadingState`). Two partial unique indexes let the database
    decide races: one active item per compartment, one active compartment per case."""

    __tablename__ = "box_loadings"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    office_code: Mapped[str] = mapped_column(String(8))
    compartment: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(12))
    size: Mapped[str] = mapped_column(String(2))
    step_free: Mapped[bool] = mapped_column(Boolean, default=False)
    hold_days: Mapped[int] = mapped_column(Integer)
    code_digest: Mapped[str] = mapped_column(String(64), default="")  # keyed hash, never the code
    deadline: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    loaded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    reminded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    loaded_by: Mapped[str] = mapped_column(String(64))
    confirmed_by: Mapped[str] = mapped_column(String(64), default="")  # four-eyes

    __table_args__ = (
        Index(
            "uq_box_loadings_active_compartment",
            "office_code",
            "compartment",
            unique=True,
            sqlite_where=text(ACTIVE_LOADING_SQL),
            postgresql_where=text(ACTIVE_LOADING_SQL),
        ),
        Index(
            "uq_box_loadings_active_case",
            "case_id",
            unique=True,
            sqlite_where=text(ACTIVE_LOADING_SQL),
            postgresql_where=text(ACTIVE_LOADING_SQL),
        ),
        Index("ix_box_loadings_office_state", "office_code", "state"),
    )


class BoxEventRow(Base):
    """Every event a box reported, once (the box's event id is unique per office)."""

    __tablename__ = "box_events"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    office_code: Mapped[str] = mapped_column(String(8))
    event_id: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    compartment: Mapped[str | None] = mapped_column(String(16))
    reference: Mapped[str | None] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("uq_box_events_office_event", "office_code", "event_id", unique=True),)


class BoxCursorRow(Base):
    """How far each office's box events have been read."""

    __tablename__ = "box_cursors"
    office_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    cursor: Mapped[str] = mapped_column(String(40))
    synced_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class BoxIssueRow(Base):
    """Something for a supervisor: a compartment locked after wrong codes, tampering, or the box
    and the database disagreeing about an item (never overwritten silently)."""

    __tablename__ = "box_issues"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    office_code: Mapped[str] = mapped_column(String(8))
    compartment: Mapped[str | None] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(String(200), default="")
    raised_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[str] = mapped_column(String(64), default="")

    __table_args__ = (Index("ix_box_issues_office_open", "office_code", "resolved_at"),)
