"""A person's access report (DSGVO Art. 15): who is meant, which cases are theirs, and what
the report lists. Finding a person misses nobody: names are compared folded (umlauts and their
transliterations, diacritics, case), a double name matches either of its parts, and a case
whose birth date is not known yet (a scan awaiting data entry) is listed when the names agree,
marked so."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.domain.inbox import search_key

# audit actions that read a case's personal data: the retrieval log
RETRIEVALS = frozenset(
    {
        "case.viewed",
        "case.attachment_viewed",
        "case.attachments",
        "document.viewed",
        "document.printed",
        "status.printed",
        "forms.printed",
        "intake.quarantine_read",
    }
)


@dataclass(frozen=True, slots=True)
class Person:
    family_name: str
    given_names: str
    birth_date: dt.date


def name_parts(name: str) -> set[str]:
    """A name's folded parts: 'Müller-Lüdenscheidt' → {'muller', 'ludenscheidt'}."""
    return {part for part in search_key(name).replace("-", " ").split() if len(part) > 1}


def is_theirs(
    person: Person, family_name: str, given_names: str, birth_date: dt.date | None
) -> bool:
    """Whether a case of `family_name, given_names` (born `birth_date`, None: not known yet)
    is the person's: the birth date equal (or unknown), a family-name part in common, and a
    given name in common."""
    if birth_date is not None and birth_date != person.birth_date:
        return False
    return bool(name_parts(family_name) & name_parts(person.family_name)) and bool(
        name_parts(given_names) & name_parts(person.given_names)
    )


@dataclass(frozen=True, slots=True)
class Retrieval:
    actor: str
    action: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """One case of the person, everything the offices hold on it."""

    reference: str
    service: str
    channel: str
    status: str
    office: str
    received_at: dt.datetime
    family_name: str
    given_names: str
    birth_date: dt.date | None
    contact: dict[str, str]
    form_data: dict[str, str]
    documents: list[dict[str, str]] = field(default_factory=list)
    identity_checks: list[dict[str, str]] = field(default_factory=list)
    notices: list[dict[str, str]] = field(default_factory=list)
    box_loadings: list[dict[str, str]] = field(default_factory=list)
    payments: list[dict[str, str]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)
    attachments: list[dict[str, str]] = field(default_factory=list)
    retrievals: list[Retrieval] = field(default_factory=list)

    @property
    def birth_date_unknown(self) -> bool:
        return self.birth_date is None


@dataclass(frozen=True, slots=True)
class AccessReport:
    person: Person
    made_at: dt.datetime
    made_by: str
    cases: list[CaseRecord]
