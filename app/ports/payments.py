"""Payments on the city's payment platform: where they are kept, and the platform itself."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from app.domain.errors import DomainError
from app.domain.payments import PlatformAnswer, PlatformPayment


class PlatformUnavailable(DomainError):
    """The platform did not answer, answered with a server error, or refused our credentials:
    nothing is known of the payment; ask again later."""


class PlatformRefused(DomainError):
    """The platform answered no (its functional code: PAYMENT_EXISTS, CALCULATION_ERROR,
    BOOKING_DATA_MISSING, VALIDATION_ERROR, NO_VALID_ORIGINATOR_OR_ENDPOINT)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__("payment.refused", code=code, detail=detail[:200])
        self.code = code


class PaymentRepository(Protocol):
    """Each call is one transaction."""

    def add(self, payment: PlatformPayment, *, at: dt.datetime) -> PlatformPayment:
        """Keep a new payment; the one already kept under its request_id if there is one."""
        ...

    def save(self, payment: PlatformPayment) -> None: ...

    def for_case(self, case_id: int) -> list[PlatformPayment]:
        """The case's payments, oldest first (the last is the one that counts)."""
        ...

    def due(self, now: dt.datetime, *, limit: int) -> list[PlatformPayment]:
        """Payments still INITIAL whose next question is due, the longest waiting first."""
        ...


class PaymentPlatform(Protocol):
    """app.integrations.payment_platform.XBezahldiensteClient."""

    def create(self, request: dict[str, Any]) -> PlatformAnswer: ...

    def status(self, *, transaction_id: str = "", status_url: str = "") -> PlatformAnswer: ...

    def healthy(self) -> bool: ...
