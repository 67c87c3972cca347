"""Submissions taken in, and the pull's leases."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.store.models.base import Base


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
