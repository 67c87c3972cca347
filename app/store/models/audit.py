"""The audit chain's records and its head."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    DateTime,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.store.models.base import Base, Id


class AuditRecordRow(Base):
    __tablename__ = "audit_records"
    __table_args__ = (
        Index("ix_audit_records_subject", "subject"),  # who read a case
        Index("ix_audit_records_actor_at", "actor", "at"),  # what one person read, when
    )
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
    # where the chain starts since retention deleted its oldest records (§ 40 BMG): the last
    # deleted record's number and hash, which the first kept one links to
    pruned_seq: Mapped[int] = mapped_column(Id, default=0, server_default="0")
    pruned_hash: Mapped[str] = mapped_column(String(64), default="0" * 64, server_default="0" * 64)
