"""What each seat last ran with: its settings and its trust list, so a change is audited."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.store.models.base import Base


class SeatSettingsRow(Base):
    """`settings`: JSON of name → value (no secrets: those are in the keyring); `trust_list`:
    the SHA-256 of the trust list file the seat checks documents with ("" for none)."""

    __tablename__ = "seat_settings"

    seat: Mapped[str] = mapped_column(String(64), primary_key=True)
    settings: Mapped[str] = mapped_column(Text)
    trust_list: Mapped[str] = mapped_column(String(64), default="")
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
