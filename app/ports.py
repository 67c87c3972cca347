"""The interfaces the services need; store/ and integrations/ implement them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from app.domain.audit import AuditEntry, AuditRecord
from app.domain.cases import AttachmentInfo, Case, CaseEvent, NewAttachment, Note
from app.domain.documents import (
    DocumentContent,
    DocumentKind,
    IssuedDocument,
    MadeDocument,
    PrintRecord,
    RegisterEntry,
    RegisterFacts,
    Reservation,
)
from app.domain.inbox import InboxQuery, InboxRow
from app.domain.intake import (
    FilledForm,
    IntakeRecord,
    Lease,
    MailedApplication,
    PendingSubmission,
    Problem,
    ReceivedSubmission,
    SettleReason,
)
from app.domain.new_case import HistoricCase, NewCase
from app.domain.pickup import BoxEvent, BoxIssue, Compartment, Loading, LoadingStep, Size
from app.domain.users import Office, Role, User


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class CaseRepository(Protocol):
    """Cases, their events, notes and attachments. Each call is one transaction; every write
    also appends its audit record in the same transaction."""

    def add(
        self, draft: NewCase, event: CaseEvent, attachments: Sequence[NewAttachment] = ()
    ) -> Case: ...

    def get(self, case_id: int) -> Case: ...

    def save(self, case: Case, event: CaseEvent, *, expected_version: int) -> Case:
        """Store a transition only if nobody changed the case since `expected_version`;
        raises ConcurrentChange otherwise."""
        ...

    def save_entered_data(self, case: Case, event: CaseEvent, *, expected_version: int) -> Case:
        """`save`, and the applicant and form data typed from a scan (search words too)."""
        ...

    def page(self, query: InboxQuery, *, offset: int, limit: int) -> list[InboxRow]: ...

    def count(self, query: InboxQuery, *, cap: int | None = None) -> int:
        """How many cases match; with `cap`, at most cap + 1 ("more than cap")."""
        ...

    def history(self, case_id: int) -> list[CaseEvent]: ...

    def notes(self, case_id: int) -> list[Note]: ...

    def add_note(self, case_id: int, note: Note) -> None: ...

    def attachments(self, case_id: int) -> list[AttachmentInfo]: ...

    def attachment_content(self, attachment_id: int) -> bytes: ...


class UserDirectory(Protocol):
    def offices(self) -> list[Office]: ...

    def save_office(self, code: str, name: str) -> Office: ...

    def users(self) -> list[User]: ...

    def by_login(self, login: str) -> User | None: ...

    def save_user(
        self, *, login: str, display_name: str, role: Role, office_id: int, active: bool
    ) -> User: ...


class AuditLog(Protocol):
    def append(self, entry: AuditEntry) -> None: ...

    def verify(self) -> list[str]: ...

    def head(self) -> tuple[int, str]:
        """The chain's recorded tip: the last record's number and hash (0 and the genesis
        hash while empty)."""
        ...

    def record(self, seq: int) -> AuditRecord | None: ...


class AnchorStore(Protocol):
    """Where the chain's anchors are kept, outside the database; files are never rewritten."""

    def ready(self) -> None:
        """Raise DomainError when anchors cannot be kept there now (a share not mounted)."""
        ...

    def write(self, name: str, content: bytes) -> None: ...

    def anchors(self) -> list[tuple[str, bytes]]:
        """Every anchor file's name and content, by name."""
        ...


@dataclass(frozen=True, slots=True)
class TimestampCheck:
    """What a checked RFC 3161 token says: its signature intact and over `digest`, whether
    its authority is one we trust, when it was made, by whom."""

    intact: bool
    trusted: bool
    at: dt.datetime | None
    authority: str


class Timestamper(Protocol):
    def stamp(self, digest: bytes) -> bytes:
        """An RFC 3161 token (DER) over the SHA-256 `digest`; OSError when the TSA fails."""
        ...

    def check(self, token: bytes, digest: bytes) -> TimestampCheck: ...


class SecretStore(Protocol):
    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...


class CaseBulkLoader(Protocol):
    def load(self, cases: Sequence[HistoricCase]) -> int: ...


class SubmissionSource(Protocol):
    """Online applications waiting at the portal's transport (FIT-Connect)."""

    def pending(self) -> Iterator[PendingSubmission]: ...

    def receive(self, pending: PendingSubmission) -> ReceivedSubmission:
        """Download, decrypt and check one; raises SubmissionRejected with the raw bytes."""
        ...

    def accept(
        self, submission_id: str, fit_case_id: str, authentication_tags: dict[str, Any]
    ) -> None: ...

    def reject(
        self, submission_id: str, fit_case_id: str, problems: list[tuple[Problem, str, str]]
    ) -> None: ...


