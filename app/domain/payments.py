"""Fees paid on a payment platform (XBezahldienste 1.0, as ePayBL, pmPayment/GovConnect and
ePay21 offer it; FIT-Connect's `paymentInformation` for what the portal collected): the states
a platform reports, the payment request a payment link is created with, and what a platform's
answer means for the case. No I/O here."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any

PURPOSE_LENGTH = 27  # the Verwendungszweck a bank statement shows (XBezahldienste `purpose`)
MAX_ITEMS = 99
# how long after the last question a payment still INITIAL is asked again: soon at first (the
# citizen is on the payment page), then less often (a link sits in a mailbox for days)
RECHECK_AFTER = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=4),
)
_NOT_IN_PURPOSE = re.compile(r"[^0-9A-Za-z \-]")


class PlatformStatus(StrEnum):
    """A platform payment's state (FIT-Connect `paymentInformation.status`; XBezahldienste)."""

    INITIAL = "INITIAL"  # created, the citizen has not finished paying
    BOOKED = "BOOKED"
    FAILED = "FAILED"
    CANCELED = "CANCELED"

    @classmethod
    def parse(cls, text: object) -> PlatformStatus:
        """Some platforms say PAYED where FIT-Connect says BOOKED."""
        word = str(text).strip().upper()
        if word == "PAYED":
            return cls.BOOKED
        try:
            return cls(word)
        except ValueError:
            raise ValueError(f"unknown payment status {text!r}") from None

    @property
    def final(self) -> bool:
        return self is not PlatformStatus.INITIAL


class PaymentMethod(StrEnum):
    GIROPAY = "GIROPAY"
    PAYDIRECT = "PAYDIRECT"
    CREDITCARD = "CREDITCARD"
    PAYPAL = "PAYPAL"
    INVOICE = "INVOICE"
    OTHER = "OTHER"

    @classmethod
    def parse(cls, text: object) -> PaymentMethod:
        word = str(text or "").strip().upper()
        return cls(word) if word in cls.__members__ else cls.OTHER


class PaymentSource(StrEnum):
    PORTAL = "portal"  # paid (or being paid) while applying on the portal
    LINK = "link"  # a payment link the office created for the case


@dataclass(frozen=True, slots=True)
class PlatformPayment:
    """One case's payment on the platform and what is known of it. `request_id` is the key
    the payment was created with (ours for a link; the portal's transaction for the rest):
    a creation whose answer was lost is repeated with it and never makes a second payment."""

    case_id: int
    source: PaymentSource
    request_id: str
    status: PlatformStatus
    amount_cents: int | None  # what the platform says was (to be) paid
    transaction_id: str = ""
    reference: str = ""  # the Kassenzeichen
    status_url: str = ""  # where the state is asked (transactionUrl)
    pay_url: str = ""  # the page the citizen pays on (a link's transactionRedirectUrl)
    method: str = ""
    paid_at: dt.datetime | None = None
    checked_at: dt.datetime | None = None
    next_check_at: dt.datetime | None = None
    checks: int = 0
    problem: str = ""  # why the platform could not be asked or refused, for the clerk

    @property
    def created(self) -> bool:
        """The platform took the payment (it has a transaction of its own)."""
        return bool(self.transaction_id)

    def answered(
        self,
        *,
        status: PlatformStatus,
        at: dt.datetime,
        amount_cents: int | None = None,
        reference: str = "",
        method: str = "",
        paid_at: dt.datetime | None = None,
    ) -> PlatformPayment:
        """What the platform said now; an INITIAL one is asked again later, less often."""
        checks = self.checks + 1
        wait = RECHECK_AFTER[min(checks, len(RECHECK_AFTER)) - 1]
        return replace(
            self,
            status=status,
            amount_cents=self.amount_cents if amount_cents is None else amount_cents,
            reference=reference or self.reference,
            method=method or self.method,
            paid_at=paid_at or (at if status is PlatformStatus.BOOKED else self.paid_at),
            checked_at=at,
            next_check_at=None if status.final else at + wait,
            checks=checks,
            problem="",
        )

    def unanswered(self, *, at: dt.datetime, problem: str) -> PlatformPayment:
        """The platform could not be asked: kept as it was, asked again after the next wait."""
        checks = self.checks + 1
        wait = RECHECK_AFTER[min(checks, len(RECHECK_AFTER)) - 1]
        return replace(self, next_check_at=at + wait, checks=checks, problem=problem[:200])


class Settlement(StrEnum):
    """What a platform payment means for the case's fee."""

    PAID = "paid"  # booked, the fee's amount: the case's fee is paid
    WAITING = "waiting"  # not yet booked: asked again
    AMOUNT_DIFFERS = "amount_differs"  # booked, another amount: a note, release blocked
    NOT_PAID = "not_paid"  # failed or cancelled: the fee is still open


def settlement(payment: PlatformPayment, fee_cents: int) -> Settlement:
    if payment.status is PlatformStatus.INITIAL:
        return Settlement.WAITING
    if payment.status is not PlatformStatus.BOOKED:
        return Settlement.NOT_PAID
    if payment.amount_cents is not None and payment.amount_cents != fee_cents:
        return Settlement.AMOUNT_DIFFERS
    return Settlement.PAID


