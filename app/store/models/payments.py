"""Payments on the city's payment platform, one row per payment a case has had (a failed link
and its successor both stay)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.store.models.base import Base, Id


class PlatformPaymentRow(Base):
    """`app.domain.payments.PlatformPayment`. `request_id` is unique: a creation repeated
    after a lost answer finds its row, and the platform its payment."""

    __tablename__ = "platform_payments"
    __table_args__ = (Index("ix_platform_payments_due", "status", "next_check_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(16))
    request_id: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    amount_cents: Mapped[int | None] = mapped_column(Integer)
    transaction_id: Mapped[str] = mapped_column(String(64), default="")
    reference: Mapped[str] = mapped_column(String(40), default="")
    status_url: Mapped[str] = mapped_column(Text, default="")
    pay_url: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str] = mapped_column(String(32), default="")
    paid_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    checked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    next_check_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    checks: Mapped[int] = mapped_column(Integer, default=0)
    problem: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
