"""The clerk's desk: inbox, opening a case, claiming, deciding, notes, walk-in cases.

Role checks live here and in the domain, not in the UI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from app.domain.audit import AuditEntry
from app.domain.cases import (
    AttachmentInfo,
    Case,
    CaseEvent,
    CaseStatus,
    Channel,
    NewAttachment,
    Note,
    PaymentState,
)
from app.domain.catalogue import Catalogue, FieldError
from app.domain.errors import ConcurrentChange, DomainError, TransitionRefused
from app.domain.identity import TAKE_OVER_WINDOW, IdentityCheck, IdentityLevel
from app.domain.inbox import InboxQuery, InboxRow
from app.domain.new_case import clean_form, entered_data, new_case
from app.domain.notices import Citizen, Notice, question_notice
from app.domain.outbox import messages_for
from app.domain.users import Role, User
from app.domain.working_days import WorkingCalendar
from app.ports import AuditLog, CaseRepository, CitizenNotifier, Clock, UserDirectory
from app.services.fees import FeeDesk, PaymentHistory
from app.services.outbox import OutboxSender, SendReport


class FormInvalid(DomainError):
    """A form with field errors; `errors` lists each field and why."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("field.required")
        self.errors = errors


@dataclass(frozen=True, slots=True)
class CaseDetails:
    """Everything the case view shows, loaded in one go on the database lane."""

    case: Case
    history: tuple[CaseEvent, ...]
    notes: tuple[Note, ...]
    attachments: tuple[AttachmentInfo, ...]
    payments: PaymentHistory | None = None  # the platform's and the till's, where wired


@dataclass(frozen=True, slots=True)
class IdentityOffer:
    """An identity check of the same sitting that the case at hand may take over."""

    case_id: int
    reference: str
    at: dt.datetime
    check: IdentityCheck


@dataclass(frozen=True)
class Question:
    """A question to the citizen, checked and written, waiting to be mailed and recorded."""

    case: Case
    changed: Case
    event: CaseEvent
    notice: Notice


