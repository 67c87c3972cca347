"""Issuing originals and recording their printing: approve → reserve a number → seal → record
→ print.

Sealing (an HSM signature, a TSA request) runs outside any database transaction: the number is
reserved in one short transaction, the original sealed (on the window's printing lane), then
stored in a second. A seal that fails voids the number with the reason; a seat that ends while
sealing leaves a reservation that the next one voids as stale. So every number of the year is
accounted for, issued or void, and no writer waits for a slow TSA. Printing itself happens in the
UI's print lane; this records what was printed, and the first print of an approved case moves it
to PRINTED."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from app.domain.audit import AuditEntry
from app.domain.cases import TRANSITIONS, Case, Transition
from app.domain.catalogue import Catalogue
from app.domain.documents import (
    DocumentContent,
    DocumentKind,
    IssuedDocument,
    Issuer,
    MadeDocument,
    PrintRecord,
    RegisterEntry,
    RegisterFacts,
    RegisterField,
    RegisterSource,
    Reservation,
    document_content,
    kind_for,
    missing_facts,
    register_fields,
    require_register_facts,
)
from app.domain.errors import DomainError
from app.domain.users import Role, User
from app.ports import (
    AuditLog,
    CaseRepository,
    Clock,
    DocumentMaker,
    DocumentRegister,
    PopulationRegister,
    RegisterConfirmations,
)

IssuerFor = Callable[[Case, User], Issuer]


# a reservation older than this was left by a seat that ended while sealing (a TSA answers
# within its 10 s timeout, a token within seconds)
STALE_AFTER = dt.timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class RegisterForm:
    """What the case's original needs from the register, and what is known of it so far.
    `from_adapter`: this seat asks the population register itself, no clerk types anything."""

    case_id: int
    fields: tuple[RegisterField, ...]
    current: RegisterFacts | None
    from_adapter: bool

    @property
    def needed(self) -> bool:
        return bool(self.fields) and not self.from_adapter

    @property
    def missing(self) -> tuple[str, ...]:
        """The labels of required facts not confirmed yet."""
        return missing_facts(self.fields, self.current.facts if self.current else {})

    @property
    def complete(self) -> bool:
        return self.current is not None and not self.missing


@dataclass(frozen=True, slots=True)
class PendingOriginal:
    """A reserved number and what the original under it will say, waiting to be sealed."""

    reservation: Reservation
    content: DocumentContent


def _iso_date(value: str, field: RegisterField) -> str:
    for form in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, form).date().isoformat()
        except ValueError:
            continue
    raise DomainError("document.register_date_invalid", label=field.label, value=value)


def failure_reason(error: BaseException) -> str:
    """Why a number was voided, as the register shows it (no personal data: the seal's and
    the TSA's errors name keys and services, not people)."""
    text = error.text() if isinstance(error, DomainError) else str(error)
    return (text or type(error).__name__)[:500]


class DocumentDesk:
    def __init__(
        self,
        *,
        cases: CaseRepository,
        register: DocumentRegister,
        audit: AuditLog,
        clock: Clock,
        catalogue: Catalogue,
        maker: DocumentMaker,
        issuer_for: IssuerFor,
        confirmations: RegisterConfirmations,
        population_register: PopulationRegister | None = None,
    ) -> None:
        """Without a `population_register` adapter, the register facts an original needs are
        the ones a clerk confirmed on the case; without those, no original is issued."""
        self.cases, self.register, self.audit, self.clock = cases, register, audit, clock
        self.catalogue, self.maker = catalogue, maker
        self.issuer_for = issuer_for
        self.confirmations, self.population_register = confirmations, population_register

    # --- the register's facts -----------------------------------------------------------------

    def _service_kind(self, case: Case) -> DocumentKind | None:
        try:
            return DocumentKind(self.catalogue.service(case.service_id).document)
        except ValueError:
            return None

    def register_form(self, *, user: User, case_id: int) -> RegisterForm:
        user.require(Role.CLERK, "read register facts")
        case = self.cases.get(case_id)
        kind = self._service_kind(case)
        fields = register_fields(kind, case.data) if kind is not None else ()
        current = self.confirmations.latest(case_id) if fields else None
        return RegisterForm(case_id, fields, current, self.population_register is not None)

    def confirm_register_facts(
        self, *, user: User, case_id: int, values: Mapping[str, str]
    ) -> RegisterFacts:
        """The clerk read these in the register: stored as "from the register, confirmed by"
        them, and audited. Dates may be typed as dd.mm.yyyy."""
        user.require(Role.CLERK, "confirm register facts")
        case = self.cases.get(case_id)
        kind = self._service_kind(case)
        fields = {f.key: f for f in register_fields(kind, case.data)} if kind else {}
        facts: dict[str, str] = {}
        for key, raw in values.items():
            field = fields.get(key)
            if field is None:
                raise DomainError("document.register_field_unknown", field=key)
            value = " ".join(raw.split())
            if value and field.date:
                value = _iso_date(value, field)
            if value:
                facts[key] = value
        if kind is not None:
            require_register_facts(case, kind, facts)
        confirmed = RegisterFacts(
            case_id=case_id,
            facts=facts,
            source=RegisterSource.CONFIRMED,
            confirmed_by=user.login,
            confirmed_at=self.clock.now(),
        )
        return self.confirmations.confirm(confirmed, case_reference=case.reference)

    def _register_answer(self, case: Case) -> Mapping[str, str]:
        if self.population_register is not None:
            return self.population_register.facts_for(case)
        confirmed = self.confirmations.latest(case.id)
        return confirmed.facts if confirmed is not None else {}

    def reserve(self, *, user: User, case_id: int) -> PendingOriginal:
        """Reserve the next number for the case's original (or notice) and say what it holds.
        Voids first what seats that ended while sealing left reserved."""
        case = self.cases.get(case_id)
        service = self.catalogue.service(case.service_id)
        kind = kind_for(case, service.document)  # not decided: said as the document's refusal
        case.require_printable(user)
        now = self.clock.now()
        facts = {"service_name": service.name_de, **self._register_answer(case)}
        require_register_facts(case, kind, facts)  # before a number is taken: none is spoiled
        issuer = self.issuer_for(case, user)
        self.register.void_stale(reserved_before=now - STALE_AFTER, by=user.login, at=now)
        reservation = self.register.reserve(case, kind, by=user.login, at=now)
        try:
            content = document_content(
                case,
                kind,
                number=reservation.number,
                issuer=issuer,
                issued_on=now.date(),
                register=facts,
            )
        except Exception as error:
            self.register.void(
                reservation, reason=failure_reason(error), by=user.login, at=self.clock.now()
            )
            raise
        return PendingOriginal(reservation, content)

    def seal(self, pending: PendingOriginal) -> MadeDocument:
        """Generate and seal the original: no database here, it may wait on an HSM or a TSA."""
        return self.maker.make(pending.content)

    def record(self, *, user: User, pending: PendingOriginal, made: MadeDocument) -> IssuedDocument:
        return self.register.record(pending.reservation, made, by=user.login)

    def void(self, *, user: User, pending: PendingOriginal, reason: str) -> None:
        self.register.void(pending.reservation, reason=reason, by=user.login, at=self.clock.now())

    def issue(self, *, user: User, case_id: int) -> IssuedDocument:
        """The original of an approved case, or the notice of a rejected one, in one call
        (command line, tests): reserve, seal, record; a failed seal voids the number."""
        pending = self.reserve(user=user, case_id=case_id)
        try:
            made = self.seal(pending)
        except Exception as error:
            self.void(user=user, pending=pending, reason=failure_reason(error))
            raise
        return self.record(user=user, pending=pending, made=made)

    def issued(self, *, user: User, case_id: int) -> tuple[IssuedDocument, bytes] | None:
        """The original already issued for the case (printing it again is a reprint)."""
        case = self.cases.get(case_id)
        kind = kind_for(case, self.catalogue.service(case.service_id).document)
        existing = [d for d in self.documents(user=user, case_id=case_id) if d.kind is kind]
        if not existing:
            return None
        return existing[-1], self.pdf(user=user, document_id=existing[-1].id)

    def register_entries(self, *, user: User, year: int) -> list[RegisterEntry]:
        user.require(Role.CLERK, "read the document register")
        return self.register.entries(year)

    def printable(self, *, user: User, case_id: int) -> tuple[IssuedDocument, bytes]:
        """The document to print for the case: the one already issued (a reprint then), or a
        new one. Issuing twice would give the citizen two originals with different numbers."""
        found = self.issued(user=user, case_id=case_id)
        if found is not None:
            return found
        document = self.issue(user=user, case_id=case_id)
        return document, self.pdf(user=user, document_id=document.id)

    def documents(self, *, user: User, case_id: int) -> list[IssuedDocument]:
        user.require(Role.CLERK, "list documents")
        return self.register.for_case(case_id)

    def pdf(self, *, user: User, document_id: int) -> bytes:
        user.require(Role.CLERK, "open document")
        document = self.register.get(document_id)
        self.audit.append(
            AuditEntry(user.login, "document.viewed", document.number, "", self.clock.now())
        )
        return self.register.pdf(document_id)

    def record_print(
        self, *, user: User, document_id: int, printer: str, pages: int, copies: int
    ) -> PrintRecord:
        """What the printer took. The first print of an approved case's original moves the case
        to PRINTED in the same transaction; later ones are reprints, counted and marked."""
        user.require(Role.CLERK, "print document")
        document = self.register.get(document_id)
        case = self.cases.get(document.case_id)
        now = self.clock.now()
        record = PrintRecord(
            document_id=document_id,
            printer=printer,
            at=now,
            by=user.login,
            pages=pages,
            copies=copies,
            reprint=document.prints > 0,
        )
        transition = None
        if case.status in TRANSITIONS[Transition.PRINT].start and document.kind is not (
            DocumentKind.ABLEHNUNGSBESCHEID
        ):  # the first original moves the case on; a reprint or a notice does not
            changed, event = case.mark_printed(user, now, record.describe())
            transition = (changed, event, case.version)
        return self.register.record_print(record, transition)

    def prints(self, *, user: User, document_id: int) -> list[PrintRecord]:
        user.require(Role.CLERK, "list prints")
        return self.register.prints(document_id)
