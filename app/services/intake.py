"""Online intake: pull submissions, turn each into a case or quarantine it, and tell the portal.

Crash-safe by order: everything is stored (case or quarantine, with the event still to send)
before the portal hears of it; a restart first sends what was stored but not yet answered.
Idempotent on the submission id; one seat at a time holds the 'intake' lease."""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from app.domain.cases import (
    CaseEvent,
    CaseStatus,
    Channel,
    NewAttachment,
    format_cents,
)
from app.domain.catalogue import Catalogue
from app.domain.errors import DomainError
from app.domain.identity import IdentityLevel
from app.domain.intake import (
    QUARANTINED,
    IntakeRecord,
    Lease,
    PendingSubmission,
    Problem,
    ReceivedSubmission,
    SubmissionRejected,
)
from app.domain.messages import render
from app.domain.new_case import NewCase, clean_form, new_case
from app.domain.payments import PlatformPayment, Settlement, portal_payment, settlement
from app.domain.working_days import WorkingCalendar
from app.lanes import OnLane, in_place
from app.ports import Clock, IntakeStore, SubmissionSource
from app.services.leases import never_abandoned, take_lease

LEASE = "intake"
MARK_SENT_BATCH = 8  # answers recorded together while a pull runs
LEASE_SECONDS = 30  # short: a seat that dies blocks the others for no longer
LEASE_RENEW_SECONDS = 10  # renewed this often while a pull runs, checked before each store
EIDAS_LEVELS = {
    "low": IdentityLevel.BASIC,
    "substantial": IdentityLevel.SUBSTANTIAL,
    "high": IdentityLevel.HIGH,
}


@dataclass
class IntakeResult:
    received: int = 0
    quarantined: int = 0
    replies: int = 0
    skipped: int = 0
    events_sent: int = 0
    busy: bool = False  # another seat held the lease: it is `busy_holder`'s until `busy_until`
    busy_holder: str = ""
    busy_until: dt.datetime | None = None
    lease_lost: bool = False  # another seat took the lease mid-pull: this one stopped storing
    cases: list[str] = field(default_factory=list)
    forms: int = 0  # of `received`, cases from the paper channel
    portal: bool = True  # the portal was pulled (False: this seat has only the paper channel)
    paper_problem: DomainError | None = None  # the paper channel failed (mailbox unreachable)


def identity_level(metadata: dict[str, Any]) -> IdentityLevel:
    """The level the portal's identification report states; NONE when it states nothing."""
    best = IdentityLevel.NONE
    for report in metadata.get("authenticationInformation", []):
        try:
            payload = report["content"].split(".")[1]
            claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except (KeyError, IndexError, ValueError):
            continue
        level = EIDAS_LEVELS.get(str(claims.get("eidasLevel", "")).lower(), IdentityLevel.NONE)
        best = max(best, level)
    return best


def to_case(
    received: ReceivedSubmission,
    *,
    catalogue: Catalogue,
    calendar: WorkingCalendar,
    office_id: int,
    now: dt.datetime,
) -> tuple[NewCase, list[NewAttachment], PlatformPayment | None]:
    """Map a checked submission to a new case and the portal's payment (its case_id still 0);
    SubmissionRejected if the service's rules fail."""
    service_id = str(received.extra["service_id"])
    service = catalogue.service(service_id)
    form = clean_form(received.data)
    reply = received.metadata.get("replyChannel", {}).get("eMail", {}).get("address", "")
    if reply and not form.get("email"):
        form["email"] = str(reply).strip()
    errors = catalogue.validate(service_id, form, today=now.date())
    if errors:
        first = errors[0]
        reason = f"{first.field}: {render(first.key, 'en', **dict(first.params))}"
        family, given = form.get("family_name", ""), form.get("given_names", "")
        raise SubmissionRejected(
            Problem.DATA_SCHEMA,
            reason,
            instance="data",
            raw=received.raw,
            service=service.name_de,
            applicant=f"{family}, {given}".strip(", "),
        )
    fee = service.fee.compute(form)
    payment = portal_payment(received.metadata, now, submission_id=received.submission_id)
    notes = received.notes
    paid = payment is not None and settlement(payment, fee) is Settlement.PAID
    if payment is not None and settlement(payment, fee) is Settlement.AMOUNT_DIFFERS:
        notes += (
            render(
                "payment.amount_differs_note",
                "de",
                paid=format_cents(payment.amount_cents or 0),
                fee=format_cents(fee),
                reference=payment.reference or "-",
            ),
        )
    draft = new_case(
        service=service,
        form=form,
        channel=Channel.ONLINE,
        office_id=office_id,
        now=now,
        calendar=calendar,
        identity_verified=identity_level(received.metadata),
        paid=paid,
        payment_reference=payment.reference if payment else "",
        submission_id=received.submission_id,
        notes=notes,
    )
    attachments = [NewAttachment(a.filename, a.media_type, a.content) for a in received.attachments]
    return draft, attachments, payment


