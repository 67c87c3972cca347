"""Working through an outage: the number blocks seats reserved, a seat journal's own state,
what a merge has carried into the central database, and what it could not decide."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.store.models.base import Base, Id


class NumberBlockRow(Base):
    """`app.domain.outage.NumberBlock`. In the central database every block handed out; in a
    seat's journal the seat's own, `here` set: the journal's counters stay inside them."""

    __tablename__ = "number_blocks"
    __table_args__ = (Index("ix_number_blocks_series", "series", "office_id", "year"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    series: Mapped[str] = mapped_column(String(12))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    year: Mapped[int] = mapped_column(Integer)
    first: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer)
    seat: Mapped[str] = mapped_column(String(64))
    here: Mapped[bool] = mapped_column(Boolean, default=False)
    reserved_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    reserved_by: Mapped[str] = mapped_column(String(64))


class JournalStateRow(Base):
    """A seat journal's own facts (its id, when its copy was taken, up to which row id each
    table is a copy); empty in the central database."""

    __tablename__ = "journal_state"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class MergedItemRow(Base):
    """One item of a journal carried into the central database, written in the transaction
    that carries it: a merge killed halfway skips what is here when it runs again."""

    __tablename__ = "merged_items"

    journal: Mapped[str] = mapped_column(String(36), primary_key=True)
    item: Mapped[str] = mapped_column(String(80), primary_key=True)
    central_id: Mapped[int | None] = mapped_column(Id)
    merged_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class MergeConflictRow(Base):
    """`app.domain.outage.Conflict`: both sides as JSON, until a supervisor resolves it."""

    __tablename__ = "merge_conflicts"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    journal: Mapped[str] = mapped_column(String(36), index=True)
    seat: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(30))
    reference: Mapped[str] = mapped_column(String(40))
    central: Mapped[str] = mapped_column(Text)
    local: Mapped[str] = mapped_column(Text)
    found_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[str] = mapped_column(String(64), default="")
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    resolution: Mapped[str] = mapped_column(String(500), default="")
