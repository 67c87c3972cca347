"""Online intake: what a received submission is, and why one is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# Problem names as the reject-submission event reports them, appended to PROBLEM_BASE. FITKO's
# current list was not available when this was written: a seat can send other type URIs per
# problem (setting fitconnect_problem_types) without a new release.
PROBLEM_BASE = "https://schema.fitko.de/fit-connect/events/problems/"


def problem_types(overrides: str = "") -> dict[Problem, str]:
    """The type URI for each problem: PROBLEM_BASE + its name, unless `overrides` says otherwise
    ("hash-mismatch=https://…/incorrect-hash; unsupported-service=…")."""
    types = {problem: PROBLEM_BASE + problem.value for problem in Problem}
    for item in filter(None, (part.strip() for part in overrides.split(";"))):
        name, separator, uri = item.partition("=")
        if not separator or not uri.strip().startswith(("https://", "urn:")):
            raise ValueError(f"fitconnect_problem_types: '{item}' is not name=URI")
        try:
            types[Problem(name.strip())] = uri.strip()
        except ValueError as error:
            known = ", ".join(problem.value for problem in Problem)
            raise ValueError(
                f"fitconnect_problem_types: unknown problem '{name.strip()}' (known: {known})"
            ) from error
    return types


class Problem(StrEnum):
    ENCRYPTION = "encryption-issue"
    UNKNOWN_KEY = "invalid-key-id"
    SYNTAX = "syntax-violation"
    METADATA_SCHEMA = "schema-violation"
    DATA_SCHEMA = "data-schema-violation"
    HASH_MISMATCH = "hash-mismatch"
    ATTACHMENT_SIZE = "attachment-too-large"
    MISSING_ATTACHMENT = "missing-attachment"
    UNSUPPORTED_SERVICE = "unsupported-service"
    UNKNOWN_CASE = "unknown-case"  # an answer for a case that never reached us


class SubmissionRejected(Exception):
    """A submission that cannot become a case; `raw` keeps what was received."""

    def __init__(
        self,
        problem: Problem,
        detail: str,
        *,
        instance: str = "metadata",
        raw: bytes = b"",
        service: str = "",
        applicant: str = "",
    ) -> None:
        super().__init__(f"{problem.value}: {detail}")
        self.problem = problem
        self.detail = detail
        self.instance = instance
        self.raw = raw
        # what the clerk reads in the quarantine, where it could be known before the refusal
        self.service = service
        self.applicant = applicant


class SettleReason(StrEnum):
    """How a clerk dealt with a quarantined submission (no free text: the audit log carries
    no personal data)."""

    APPLICANT_INFORMED = "applicant-informed"  # told the applicant what to send again
    CASE_RECORDED = "case-recorded"  # opened the case by hand from the received data
    NOT_AN_APPLICATION = "not-an-application"  # a test, spam or a duplicate


QUARANTINED, SETTLED = "quarantined", "settled"  # IntakeRecord.state of refused submissions
PAPER_PREFIX = "pdf-"  # submission ids of PDF forms: the prefix and the form's content hash


class UnreadableForm(Exception):
    """A file that is not a PDF application form of this office."""


class ScannedForm(UnreadableForm):
    """Our form, recognised by its marker on a scan, but its values are a picture: a clerk has
    to type them from it."""

    def __init__(self, service_id: str) -> None:
        super().__init__(f"scan of the form for {service_id}: values must be typed from it")
        self.service_id = service_id


@dataclass(frozen=True, slots=True)
class FilledForm:
    """What a PDF application form says. `flattened`: read off the page, not from form fields
    (the citizen printed it to PDF, or a tool flattened it): the clerk should check it."""

    service_id: str
    values: dict[str, str]
    flattened: bool = False


@dataclass(frozen=True, slots=True)
class Lease:
    """Who may do a job now and until when, by the database server's clock (seats' own clocks
    may be minutes apart). `held`: the asker holds it."""

    held: bool
    holder: str
    until: dt.datetime


@dataclass(frozen=True, slots=True)
class PendingSubmission:
    submission_id: str
    fit_case_id: str


@dataclass(frozen=True, slots=True)
class ReceivedAttachment:
    attachment_id: str
    filename: str
    media_type: str
    content: bytes


@dataclass(frozen=True, slots=True)
class ReceivedSubmission:
    """Decrypted, hash-checked and schema-valid; not yet mapped to a case."""

    submission_id: str
    fit_case_id: str
    service_identifier: str
    metadata: dict[str, Any]
    data: dict[str, Any]
    attachments: tuple[ReceivedAttachment, ...]
    authentication_tags: dict[str, Any]
    # what was received, serialised only when a submission is refused (it is large, and
    # turning it into bytes for every submission cost more than its SQL)
    received_as: Callable[[], bytes] = bytes
    received_at: dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # for the clerk: what was odd but no reason to refuse

    @property
    def raw(self) -> bytes:
        return self.received_as()


@dataclass(frozen=True, slots=True)
class IntakeRecord:
    submission_id: str
    fit_case_id: str
    state: str  # accepted | quarantined
    case_id: int | None
    problem: str
    detail: str
    event_payload: str
    event_sent: bool
    received_at: dt.datetime
    service: str = ""  # the service's name, where known (a quarantined one may say nothing)
    applicant: str = ""  # "Family, Given", where the form data could be read


@dataclass(frozen=True)
class MailedFile:
    name: str
    media_type: str
    content: bytes

    @property
    def is_pdf(self) -> bool:
        return self.media_type == "application/pdf" or self.name.lower().endswith(".pdf")


@dataclass(frozen=True)
class MailedApplication:
    """A message in the forms mailbox: its attached files and who sent it."""

    key: str  # the mailbox's id for the message (IMAP UID)
    sender: str  # the From address, a reply channel when the form names none
    files: tuple[MailedFile, ...]  # every attachment, forms and proofs alike