def accepted_record(
    received: ReceivedSubmission, now: dt.datetime, *, case_id: int | None = None, detail: str = ""
) -> IntakeRecord:
    """A taken submission, with the accept event still to send."""
    return IntakeRecord(
        submission_id=received.submission_id,
        fit_case_id=received.fit_case_id,
        state="accepted",
        case_id=case_id,
        problem="",
        detail=detail,
        event_payload=json.dumps({"accept": received.authentication_tags}),
        event_sent=False,
        received_at=now,
    )


def quarantined_record(
    submission_id: str, fit_case_id: str, rejected: SubmissionRejected, now: dt.datetime
) -> IntakeRecord:
    """A refused submission, with the reject event still to send."""
    problem = rejected.problem.value
    return IntakeRecord(
        submission_id=submission_id,
        fit_case_id=fit_case_id,
        state=QUARANTINED,
        case_id=None,
        problem=problem,
        detail=rejected.detail,
        event_payload=json.dumps({"reject": [[problem, rejected.detail, rejected.instance]]}),
        event_sent=False,
        received_at=now,
        service=rejected.service,
        applicant=rejected.applicant,
    )


class Intake:
    """One intake worker (a seat's background lane, or the headless `buergerbuero intake`)."""

    def __init__(
        self,
        *,
        source: SubmissionSource,
        store: IntakeStore,
        catalogue: Catalogue,
        calendar: WorkingCalendar,
        clock: Clock,
        office_id: int,
        holder: str,
        workers: int = 4,
        abandoned: Callable[[str], bool] = never_abandoned,
        monotonic: Callable[[], float] = time.monotonic,
        database: OnLane = in_place,
    ) -> None:
        # the pull runs on the network lane; `database` puts each call of `store` on the
        # database lane (in a command, `in_place`)
        self.database = database
        self.abandoned, self.monotonic = abandoned, monotonic
        self._renewed_at = 0.0
        self.workers = workers
        self.source = source
        self.store = store
        self.catalogue, self.calendar = catalogue, calendar
        self.clock = clock
        self.office_id = office_id
        self.holder = holder

    def _lease(self) -> Lease:
        lease = self.database(
            take_lease,
            self.store,
            LEASE,
            self.holder,
            seconds=LEASE_SECONDS,
            abandoned=self.abandoned,
        )
        self._renewed_at = self.monotonic()
        return lease

    def _keep_lease(self, result: IntakeResult) -> bool:
        """Renew the lease when it is due; False (and `result.lease_lost`) when another seat
        has it now: then nothing more is stored, the rest stays at the portal."""
        if not result.lease_lost and self.monotonic() - self._renewed_at >= LEASE_RENEW_SECONDS:
            lease = self._lease()
            if not lease.held:
                result.lease_lost = True
                result.busy_holder, result.busy_until = lease.holder, lease.until
        return not result.lease_lost

    def run_once(
        self,
        progress: Callable[[int, int], None] | None = None,
        stop: Callable[[], bool] = lambda: False,
    ) -> IntakeResult:
        """One pull. Downloads and decryption run a few at a time (they wait on the network and
        on RSA, which leaves the interpreter free); storing is serial, in the portal's order.
        When `stop()` turns true (the window closes) no further submission is taken: what was
        not stored stays at the portal for the next pull."""
        result = IntakeResult()
        lease = self._lease()
        if not lease.held:
            result.busy = True
            result.busy_holder, result.busy_until = lease.holder, lease.until
            return result
        try:
            # the pool's threads belong to the lane this pull runs on (their names say so)
            prefix = f"{threading.current_thread().name}-intake"
            with ThreadPoolExecutor(self.workers, thread_name_prefix=prefix) as pool:
                for record in self.database(self.store.unsent_events):
                    self._send(record)
                    self.database(self.store.mark_events_sent, [record.submission_id])
                    result.events_sent += 1
                pending = [p for p in self.source.pending()]
                taken = self.database(self.store.known_ids, [p.submission_id for p in pending])
                fresh = [p for p in pending if p.submission_id not in taken]
                result.skipped = len(pending) - len(fresh)
                window: deque[tuple[PendingSubmission, Future[ReceivedSubmission]]] = deque()
                answers: list[Future[str]] = []
                done = 0
                for item in fresh:
                    if stop() or not self._keep_lease(result):
                        break
                    window.append((item, pool.submit(self.source.receive, item)))
                    if len(window) > 2 * self.workers:
                        answers.append(
                            pool.submit(self._send, self._take(*window.popleft(), result))
                        )
                        done += 1
                        self._progress(progress, done, len(fresh))
                        answers = self._mark_sent(answers, result, wait=False)
                while window:
                    if stop() or not self._keep_lease(result):
                        for _item, download in window:
                            download.cancel()
                        break
                    answers.append(pool.submit(self._send, self._take(*window.popleft(), result)))
                    done += 1
                    self._progress(progress, done, len(fresh))
                self._mark_sent(answers, result, wait=True)
        finally:
            if not result.lease_lost:
                self.database(self.store.release_lease, LEASE, self.holder)
        return result

    def _progress(self, progress: Callable[[int, int], None] | None, done: int, total: int) -> None:
        if progress:
            progress(done, total)

    def _take(
        self, pending: PendingSubmission, download: Future[ReceivedSubmission], result: IntakeResult
    ) -> IntakeRecord:
        submission_id, fit_case_id = pending.submission_id, pending.fit_case_id
        now = self.clock.now()
        try:
            received = download.result()
            if received.extra.get("reply"):
                return self._take_reply(received, now, result)
            draft, attachments, payment = to_case(
                received,
                catalogue=self.catalogue,
                calendar=self.calendar,
                office_id=self.office_id,
                now=now,
            )
        except SubmissionRejected as rejected:
            record = quarantined_record(submission_id, fit_case_id, rejected, now)
            self.database(self.store.quarantine, record, rejected.raw)
            result.quarantined += 1
            return record
        record = accepted_record(received, now)
        event = CaseEvent("open", "portal", now, None, CaseStatus.RECEIVED, Channel.ONLINE.value)
        case = self.database(self.store.store_case, record, draft, event, attachments, payment)
        result.received += 1
        result.cases.append(case.reference)
        return record

    def _take_reply(
        self, received: ReceivedSubmission, now: dt.datetime, result: IntakeResult
    ) -> IntakeRecord:
        case_id = self.database(self.store.case_for, received.fit_case_id)
        if case_id is None:
            raise SubmissionRejected(
                Problem.UNKNOWN_CASE, received.fit_case_id, instance="metadata", raw=received.raw
            )
        record = accepted_record(received, now, case_id=case_id, detail="reply")
        attachments = [
            NewAttachment(a.filename, a.media_type, a.content) for a in received.attachments
        ]
        case = self.database(
            self.store.store_reply,
            record,
            case_id,
            str(received.data.get("message", "")),
            attachments,
        )
        result.replies += 1
        result.cases.append(case.reference)
        return record

    def _send(self, record: IntakeRecord) -> str:
        """Sign and post the answer (a pool thread); the database is written by the caller."""
        payload = json.loads(record.event_payload)
        if "accept" in payload:
            self.source.accept(record.submission_id, record.fit_case_id, payload["accept"])
        else:
            problems = [(Problem(p), detail, instance) for p, detail, instance in payload["reject"]]
            self.source.reject(record.submission_id, record.fit_case_id, problems)
        return record.submission_id

    def _mark_sent(
        self, answers: list[Future[str]], result: IntakeResult, *, wait: bool
    ) -> list[Future[str]]:
        """Record the answers that went out, in one write from this thread (SQLite has one
        writer at a time; pool threads writing too would only queue for its lock). An answer
        sent but not yet recorded when the process dies is sent again on the next pull, and
        the portal's 409 for a decided submission is taken as done."""
        finished = [a for a in answers if wait or a.done()]
        if not wait and len(finished) < MARK_SENT_BATCH:
            return answers  # a commit per answer cost more than the answer: gather a few first
        sent = [answer.result() for answer in finished]  # a portal gone mid-way raises here
        if sent:
            self.database(self.store.mark_events_sent, sent)
            result.events_sent += len(sent)
        return [a for a in answers if a not in finished]
