"""Payments on the city's payment platform, one row per payment a case has had (a failed link
and its successor both stay)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text
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


class TillEntryRow(Base):
    """`app.domain.till.TillEntry`: the counter till's journal, append-only (a cancellation
    is another row naming the one it cancels)."""

    __tablename__ = "till_entries"
    __table_args__ = (Index("ix_till_entries_day", "office_id", "counter", "day"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    counter: Mapped[str] = mapped_column(String(40))
    day: Mapped[dt.date] = mapped_column(Date)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    case_reference: Mapped[str] = mapped_column(String(20))
    amount_cents: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(8))
    receipt: Mapped[str] = mapped_column(String(24), unique=True)
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    cancels: Mapped[int | None] = mapped_column(ForeignKey("till_entries.id"), unique=True)
    reason: Mapped[str] = mapped_column(String(500), default="")


class TillDayRow(Base):
    """`app.domain.till.TillDay`: a counter's day, from its first booking to its confirmed
    closing. No row: the day is open and has had no closing yet."""

    __tablename__ = "till_days"

    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    counter: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    expected_cash_cents: Mapped[int] = mapped_column(Integer)
    counted_cash_cents: Mapped[int | None] = mapped_column(Integer)
    card_cents: Mapped[int] = mapped_column(Integer)
    closed_by: Mapped[str] = mapped_column(String(64), default="")
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_by: Mapped[str] = mapped_column(String(64), default="")
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(String(500), default="")


class ReceiptCounterRow(Base):
    """The last receipt number per office and year (gap-free, as the register's)."""

    __tablename__ = "receipt_counters"

    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