def cents(amount: object) -> int | None:
    """An amount in euros as the JSON gave it (9.5, "9.50") in cents; None if there is none."""
    if amount is None or amount == "":
        return None
    try:
        return int((Decimal(str(amount)) * 100).to_integral_value())
    except ArithmeticError:
        raise ValueError(f"not an amount: {amount!r}") from None


def euros(amount_cents: int) -> float:
    """Cents as the JSON number XBezahldienste carries (two decimals)."""
    return float(Decimal(amount_cents) / 100)


def purpose(reference: str, service: str) -> str:
    """The Verwendungszweck: the case's reference first (what the finance office matches on),
    then as much of the service's name as fits in 27 characters of the allowed alphabet."""
    plain = _NOT_IN_PURPOSE.sub("", _transliterate(f"{reference} {service}"))
    return " ".join(plain.split())[:PURPOSE_LENGTH].rstrip()


def _transliterate(text: str) -> str:
    table = str.maketrans({"Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ä": "ae", "ö": "oe", "ü": "ue"})
    return text.translate(table).replace("ß", "ss")


@dataclass(frozen=True, slots=True)
class Booking:
    """Where a fee is booked in the city's accounts (from the catalogue)."""

    account: str  # Sachkonto
    cost_centre: str  # Kostenstelle
    product: str = ""  # Produkt (kommunaler Produktrahmen)


def payment_request(
    *,
    request_id: str,
    reference: str,
    service: str,
    fee_cents: int,
    booking: Booking,
    redirect_url: str,
    at: dt.datetime,
) -> dict[str, object]:
    """An XBezahldienste PaymentRequest for one case's fee: one item, the gross amount the
    sum of the items (the platform checks it: CALCULATION_ERROR), booking data for finance."""
    amount = euros(fee_cents)
    booking_data = {"account": booking.account, "costCentre": booking.cost_centre}
    if booking.product:
        booking_data["product"] = booking.product
    return {
        "requestId": request_id,
        "requestTimestamp": at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "currency": "EUR",
        "grosAmount": amount,  # sic: the standard's spelling
        "purpose": purpose(reference, service),
        "description": f"{service} – {reference}"[:250],
        "redirectUrl": redirect_url,
        "items": [
            {
                "id": "1",
                "reference": reference,
                "description": service[:100],
                "quantity": 1,
                "taxRate": 0,
                "singleNetAmount": amount,
                "singleTaxAmount": 0,
                "totalNetAmount": amount,
                "totalTaxAmount": 0,
                "bookingData": booking_data,
            }
        ],
    }


@dataclass(frozen=True, slots=True)
class PlatformAnswer:
    """A PaymentTransaction's paymentInformation, as the platform gave it."""

    transaction_id: str
    reference: str
    status: PlatformStatus
    status_url: str
    pay_url: str
    method: str
    amount_cents: int | None
    at: dt.datetime | None


def read_transaction(body: Any) -> PlatformAnswer:
    """A PaymentTransaction (or a bare paymentInformation, as FIT-Connect metadata has it)."""
    if not isinstance(body, dict):
        raise ValueError("not a payment transaction")
    information = body.get("paymentInformation", body)
    request = body.get("paymentRequest") or {}
    if not isinstance(information, dict) or not information.get("transactionId"):
        raise ValueError("paymentInformation.transactionId missing")
    amount = information.get("grossAmount", request.get("grosAmount"))
    stamp = information.get("transactionTimestamp")
    return PlatformAnswer(
        transaction_id=str(information["transactionId"]),
        reference=str(information.get("transactionReference") or "")[:40],
        status=PlatformStatus.parse(information.get("status", "INITIAL")),
        status_url=str(information.get("transactionUrl") or ""),
        pay_url=str(information.get("transactionRedirectUrl") or ""),
        method=str(information.get("paymentMethod") or ""),
        amount_cents=cents(amount),
        at=_instant(stamp),
    )


def _instant(text: object) -> dt.datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def portal_payment(
    metadata: Mapping[str, Any], now: dt.datetime, *, submission_id: str = ""
) -> PlatformPayment | None:
    """The portal's `paymentInformation` as the case's payment (its case_id still 0): asked
    about again while INITIAL; None where the portal collected nothing or said nothing we
    can read (the fee is then open, as for a counter case)."""
    information = metadata.get("paymentInformation")
    if not information:
        return None
    try:
        answer = read_transaction(information)
    except ValueError:
        return None
    return PlatformPayment(
        case_id=0,
        source=PaymentSource.PORTAL,
        request_id=submission_id or answer.transaction_id[:64],  # one per submission
        status=answer.status,
        amount_cents=answer.amount_cents,
        transaction_id=answer.transaction_id,
        reference=answer.reference,
        status_url=answer.status_url,
        method=answer.method,
        paid_at=(answer.at or now) if answer.status is PlatformStatus.BOOKED else None,
        next_check_at=None if answer.status.final else now,
    )
