"""Offices, users, cases with their words, events, notes and attachments, and the facts the
reports count."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.store.models.base import Base, Id


class OfficeRow(Base):
    __tablename__ = "offices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(2), unique=True)
    name: Mapped[str] = mapped_column(String(80))


class UserRow(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ReferenceCounterRow(Base):
    """The last number issued per office and year; bumped inside the creating transaction."""

    __tablename__ = "reference_counters"
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class CaseRow(Base):
    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    service_id: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    assignee: Mapped[str | None] = mapped_column(String(64))
    family_name: Mapped[str] = mapped_column(String(80))
    given_names: Mapped[str] = mapped_column(String(120))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    email: Mapped[str] = mapped_column(String(120), default="")
    mobile_phone: Mapped[str] = mapped_column(String(24), default="", server_default="")
    form_data: Mapped[dict[str, str]] = mapped_column(JSON)
    identity_required: Mapped[int] = mapped_column(Integer)
    identity_verified: Mapped[int] = mapped_column(Integer)
    fee_cents: Mapped[int] = mapped_column(Integer)
    payment: Mapped[str] = mapped_column(String(16))
    payment_reference: Mapped[str] = mapped_column(String(40), default="")
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    submission_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    needs_data_entry: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # retention: a legal hold's reason keeps every kind of the case's data; once the periods
    # have run, its personal data is gone and the row stays for the figures
    legal_hold: Mapped[str] = mapped_column(String(200), default="", server_default="")
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_cases_received_at", "received_at"),
        Index("ix_cases_status_received_at", "status", "received_at"),
        Index("ix_cases_office_received_at", "office_id", "received_at"),
        Index("ix_cases_service_received_at", "service_id", "received_at"),
        Index("ix_cases_family_name", "family_name"),
        Index("ix_cases_birth_date", "birth_date"),  # a person's access report
        Index("ix_cases_due_at", "due_at"),
        Index("ix_cases_assignee", "assignee"),
        Index("ix_cases_payment_status", "payment", "status", "office_id"),
    )


# Byte order on both engines, so that a prefix is a contiguous index range.
TokenText = String(64).with_variant(String(64, collation="C"), "postgresql")


class CaseTokenRow(Base):
    """Search words of a case (see app.domain.inbox.search_tokens): prefix search by index."""

    __tablename__ = "case_tokens"
    token: Mapped[str] = mapped_column(TokenText, primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class CaseEventRow(Base):
    __tablename__ = "case_events"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")


class NoteRow(Base):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    text: Mapped[str] = mapped_column(Text)


class AttachmentRow(Base):
    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class CaseFactRow(Base):
    """One row per case for the supervisors' figures, kept current in the transaction of each
    transition: when it came, when it was first decided and by whom, when it was handed over
    (at the counter or from the box), and the two durations. The reports group these instead
    of a year's events."""

    __tablename__ = "case_facts"
    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    office_id: Mapped[int] = mapped_column(Integer)
    service_id: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    received_day: Mapped[str] = mapped_column(String(10))  # UTC day, YYYY-MM-DD
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decided_day: Mapped[str | None] = mapped_column(String(10))
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decision_seconds: Mapped[float | None] = mapped_column(Float)
    handed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    handover_seconds: Mapped[float | None] = mapped_column(Float)

    # covering indexes: each figure's query reads one index, never the rows
    __table_args__ = (
        Index(
            "ix_case_facts_received",
            "received_at",
            "received_day",
            "service_id",
            "channel",
            "office_id",
        ),
        Index(
            "ix_case_facts_decided",
            "decided_at",
            "service_id",
            "received_day",
            "decided_day",
            "office_id",
            "decided_by",
            "decision_seconds",
            "received_at",
        ),
        Index("ix_case_facts_handed", "handed_at", "service_id", "office_id", "handover_seconds"),
        Index(
            "ix_case_facts_decision_time",
            "service_id",
            "decision_seconds",
            "decided_at",
            "office_id",
        ),
        Index(
            "ix_case_facts_handover_time",
            "service_id",
            "handover_seconds",
            "handed_at",
            "office_id",
        ),
    )
