"""Platform payments in the database (app.ports.payments.PaymentRepository)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.domain.payments import PaymentSource, PlatformPayment, PlatformStatus
from app.store.database import Database, utc
from app.store.models import PlatformPaymentRow


def _payment(row: PlatformPaymentRow) -> PlatformPayment:
    return PlatformPayment(
        case_id=row.case_id,
        source=PaymentSource(row.source),
        request_id=row.request_id,
        status=PlatformStatus(row.status),
        amount_cents=row.amount_cents,
        transaction_id=row.transaction_id,
        reference=row.reference,
        status_url=row.status_url,
        pay_url=row.pay_url,
        method=row.method,
        paid_at=utc(row.paid_at) if row.paid_at else None,
        checked_at=utc(row.checked_at) if row.checked_at else None,
        next_check_at=utc(row.next_check_at) if row.next_check_at else None,
        checks=row.checks,
        problem=row.problem,
    )


def _values(payment: PlatformPayment) -> dict[str, object]:
    return {
        "status": payment.status.value,
        "amount_cents": payment.amount_cents,
        "transaction_id": payment.transaction_id,
        "reference": payment.reference,
        "status_url": payment.status_url,
        "pay_url": payment.pay_url,
        "method": payment.method[:32],
        "paid_at": payment.paid_at,
        "checked_at": payment.checked_at,
        "next_check_at": payment.next_check_at,
        "checks": payment.checks,
        "problem": payment.problem[:200],
    }


def payment_row(payment: PlatformPayment, *, at: dt.datetime) -> PlatformPaymentRow:
    return PlatformPaymentRow(
        case_id=payment.case_id,
        source=payment.source.value,
        request_id=payment.request_id,
        created_at=at,
        **_values(payment),
    )


class SqlPaymentRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    def add(self, payment: PlatformPayment, *, at: dt.datetime) -> PlatformPayment:
        try:
            with self._db.writing() as session:
                session.add(payment_row(payment, at=at))
            return payment
        except IntegrityError:  # kept already: the first one stands
            with self._db.reading() as session:
                row = session.execute(
                    select(PlatformPaymentRow).where(
                        PlatformPaymentRow.request_id == payment.request_id
                    )
                ).scalar_one()
                return _payment(row)

    def save(self, payment: PlatformPayment) -> None:
        with self._db.writing() as session:
            row = session.execute(
                select(PlatformPaymentRow).where(
                    PlatformPaymentRow.request_id == payment.request_id
                )
            ).scalar_one()
            for name, value in _values(payment).items():
                setattr(row, name, value)

    def for_case(self, case_id: int) -> list[PlatformPayment]:
        with self._db.reading() as session:
            rows = session.execute(
                select(PlatformPaymentRow)
                .where(PlatformPaymentRow.case_id == case_id)
                .order_by(PlatformPaymentRow.id)
            ).scalars()
            return [_payment(row) for row in rows]

    def due(self, now: dt.datetime, *, limit: int) -> list[PlatformPayment]:
        with self._db.reading() as session:
            rows = session.execute(
                select(PlatformPaymentRow)
                .where(
                    PlatformPaymentRow.status == PlatformStatus.INITIAL.value,
                    PlatformPaymentRow.next_check_at <= now,
                )
                .order_by(PlatformPaymentRow.next_check_at, PlatformPaymentRow.id)
                .limit(limit)
            ).scalars()
            return [_payment(row) for row in rows]
