"""Fees paid on the city's payment platform: the portal's payments recorded with their case,
payment links created for a case's open fee (once, whatever the network does), and the sync
that asks the platform about every payment still INITIAL and settles the case's fee when it is
booked. A booked amount that differs from the fee is a note on the case and leaves the fee
open (so nothing is released); a failed or cancelled payment leaves it open too."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from app.domain.audit import AuditEntry
from app.domain.cases import Case, Note, format_cents
from app.domain.catalogue import Catalogue
from app.domain.errors import DomainError
from app.domain.messages import render
from app.domain.notices import payment_link_notice
from app.domain.outbox import MessageState
from app.domain.payments import (
    PaymentSource,
    PlatformAnswer,
    PlatformPayment,
    PlatformStatus,
    Settlement,
    payment_request,
    settlement,
)
from app.domain.users import Role, User
from app.lanes import OnLane, in_place
from app.ports import AuditLog, CaseRepository, CitizenNotifier, Clock
from app.ports.payments import (
    PaymentPlatform,
    PaymentRepository,
    PlatformRefused,
    PlatformUnavailable,
)
from app.services.outbox import OutboxSender, messages_to

SYNC_ACTOR = "zahlungsabgleich"  # the platform's sync, as case events and audit name it


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What one sync did: payments asked, and how many came out how."""

    asked: int = 0
    booked: int = 0
    waiting: int = 0
    not_paid: int = 0
    amount_differs: int = 0
    unreachable: int = 0
    refused: int = 0

    def as_json(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class LinkNotice:
    """The payment link's notice: the channels it went by, and those it waits for."""

    sent: list[str]
    waiting: list[str]


class PaymentDesk:
    def __init__(
        self,
        *,
        payments: PaymentRepository,
        cases: CaseRepository,
        audit: AuditLog,
        clock: Clock,
        catalogue: Catalogue,
        platform: PaymentPlatform | None,
        notifier: CitizenNotifier | None = None,
        outbox: OutboxSender | None = None,
        redirect_url: str = "",
        database: OnLane = in_place,
        workers: int = 8,
    ) -> None:
        self.workers = workers
        # the platform and the notifier are asked on the caller's (network) lane; `database`
        # puts each call of `payments`, `cases` and `audit` on the database lane (in a command,
        # `in_place`)
        self.database = database
        self.payments, self.cases, self.audit = payments, cases, audit
        self.clock, self.catalogue, self.platform = clock, catalogue, platform
        # the link's notice goes through the outbox; `notifier` says by which channels
        self.notifier, self.outbox, self.redirect_url = notifier, outbox, redirect_url

    # --- recording ----------------------------------------------------------------------------

    def record_portal_payment(self, case: Case, answer: PlatformAnswer) -> PlatformPayment:
        """The portal's `paymentInformation` of a new case: kept, settled at once when it is
        booked, asked about again while it is INITIAL."""
        now = self.clock.now()
        payment = PlatformPayment(
            case_id=case.id,
            source=PaymentSource.PORTAL,
            request_id=answer.transaction_id[:64],
            status=answer.status,
            amount_cents=answer.amount_cents,
            transaction_id=answer.transaction_id,
            reference=answer.reference,
            status_url=answer.status_url,
            method=answer.method,
            paid_at=answer.at if answer.status is PlatformStatus.BOOKED else None,
            next_check_at=None if answer.status.final else now,
        )
        kept = self.database(self.payments.add, payment, at=now)
        self._settle(case, kept)
        return kept

    # --- links -------------------------------------------------------------------------------

    def create_link(self, *, user: User, case_id: int) -> PlatformPayment:
        """A payment on the platform for the case's open fee. The request is kept before it is
        sent: when the answer is lost, the sync sends it again under the same requestId."""
        user.require(Role.CLERK, "create payment link")
        if self.platform is None:
            raise DomainError("payment.not_configured")
        case = self.database(self.cases.get, case_id)
        if case.fee_cents == 0 or not case.fee_due:
            raise DomainError("payment.nothing_due", reference=case.reference)
        earlier = [
            p
            for p in self.database(self.payments.for_case, case_id)
            if p.source is PaymentSource.LINK
        ]
        waiting = next((p for p in earlier if p.status is PlatformStatus.INITIAL), None)
        if waiting is not None and waiting.created:
            return waiting  # one link at a time: the citizen already has it
        now = self.clock.now()
        payment = waiting or self.database(
            self.payments.add,
            PlatformPayment(
                case_id=case_id,
                source=PaymentSource.LINK,
                request_id=f"{case.reference}-L{len(earlier) + 1}",
                status=PlatformStatus.INITIAL,
                amount_cents=case.fee_cents,
                next_check_at=now,
            ),
            at=now,
        )
        self.database(
            self.audit.append,
            AuditEntry(user.login, "payment.link", case.reference, payment.request_id, now),
        )
        return self._create(case, payment)

    def send_link(self, *, user: User, case_id: int) -> LinkNotice:
        """The link to the citizen by mail and SMS: stored in the outbox with its audit record,
        then sent (network); what went at once and what waits for its relay or gateway.
        Nothing queued when the citizen gave neither address (the clerk may send it again)."""
        payment = self.for_case(case_id)
        if payment is None or not payment.pay_url or self.notifier is None or self.outbox is None:
            raise DomainError("payment.no_link")
        case = self.database(self.cases.get, case_id)
        service = self.catalogue.service(case.service_id).name_de
        notice = payment_link_notice(
            case=case, service=service, url=payment.pay_url, amount=format_cents(case.fee_cents)
        )
        messages = messages_to(case, notice, self.notifier)
        now = self.clock.now()
        audit = AuditEntry(
            user.login,
            "payment.link_sent",
            case.reference,
            ", ".join(m.channel.label for m in messages) or "not reached",
            now,
        )
        self.database(self.outbox.outbox.enqueue, messages, now, audit=audit)
        self.outbox.send_due()
        queued = self.database(self.outbox.outbox.for_case, case_id)
        states = {q.message.key: q.state for q in queued}
        return LinkNotice(
            sent=[m.channel.label for m in messages if states.get(m.key) is MessageState.SENT],
            waiting=[
                m.channel.label for m in messages if states.get(m.key) is MessageState.PENDING
            ],
        )

    def _create(self, case: Case, payment: PlatformPayment) -> PlatformPayment:
        assert self.platform is not None
        service = self.catalogue.service(case.service_id)
        request = payment_request(
            request_id=payment.request_id,
            reference=case.reference,
            service=service.name_de,
            fee_cents=case.fee_cents,
            booking=service.booking,
            redirect_url=self.redirect_url,
            at=self.clock.now(),
        )
        now = self.clock.now()
        try:
            answer = self.platform.create(request)
        except PlatformUnavailable as error:
            self.database(self.payments.save, payment.unanswered(at=now, problem=str(error.params)))
            raise
        created = replace(
            payment,
            transaction_id=answer.transaction_id,
            reference=answer.reference,
            status_url=answer.status_url,
            pay_url=answer.pay_url,
        ).answered(status=answer.status, at=now, amount_cents=answer.amount_cents)
        self.database(self.payments.save, created)
        return created

    # --- the sync ----------------------------------------------------------------------------

    def sync(self, *, limit: int = 1000) -> SyncReport:
        """Ask the platform about every payment due a question: the questions several at a
        time (`workers` threads of this lane), each answer stored as it comes, on the database
        lane, one after another: a sync killed halfway has lost nothing and repeats nothing."""
        if self.platform is None:
            raise DomainError("payment.not_configured")
        counts: Counter[str] = Counter()
        due = self.database(self.payments.due, self.clock.now(), limit=limit)
        prefix = f"{threading.current_thread().name}-payments"
        with ThreadPoolExecutor(self.workers, thread_name_prefix=prefix) as pool:
            for payment, answer in zip(due, pool.map(self._question, due), strict=True):
                counts["asked"] += 1
                counts[self._apply(payment, answer)] += 1
        return SyncReport(**{k: v for k, v in counts.items() if k in SyncReport.__slots__})

    def _question(self, payment: PlatformPayment) -> PlatformAnswer | DomainError | None:
        """The platform's answer about `payment` (network only); None for a link whose first
        answer was lost (it is created again, with the database, in `_apply`)."""
        assert self.platform is not None
        if payment.source is PaymentSource.LINK and not payment.created:
            return None
        try:
            return self.platform.status(
                transaction_id=payment.transaction_id, status_url=payment.status_url
            )
        except (PlatformUnavailable, PlatformRefused) as error:
            return error

    def _apply(self, payment: PlatformPayment, answer: PlatformAnswer | DomainError | None) -> str:
        now = self.clock.now()
        case = self.database(self.cases.get, payment.case_id)
        try:
            if answer is None:
                payment = self._create(case, payment)  # sent again under the same requestId
            elif isinstance(answer, DomainError):
                raise answer
        except PlatformUnavailable as error:
            self.database(self.payments.save, payment.unanswered(at=now, problem=str(error.params)))
            return "unreachable"
        except PlatformRefused as error:
            self.database(self.payments.save, payment.unanswered(at=now, problem=f"{error.code}"))
            return "refused"
        if isinstance(answer, PlatformAnswer):
            payment = payment.answered(
                status=answer.status,
                at=now,
                amount_cents=answer.amount_cents,
                reference=answer.reference,
                method=answer.method,
                paid_at=answer.at,
            )
            self.database(self.payments.save, payment)
        outcome = self._settle(case, payment)
        return "booked" if outcome is Settlement.PAID else outcome.value

    def _settle(self, case: Case, payment: PlatformPayment) -> Settlement:
        outcome = settlement(payment, case.fee_cents)
        if not case.fee_due:
            return outcome
        now = self.clock.now()
        if outcome is Settlement.PAID:
            changed, event = case.payment_booked(SYNC_ACTOR, payment.reference, now)
            self.database(self.cases.save, changed, event, expected_version=case.version)
        elif outcome is Settlement.AMOUNT_DIFFERS:
            text = render(
                "payment.amount_differs_note",
                "de",
                paid=format_cents(payment.amount_cents or 0),
                fee=format_cents(case.fee_cents),
                reference=payment.reference or "-",
            )
            self.database(self.cases.add_note, case.id, Note(SYNC_ACTOR, now, text))
        return outcome

    # --- reading -----------------------------------------------------------------------------

    def for_case(self, case_id: int) -> PlatformPayment | None:
        """The payment that counts for the case (its last), if it has one on the platform."""
        payments = self.database(self.payments.for_case, case_id)
        return payments[-1] if payments else None