class CaseDesk:
    """Use cases on cases; every call names the acting user."""

    def __init__(
        self,
        *,
        cases: CaseRepository,
        users: UserDirectory,
        audit: AuditLog,
        clock: Clock,
        catalogue: Catalogue,
        calendar: WorkingCalendar,
        notifier: CitizenNotifier,
    ) -> None:
        self.calendar = calendar
        self.notifier = notifier
        self.cases = cases
        self.users = users
        self.audit = audit
        self.clock = clock
        self.catalogue = catalogue
        self.fees: FeeDesk | None = None  # the till and the platform's payments, where wired
        self.outbox: OutboxSender | None = None  # sends what a change queued, where wired

    # --- inbox --------------------------------------------------------------------------------

    def inbox_page(self, query: InboxQuery, *, offset: int, limit: int) -> list[InboxRow]:
        return self.cases.page(query, offset=offset, limit=limit)

    def inbox_count(self, query: InboxQuery, *, cap: int | None = None) -> int:
        return self.cases.count(query, cap=cap)

    def received_before(self, *, older_than_days: int) -> dt.datetime:
        return self.clock.now() - dt.timedelta(days=older_than_days)

    def overdue_before(self, service_id: str) -> dt.datetime:
        """Open cases of the service received before this are past their due day (the
        working-day calendar the dashboard's SLA figures use)."""
        return self.calendar.late_before(service_id, self.clock.now())

    # --- reading a case -----------------------------------------------------------------------

    def open_case(self, *, user: User, case_id: int) -> CaseDetails:
        """Load a case with its personal data; the opening itself is audited (§ 40 BMG)."""
        user.require(Role.CLERK, "open case")
        case = self.cases.get(case_id)
        self.audit.append(
            AuditEntry(
                user.login, "case.viewed", case.reference, "personal data shown", self.clock.now()
            )
        )
        return CaseDetails(
            case=case,
            history=tuple(self.cases.history(case_id)),
            notes=tuple(self.cases.notes(case_id)),
            attachments=tuple(self.cases.attachments(case_id)),
            payments=self.fees.history(case_id) if self.fees else None,
        )

    def attachment_content(self, *, user: User, case_id: int, attachment_id: int) -> bytes:
        user.require(Role.CLERK, "open attachment")
        case = self.cases.get(case_id)
        self.audit.append(
            AuditEntry(
                user.login,
                "case.attachment_viewed",
                case.reference,
                str(attachment_id),
                self.clock.now(),
            )
        )
        return self.cases.attachment_content(attachment_id)

    # --- transitions --------------------------------------------------------------------------

    def _transition(
        self, case_id: int, change: Callable[[Case, dt.datetime], tuple[Case, CaseEvent]]
    ) -> Case:
        case = self.cases.get(case_id)
        changed, event = change(case, self.clock.now())
        return self.cases.save(changed, event, expected_version=case.version)

    def claim(self, *, user: User, case_id: int) -> Case:
        """Take a case; exactly one of two clerks racing for it wins (conditional UPDATE)."""
        try:
            return self._transition(case_id, lambda case, at: case.claim(user, at))
        except ConcurrentChange:
            current = self.cases.get(case_id)
            if current.status is CaseStatus.IN_PROGRESS and current.assignee != user.login:
                raise TransitionRefused(
                    "case.claimed_by_other", reference=current.reference, assignee=current.assignee
                ) from None
            raise

    def hand_over(self, *, user: User, case_id: int) -> Case:
        """The citizen took the printed original at the counter."""
        return self._transition(case_id, lambda case, at: case.hand_over(user, at))

    def release(self, *, user: User, case_id: int) -> Case:
        return self._transition(case_id, lambda case, at: case.release(user, at))

    def reassign(self, *, user: User, case_id: int, to_login: str, reason: str = "") -> Case:
        user.require(Role.SUPERVISOR, "reassign")
        target = self.users.by_login(to_login)
        if target is None:
            raise DomainError("user.target_unknown", login=to_login)
        return self._transition(case_id, lambda case, at: case.reassign(user, target, at, reason))

    def verify_identity(
        self,
        *,
        user: User,
        case_id: int,
        level: IdentityLevel,
        method: str,
        document: str = "",
        note: str = "",
    ) -> Case:
        return self._transition(
            case_id,
            lambda case, at: case.verify_identity(
                user, level, method, at, document=document, note=note
            ),
        )

    def identity_offer(self, *, user: User, case_id: int) -> IdentityOffer | None:
        """The check this clerk made at the counter on another case of the same person within
        the sitting (TAKE_OVER_WINDOW), if any: the identity dialog offers to take it over."""
        case = self.cases.get(case_id)
        since = self.clock.now() - TAKE_OVER_WINDOW
        for source, made in self.cases.identity_checks(actor=user.login, since=since):
            check = IdentityCheck.from_reason(made.reason)
            if (
                check is not None
                and check.reusable
                and source.id != case.id
                and case.applicant.is_same_person(source.applicant)
            ):
                return IdentityOffer(source.id, source.reference, made.at, check)
        return None

    def take_over_identity(self, *, user: User, case_id: int, source_case_id: int) -> Case:
        """Record the offered check on this case too (its event and audit record name the
        case it came from); refused when it is no longer within the sitting."""
        since = self.clock.now() - TAKE_OVER_WINDOW
        made = next(
            (
                (source, event)
                for source, event in self.cases.identity_checks(actor=user.login, since=since)
                if source.id == source_case_id
            ),
            None,
        )
        if made is None:
            raise TransitionRefused("case.identity_not_transferable", reference="-")
        return self._transition(
            case_id, lambda case, at: case.take_over_identity(user, made[0], made[1], at)
        )

    def record_payment(
        self, *, user: User, case_id: int, state: PaymentState, reference: str = ""
    ) -> Case:
        return self._transition(
            case_id, lambda case, at: case.record_payment(user, state, reference, at)
        )

    def release_unpaid(self, *, user: User, case_id: int, reason: str) -> Case:
        return self._transition(case_id, lambda case, at: case.release_unpaid(user, reason, at))

    def approve(self, *, user: User, case_id: int) -> Case:
        return self._transition(case_id, lambda case, at: case.approve(user, at))

    def reject(self, *, user: User, case_id: int, reason: str) -> Case:
        return self._transition(case_id, lambda case, at: case.reject(user, reason, at))

    def ask_citizen(self, *, user: User, case_id: int, question: str) -> Case:
        """Ask the citizen a question through the reply channel (e-mail); the case waits.

        The case's change and the mail are stored together (the outbox); the mail goes out
        at once where the relay answers, else when it is back. The window runs the steps on
        their lanes: prepare and record (database), then the outbox (network)."""
        prepared = self.prepare_question(user=user, case_id=case_id, question=question)
        waiting = self.record_question(prepared)
        self.send_outbox()
        return waiting

    def send_outbox(self, _after: object = None) -> SendReport | None:
        """What the outbox holds due, sent now (network lane): after a change queued a
        message, so it goes at once where the relay answers."""
        return self.outbox.send_due() if self.outbox is not None else None

    def prepare_question(self, *, user: User, case_id: int, question: str) -> Question:
        """Check that the question may be asked and write the mail (database only)."""
        if not self.notifier.can_mail:
            raise DomainError("mail.not_configured")
        case = self.cases.get(case_id)
        changed, event = case.ask_citizen(user, question, self.clock.now())
        service = self.catalogue.service(case.service_id).name_de
        notice = question_notice(case=case, service=service, question=question)
        return Question(case=case, changed=changed, event=event, notice=notice)

    def record_question(self, question: Question) -> Case:
        """The case waits for the answer, its mail in the outbox (database only)."""
        messages = messages_for(
            Citizen.of(question.case),
            question.notice,
            case_id=question.case.id,
            textable=False,  # a question is read and answered by mail
            can_mail=True,
        )
        return self.cases.save(
            question.changed,
            question.event,
            expected_version=question.case.version,
            messages=messages,
        )

    def record_answer(self, *, user: User, case_id: int, channel: str, summary: str) -> Case:
        """An answer the citizen gave by phone, at the counter, by mail or letter (or none:
        the clerk goes on without one); the case is back in progress."""
        return self._transition(
            case_id, lambda case, at: case.record_answer(user, channel, summary, at)
        )

    @property
    def can_ask_citizen(self) -> bool:
        return self.notifier.can_mail

    def add_note(self, *, user: User, case_id: int, text: str) -> Note:
        user.require(Role.CLERK, "add note")
        if not text.strip():
            raise DomainError("case.note_empty")
        note = Note(user.login, self.clock.now(), text.strip())
        self.cases.add_note(case_id, note)
        return note

    def enter_data(self, *, user: User, case_id: int, form: Mapping[str, str]) -> Case:
        """The clerk typed a scanned paper form's data: validated like a form that came filled
        in (FormInvalid lists what is wrong), then the case has its applicant, values and fee."""
        user.require(Role.CLERK, "enter data")
        case = self.cases.get(case_id)
        clean = clean_form(form)
        errors = self.validate_form(case.service_id, clean)
        if errors:
            raise FormInvalid(errors)
        entered = entered_data(service=self.catalogue.service(case.service_id), form=clean)
        changed, event = case.enter_data(user, entered, self.clock.now())
        return self.cases.save_entered_data(changed, event, expected_version=case.version)

    # --- new cases ----------------------------------------------------------------------------

    def validate_form(self, service_id: str, form: Mapping[str, str]) -> list[FieldError]:
        return self.catalogue.validate(service_id, form, today=self.clock.now().date())

    def open_walk_in(
        self,
        *,
        user: User,
        service_id: str,
        form: Mapping[str, str],
        office_id: int | None = None,
        attachments: tuple[NewAttachment, ...] = (),
        claim: bool = False,
    ) -> Case:
        """Open a case for a citizen at the counter; the same pipeline as online cases. With
        `claim` (the counter's dialog) the clerk who opened it keeps working on it with the
        citizen at the desk: it is claimed for them at once (two events: opened, claimed)."""
        user.require(Role.CLERK, "open walk-in case")
        opened = self._open(
            user=user,
            service_id=service_id,
            form=form,
            channel=Channel.COUNTER,
            office_id=office_id if office_id is not None else user.office_id,
            identity_verified=IdentityLevel.NONE,
            attachments=attachments,
        )
        return self.claim(user=user, case_id=opened.id) if claim else opened

    def _open(
        self,
        *,
        user: User,
        service_id: str,
        form: Mapping[str, str],
        channel: Channel,
        office_id: int,
        identity_verified: IdentityLevel,
        attachments: tuple[NewAttachment, ...] = (),
        submission_id: str | None = None,
    ) -> Case:
        clean = clean_form(form)
        errors = self.validate_form(service_id, clean)
        if errors:
            raise FormInvalid(errors)
        now = self.clock.now()
        draft = new_case(
            service=self.catalogue.service(service_id),
            form=clean,
            channel=channel,
            office_id=office_id,
            now=now,
            calendar=self.calendar,
            identity_verified=identity_verified,
            submission_id=submission_id,
        )
        event = CaseEvent("open", user.login, now, None, CaseStatus.RECEIVED, channel.value)
        return self.cases.add(draft, event, attachments)