class SubmissionRecords(Protocol):
    """What was taken in: each submission (or form) once, as a case, a reply or in quarantine.
    Each call is one transaction."""

    def known(self, submission_id: str) -> IntakeRecord | None: ...

    def known_ids(self, submission_ids: Sequence[str]) -> set[str]:
        """Which of these submissions were taken before (one query for a whole listing)."""
        ...

    def store_case(
        self,
        record: IntakeRecord,
        draft: NewCase,
        event: CaseEvent,
        attachments: Sequence[NewAttachment],
    ) -> Case: ...

    def quarantine(self, record: IntakeRecord, raw: bytes) -> None: ...

    def case_for(self, fit_case_id: str) -> int | None:
        """Our case that an earlier submission of this FIT-Connect case became."""
        ...

    def store_reply(
        self, record: IntakeRecord, case_id: int, message: str, attachments: Sequence[NewAttachment]
    ) -> Case:
        """The citizen's answer: attachments and a note on the case, back to work if it waited."""
        ...


class AnswerOutbox(Protocol):
    """Accept and reject events stored with their submission, sent to the portal afterwards."""

    def unsent_events(self) -> list[IntakeRecord]: ...

    def mark_events_sent(self, submission_ids: Sequence[str]) -> None: ...


class QuarantineList(Protocol):
    """What could not become a case, with its raw bytes, until a clerk settles it."""

    def quarantined(self, *, offset: int, limit: int) -> list[IntakeRecord]: ...

    def quarantine_count(self) -> int:
        """How many are on the list now (not settled), whoever pulled them."""
        ...

    def raw(self, submission_id: str) -> bytes: ...

    def settle_quarantined(
        self, submission_id: str, *, actor: str, reason: SettleReason, at: dt.datetime
    ) -> None:
        """Take a quarantined submission off the list (kept, with its raw bytes); DomainError
        if it is not (or no longer) on it."""
        ...


class Leases(Protocol):
    """One seat at a time does a job (the pull): a lease in the shared database."""

    def acquire_lease(
        self, name: str, holder: str, *, seconds: float, replacing: str = ""
    ) -> Lease:
        """Take or renew the lease for `seconds` from now on the database server's clock;
        `held` False while another holder's lease runs, unless that holder is `replacing`
        (a process of this machine that is gone)."""
        ...

    def release_lease(self, name: str, holder: str) -> None: ...


class IntakeStore(SubmissionRecords, AnswerOutbox, QuarantineList, Leases, Protocol):
    """Everything the intake keeps, for the one store that implements all of it."""


class PaperIntakeStore(SubmissionRecords, Leases, Protocol):
    """What the PDF-form channel needs: records and the lease (it answers nobody)."""


class Mailer(Protocol):
    def send(
        self,
        *,
        to: str,
        subject: str,
        body: str,
        attachments: Sequence[tuple[str, str, bytes]] = (),
    ) -> None:
        """Deliver one plain-text message with (file name, MIME type, bytes) attachments;
        raises MailUnavailable when it cannot."""
        ...


class SmsGateway(Protocol):
    """The city's SMS gateway (docs/sms-gateway-api.yaml); a vendor adapter implements this."""

    def reachable(self, number: str) -> bool:
        """Whether `number` (as the citizen gave it) is a mobile number a text can reach."""
        ...

    def send(self, *, to: str, text: str) -> None:
        """Hand one text to the gateway; raises SmsRefused (the number or text is not
        acceptable: no use trying again) or SmsUnavailable (try again later)."""
        ...


class FormMailbox(Protocol):
    """Where citizens mail filled forms; each message is filed into a folder once handled."""

    def messages(self) -> Iterator[MailedApplication]: ...

    def file_away(self, key: str, folder: str) -> None:
        """Move the message into `folder` (created if missing); never deletes it."""
        ...


class FormReader(Protocol):
    def __call__(self, content: bytes) -> FilledForm:
        """The service and field values of a filled application form; raises UnreadableForm."""
        ...


class DocumentMaker(Protocol):
    """Generates and seals an original (printing/ implements it)."""

    def make(self, content: DocumentContent) -> MadeDocument: ...


class DocumentRegister(Protocol):
    """The year's gap-free document numbers and the sealed originals under them."""

    def reserve(self, case: Case, kind: DocumentKind, *, by: str, at: dt.datetime) -> Reservation:
        """Allocate the next number of the year for the case, in one short transaction."""
        ...

    def record(self, reservation: Reservation, made: MadeDocument, *, by: str) -> IssuedDocument:
        """Store the sealed original under its reserved number (NotFound if it was voided)."""
        ...

    def void(self, reservation: Reservation, *, reason: str, by: str, at: dt.datetime) -> None:
        """Record the reserved number as spoiled, with the reason; it is never reused."""
        ...

    def void_stale(self, *, reserved_before: dt.datetime, by: str, at: dt.datetime) -> int:
        """Void what is still reserved from before `reserved_before` (its seat ended)."""
        ...

    def entries(self, year: int) -> list[RegisterEntry]: ...

    def for_case(self, case_id: int) -> list[IssuedDocument]: ...

    def get(self, document_id: int) -> IssuedDocument: ...

    def pdf(self, document_id: int) -> bytes: ...

    def record_print(
        self, record: PrintRecord, transition: tuple[Case, CaseEvent, int] | None
    ) -> PrintRecord:
        """Store a print (reprint if the document was printed before) and, in the same
        transaction, the case transition (case, event, expected version) it brings."""
        ...

    def prints(self, document_id: int) -> list[PrintRecord]: ...


