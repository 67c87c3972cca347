"""Sealed originals: the year's counter, the documents, their numbers (issued or void), the
register facts a clerk confirmed, the prints."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.store.models.base import Base, Id


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
    # sealed without a timestamp (the TSA was down): one is added when it answers again
    timestamp_pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


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
