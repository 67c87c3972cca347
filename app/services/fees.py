"""A case's fee taken at the counter: in cash or by card through the till (a receipt number,
the journal), or recorded as paid elsewhere or by a fee notice; and what the case view shows of
its payments (the platform's and the till's)."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.cases import Case, PaymentState, format_cents
from app.domain.errors import DomainError
from app.domain.payments import PlatformPayment
from app.domain.till import TillEntry, TillMethod
from app.domain.users import User
from app.ports import CaseRepository, Clock
from app.ports.payments import PaymentRepository
from app.ports.till import TillJournal
from app.services.till import TillDesk

# what the fee dialog offers, in its order: taken, recorded, or the fee itself changed
WAYS = ("cash", "card", "paid", "fee_notice", "reduced", "exempt")


@dataclass(frozen=True, slots=True)
class PaymentHistory:
    platform: tuple[PlatformPayment, ...]
    till: tuple[TillEntry, ...]


class FeeDesk:
    def __init__(
        self,
        *,
        cases: CaseRepository,
        journal: TillJournal,
        payments: PaymentRepository,
        clock: Clock,
        counter: str,
    ) -> None:
        self.cases, self.payments, self.clock, self.counter = cases, payments, clock, counter
        self.till = TillDesk(journal=journal, cases=cases, clock=clock)

    def take(
        self,
        *,
        user: User,
        case_id: int,
        way: str,
        reference: str = "",
        fee_cents: int | None = None,
        reason: str = "",
    ) -> Case:
        """`way`: cash or card at this seat's till (the receipt number becomes the payment's
        reference), paid elsewhere / a fee notice with the reference the clerk typed, or the
        fee reduced (to `fee_cents`) or waived, with the reason."""
        if way in ("reduced", "exempt"):
            case = self.cases.get(case_id)
            new_fee = 0 if way == "exempt" else fee_cents
            if new_fee is None:
                raise DomainError("case.fee_not_adjustable", fee=format_cents(case.fee_cents))
            changed, event = case.adjust_fee(user, new_fee, reason, self.clock.now())
            return self.cases.save(changed, event, expected_version=case.version)
        if way in (TillMethod.CASH.value, TillMethod.CARD.value):
            self.till.pay(user=user, case_id=case_id, method=TillMethod(way), counter=self.counter)
            return self.cases.get(case_id)
        case = self.cases.get(case_id)
        changed, event = case.record_payment(user, PaymentState(way), reference, self.clock.now())
        return self.cases.save(changed, event, expected_version=case.version)

    def history(self, case_id: int) -> PaymentHistory:
        return PaymentHistory(
            tuple(self.payments.for_case(case_id)),
            tuple(self.till.journal.entries_for_case(case_id)),
        )
