"""The sandbox payment platform's state in SQLite (it survives restarts): each payment with the
request it was created from, its state and Kassenzeichen, and the faults switched on. Checks a
PaymentRequest as XBezahldienste 1.0 describes it, not as our client writes one."""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
import threading
import uuid
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS payments (
    transaction_id TEXT PRIMARY KEY, originator TEXT NOT NULL, endpoint TEXT NOT NULL,
    request_id TEXT NOT NULL, request TEXT NOT NULL, reference TEXT NOT NULL,
    status TEXT NOT NULL, method TEXT, created TEXT NOT NULL, updated TEXT NOT NULL,
    UNIQUE (originator, endpoint, request_id));
CREATE TABLE IF NOT EXISTS switches (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
STATUSES = ("INITIAL", "BOOKED", "FAILED", "CANCELED")


class PlatformError(Exception):
    """A refusal as the standard's problem answer: HTTP status and functional code."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


def _amount(value: object, where: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise PlatformError(400, "VALIDATION_ERROR", f"{where} is not an amount") from None
    if amount < 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise PlatformError(400, "VALIDATION_ERROR", f"{where}: at most two decimals, not < 0")
    return amount


def check_request(body: Any) -> Decimal:
    """The request's gross amount, once the request is a valid PaymentRequest."""
    if not isinstance(body, dict):
        raise PlatformError(400, "VALIDATION_ERROR", "not a PaymentRequest")
    request_id = body.get("requestId")
    if not isinstance(request_id, str) or not 1 <= len(request_id) <= 36:
        raise PlatformError(400, "VALIDATION_ERROR", "requestId: 1 to 36 characters")
    if body.get("currency") != "EUR":
        raise PlatformError(400, "VALIDATION_ERROR", "currency must be EUR")
    purpose = body.get("purpose")
    if not isinstance(purpose, str) or not 1 <= len(purpose) <= 27:
        raise PlatformError(400, "VALIDATION_ERROR", "purpose: 1 to 27 characters")
    items = body.get("items")
    if not isinstance(items, list) or not 1 <= len(items) <= 99:
        raise PlatformError(400, "VALIDATION_ERROR", "items: 1 to 99")
    total = Decimal(0)
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not item.get("reference"):
            raise PlatformError(400, "VALIDATION_ERROR", f"items[{index}].reference missing")
        booking = item.get("bookingData")
        if not isinstance(booking, dict) or not booking:
            raise PlatformError(400, "BOOKING_DATA_MISSING", f"items[{index}].bookingData")
        total += _amount(item.get("totalNetAmount", 0), f"items[{index}].totalNetAmount")
        total += _amount(item.get("totalTaxAmount", 0), f"items[{index}].totalTaxAmount")
    gross = _amount(body.get("grosAmount"), "grosAmount")
    if gross != total:
        raise PlatformError(400, "CALCULATION_ERROR", f"grosAmount {gross} != items {total}")
    return gross


class PlatformState:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        with self._connect() as db:
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.row_factory = sqlite3.Row
        return db

    # --- switches: faults and the provider's dialect ---------------------------------------

    def switch(self, name: str, default: str = "") -> str:
        with self._connect() as db:
            row = db.execute("SELECT value FROM switches WHERE name = ?", (name,)).fetchone()
            return str(row["value"]) if row else default

    def set_switch(self, name: str, value: str) -> None:
        with self._lock, self._connect() as db:
            db.execute("INSERT OR REPLACE INTO switches VALUES (?, ?)", (name, value))

    # --- payments ----------------------------------------------------------------------------

    def create(self, originator: str, endpoint: str, body: dict[str, Any]) -> dict[str, Any]:
        """A new payment, or the one this requestId already made when the request is the
        same (a repeat after a lost answer); PAYMENT_EXISTS when it differs."""
        check_request(body)
        now = dt.datetime.now(dt.UTC).isoformat()
        request_text = json.dumps(body, sort_keys=True)
        with self._lock, self._connect() as db:
            row = db.execute(
                "SELECT * FROM payments WHERE originator = ? AND endpoint = ? AND request_id = ?",
                (originator, endpoint, body["requestId"]),
            ).fetchone()
            if row is not None:
                if _same_request(json.loads(row["request"]), body):
                    return dict(row)
                raise PlatformError(409, "PAYMENT_EXISTS", "requestId used for another request")
            reference = f"KZ{random.randint(10**9, 10**10 - 1)}"
            record = {
                "transaction_id": str(uuid.uuid4()),
                "originator": originator,
                "endpoint": endpoint,
                "request_id": body["requestId"],
                "request": request_text,
                "reference": reference,
                "status": "INITIAL",
                "method": None,
                "created": now,
                "updated": now,
            }
            db.execute(
                "INSERT INTO payments VALUES (:transaction_id, :originator, :endpoint, "
                ":request_id, :request, :reference, :status, :method, :created, :updated)",
                record,
            )
            return record

    def get(self, originator: str, endpoint: str, transaction_id: str) -> dict[str, Any]:
        with self._connect() as db:
            row = db.execute(
                "SELECT * FROM payments WHERE transaction_id = ? AND originator = ? "
                "AND endpoint = ?",
                (transaction_id, originator, endpoint),
            ).fetchone()
        if row is None:
            raise PlatformError(404, "UNSPECIFIED", "no such payment transaction")
        return dict(row)

    def by_id(self, transaction_id: str) -> dict[str, Any]:
        with self._connect() as db:
            row = db.execute(
                "SELECT * FROM payments WHERE transaction_id = ?", (transaction_id,)
            ).fetchone()
        if row is None:
            raise PlatformError(404, "UNSPECIFIED", "no such payment transaction")
        return dict(row)

    def settle(self, transaction_id: str, status: str, method: str = "CREDITCARD") -> None:
        """The citizen paid, gave up, or the payment failed (the pay page, or a test)."""
        if status not in STATUSES[1:]:
            raise PlatformError(400, "VALIDATION_ERROR", f"status {status}")
        with self._lock, self._connect() as db:
            row = db.execute(
                "SELECT status FROM payments WHERE transaction_id = ?", (transaction_id,)
            ).fetchone()
            if row is None:
                raise PlatformError(404, "UNSPECIFIED", "no such payment transaction")
            if row["status"] != "INITIAL":
                raise PlatformError(409, "UNSPECIFIED", f"payment is {row['status']} already")
            db.execute(
                "UPDATE payments SET status = ?, method = ?, updated = ? WHERE transaction_id = ?",
                (status, method, dt.datetime.now(dt.UTC).isoformat(), transaction_id),
            )

    def all(self) -> list[dict[str, Any]]:
        with self._connect() as db:
            return [dict(row) for row in db.execute("SELECT * FROM payments ORDER BY created")]


def _same_request(stored: dict[str, Any], body: dict[str, Any]) -> bool:
    """The same payment asked for again: the timestamp may be the repeat's own."""
    ignore = {"requestTimestamp"}
    return {k: v for k, v in stored.items() if k not in ignore} == {
        k: v for k, v in body.items() if k not in ignore
    }