class PopulationRegister(Protocol):
    """The municipal registration software (Melderegister), reached through its vendor's
    adapter; the project does not build one. It answers with the facts `register_fields`
    names for the case's document, keyed as there."""

    def facts_for(self, case: Case) -> Mapping[str, str]: ...


class RegisterConfirmations(Protocol):
    """Register facts a clerk read in the register and confirmed, where no adapter is set up."""

    def confirm(self, facts: RegisterFacts, *, case_reference: str) -> RegisterFacts:
        """Store the clerk's confirmation and audit it, in one transaction."""
        ...

    def latest(self, case_id: int) -> RegisterFacts | None: ...


class DocumentPrinter(Protocol):
    """The counter printer: prints a sealed PDF's pages (the window implements it on Qt)."""

    def print_pdf(
        self, pdf: bytes, *, printer_name: str, copies: int, title: str, mark: str = ""
    ) -> PrintedJob:
        """Raises an Explained error (printer.*) when the printer cannot take the job."""
        ...


@dataclass(frozen=True, slots=True)
class PrintedJob:
    printer: str
    pages: int
    copies: int


class PickupBox(Protocol):
    """One office's 24/7 Dokumenten-Ausgabebox, through its controller's API
    (docs/pickup-box-api.yaml). Every call on the network lane; BoxUnavailable when the box does
    not answer, BoxRefused when it answers no (the compartment is not free, say)."""

    def compartments(self) -> list[Compartment]: ...

    def open_for_loading(self, compartment: str, reference: str) -> None: ...

    def register_item(
        self,
        compartment: str,
        *,
        reference: str,
        code: str,
        second_factor: str,
        deadline: dt.datetime,
    ) -> None:
        """The item behind the closed door, and what opens it: the box receives only verifiers
        of the code and of the code with the second factor, never the code."""
        ...

    def open_for_retrieval(self, compartment: str, reference: str = "") -> None: ...

    def events(self, after: str | None, limit: int = 1000) -> tuple[list[BoxEvent], str | None]:
        """Events after the cursor, oldest first, and the cursor after them."""
        ...


class PickupRecords(Protocol):
    """Our side of the pickup boxes (app/store/pickup.py). `change` stores a loading's new
    values only while it is in the state it was read in, with the case's transition where
    given, in one transaction."""

    def active(self, office: str) -> list[Loading]: ...

    def get(self, loading_id: int) -> Loading: ...

    def for_case(self, case_id: int) -> list[Loading]: ...

    def begin(
        self,
        *,
        case: Case,
        office: str,
        compartment: str,
        size: Size,
        step_free: bool,
        hold_days: int,
        by: str,
        confirmed_by: str,
        at: dt.datetime,
    ) -> Loading: ...

    def change(
        self,
        loading: Loading,
        step: LoadingStep,
        *,
        actor: str,
        at: dt.datetime,
        detail: str = "",
        transitions: Sequence[tuple[Case, CaseEvent, int]] = (),
        **values: Any,
    ) -> Loading: ...

    def code_digest(self, loading_id: int) -> str: ...

    def case_for_document(self, number: str) -> int | None: ...

    def case_for_reference(self, reference: str) -> int | None: ...

    def cursor(self, office: str) -> str | None: ...

    def store_events(
        self, office: str, events: Sequence[BoxEvent], cursor: str | None, at: dt.datetime
    ) -> list[BoxEvent]: ...

    def raise_issue(
        self, office: str, compartment: str | None, kind: str, detail: str, at: dt.datetime
    ) -> bool:
        """True when the issue is new (the same one open is not raised twice)."""
        ...

    def issues(self, office: str) -> list[BoxIssue]: ...

    def resolve_issue(self, issue_id: int, by: str, at: dt.datetime) -> None: ...


class ReportingStore(Protocol):
    """The supervisors' figures as aggregations (app/store/reporting.py)."""

    def offices(self) -> dict[int, str]: ...

    def incoming(
        self, start: dt.datetime, end: dt.datetime, office_id: int | None
    ) -> list[tuple[str, str, str, int]]: ...

    def open_by_received_day(
        self, as_of: dt.datetime, office_id: int | None
    ) -> list[tuple[int, str, str, int]]: ...

    def decided_by_days(
        self, start: dt.datetime, end: dt.datetime, office_id: int | None
    ) -> list[tuple[str, str, str, int]]: ...

    def processing_percentiles(
        self, start: dt.datetime, end: dt.datetime, office_id: int | None, *, stage: str
    ) -> dict[str, dict[str, float]]: ...

    def by_status(self, office_id: int | None, statuses: Sequence[str]) -> dict[str, int]: ...

    def decisions_by_actor(
        self, start: dt.datetime, end: dt.datetime, office_id: int | None
    ) -> list[tuple[int, str, int]]: ...

    def unpaid_and_unreleased(self, office_id: int | None) -> dict[str, int]: ...

    def box_figures(
        self, start: dt.datetime, end: dt.datetime, office_code: str | None
    ) -> dict[str, float] | None: ...
