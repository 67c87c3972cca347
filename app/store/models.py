"""Typed rows. ORM classes end in `Row`; they never leave a repository."""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
Id = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


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

    __table_args__ = (
        Index("ix_cases_received_at", "received_at"),
        Index("ix_cases_status_received_at", "status", "received_at"),
        Index("ix_cases_office_received_at", "office_id", "received_at"),
        Index("ix_cases_service_received_at", "service_id", "received_at"),
        Index("ix_cases_family_name", "family_name"),
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


class AuditRecordRow(Base):
    __tablename__ = "audit_records"
    seq: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48))
    subject: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The chain's tip, one row. Updating it serialises appends across processes and seats,
    and it tells verify where the chain must end."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Id)
    last_hash: Mapped[str] = mapped_column(String(64))


class IntakeSubmissionRow(Base):
    """Every submission the intake has taken from the portal, stored before it is acknowledged:
    accepted ones point to their case, quarantined ones keep the raw bytes and the reason."""

    __tablename__ = "intake_submissions"
    submission_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    fit_case_id: Mapped[str] = mapped_column(String(36))
    state: Mapped[str] = mapped_column(String(16), index=True)  # accepted | quarantined
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    problem: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    event_payload: Mapped[str] = mapped_column(Text)  # the accept/reject event, JSON, until sent
    event_sent: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # for the quarantine list, where known before the refusal (personal data: like raw)
    service_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    applicant: Mapped[str] = mapped_column(String(200), default="", server_default="")


class LeaseRow(Base):
    """A named lease (e.g. 'intake'): one holder across all seats until it expires."""

    __tablename__ = "leases"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DocumentCounterRow(Base):
    """The last document number issued in a year; bumped in the transaction that stores the
    document, so a failed issue leaves no gap."""

    __tablename__ = "document_counters"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class DocumentRow(Base):
    """The document register: every sealed original, with its bytes."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    issued_by: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int] = mapped_column(Integer)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    seal: Mapped[bytes] = mapped_column(LargeBinary)


class DocumentNumberRow(Base):
    """Every document number ever allocated: reserved before sealing, then issued or void.
    Together they are the gap-free register; a void number is never given out again."""

    __tablename__ = "document_numbers"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    state: Mapped[str] = mapped_column(String(10), index=True)
    reserved_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    reserved_by: Mapped[str] = mapped_column(String(64))
    void_reason: Mapped[str] = mapped_column(String(500), default="")


class RegisterFactsRow(Base):
    """Register facts a clerk confirmed for a case (no register adapter on this seat): the
    latest row is what the original says; earlier ones stay as the record of corrections."""

    __tablename__ = "register_facts"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    facts: Mapped[dict[str, str]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(12))
    confirmed_by: Mapped[str] = mapped_column(String(64))
    confirmed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DocumentPrintRow(Base):
    """Every time a document went to a printer; reprints are counted here."""

    __tablename__ = "document_prints"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    printed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    printed_by: Mapped[str] = mapped_column(String(64))
    printer: Mapped[str] = mapped_column(String(200))
    pages: Mapped[int] = mapped_column(Integer)
    copies: Mapped[int] = mapped_column(Integer)
    reprint: Mapped[bool] = mapped_column(Boolean)


def table_of(row: type[Base]) -> Table:
    """The Core table behind a row class, for statements that skip the ORM's unit of work."""
    return cast(Table, row.__table__)


# app.domain.pickup.ACTIVE_LOADING, as SQL (a test compares them)
ACTIVE_LOADING_SQL = "state IN ('reserved', 'door_open', 'loaded', 'code_sent', 'retrieving')"


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
