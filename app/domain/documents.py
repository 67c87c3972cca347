"""Documents the offices issue: what each contains, and the register that numbers them.

The content of an original is decided here, from the case and the law that defines the document;
`printing/` only lays it out. Labels are German because the documents are (the UI may be English,
the certificate is not).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from app.domain.cases import (
    ALLOWED_FROM,
    Case,
    CaseAction,
    CaseStatus,
    PaymentState,
    format_cents,
)
from app.domain.errors import DomainError


class DocumentKind(StrEnum):
    MELDEBESCHEINIGUNG = "meldebescheinigung"
    MELDEBESCHEINIGUNG_ERWEITERT = "meldebescheinigung_erweitert"
    BEWOHNERPARKAUSWEIS = "bewohnerparkausweis"
    GEBURTSURKUNDE = "geburtsurkunde"
    EHEURKUNDE = "eheurkunde"
    STERBEURKUNDE = "sterbeurkunde"
    ABLEHNUNGSBESCHEID = "ablehnungsbescheid"


TITLES: dict[DocumentKind, str] = {
    DocumentKind.MELDEBESCHEINIGUNG: "Meldebescheinigung",
    DocumentKind.MELDEBESCHEINIGUNG_ERWEITERT: "Erweiterte Meldebescheinigung",
    DocumentKind.BEWOHNERPARKAUSWEIS: "Bewohnerparkausweis",
    DocumentKind.GEBURTSURKUNDE: "Geburtsurkunde",
    DocumentKind.EHEURKUNDE: "Eheurkunde",
    DocumentKind.STERBEURKUNDE: "Sterbeurkunde",
    DocumentKind.ABLEHNUNGSBESCHEID: "Bescheid",
}

LEGAL_BASIS: dict[DocumentKind, str] = {
    DocumentKind.MELDEBESCHEINIGUNG: "§ 18 Abs. 1 Bundesmeldegesetz (BMG)",
    DocumentKind.MELDEBESCHEINIGUNG_ERWEITERT: "§ 18 Abs. 2 Bundesmeldegesetz (BMG)",
    DocumentKind.BEWOHNERPARKAUSWEIS: "§ 45 Abs. 1b Nr. 2a StVO, § 6a Abs. 5a StVG",
    DocumentKind.GEBURTSURKUNDE: "§ 59 Personenstandsgesetz (PStG)",
    DocumentKind.EHEURKUNDE: "§ 57 Personenstandsgesetz (PStG)",
    DocumentKind.STERBEURKUNDE: "§ 60 Personenstandsgesetz (PStG)",
    DocumentKind.ABLEHNUNGSBESCHEID: "§ 35 Verwaltungsverfahrensgesetz NRW (VwVfG NRW)",
}

CIVIL_STATUS_KINDS = frozenset(
    {DocumentKind.GEBURTSURKUNDE, DocumentKind.EHEURKUNDE, DocumentKind.STERBEURKUNDE}
)


class DocumentRefused(DomainError):
    """No original can be issued for this case now."""


def format_document_number(year: int, serial: int) -> str:
    """The register number printed on the document: one gap-free series per year."""
    return f"{year}-{serial:06d}"


def kind_for(case: Case, service_document: str) -> DocumentKind:
    """The document a case gets now: the service's original once approved, the notice once
    rejected."""
    if case.status not in ALLOWED_FROM[CaseAction.PRINT]:
        raise DocumentRefused("document.not_decided", reference=case.reference)
    if case.status is CaseStatus.REJECTED:
        return DocumentKind.ABLEHNUNGSBESCHEID
    try:
        return DocumentKind(service_document)
    except ValueError:
        raise DocumentRefused(
            "document.no_original", reference=case.reference, document=service_document
        ) from None


@dataclass(frozen=True, slots=True)
class Issuer:
    """Who issues: the city, the office and the clerk, as printed in the letterhead."""

    authority: str
    office_name: str
    office_code: str
    office_address: str
    clerk_name: str
    city: str


@dataclass(frozen=True, slots=True)
class DocumentContent:
    kind: DocumentKind
    number: str
    case_reference: str
    issuer: Issuer
    issued_on: dt.date
    holder_family_name: str
    holder_given_names: str
    holder_birth_date: dt.date
    facts: tuple[tuple[str, str], ...]  # (label, value) in print order
    valid_until: dt.date | None = None
    reasons: str = ""  # the grounds of a rejection notice
    fee: str = ""  # the fee line: what was charged and how it stands ('' on a notice)

    @property
    def title(self) -> str:
        return TITLES[self.kind]

    @property
    def legal_basis(self) -> str:
        return LEGAL_BASIS[self.kind]

    def fact(self, label: str) -> str:
        return dict(self.facts).get(label, "")


def german_date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def iso_to_german(value: str) -> str:
    """An ISO date as the documents print it (dd.mm.yyyy); anything else as it is."""
    try:
        return german_date(dt.date.fromisoformat(value))
    except ValueError:
        return value


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


class RegisterSource(StrEnum):
    REGISTER = "register"  # the population register's answer, through its vendor adapter
    CONFIRMED = "confirmed"  # read in the register and typed in by a clerk, who confirmed it


@dataclass(frozen=True, slots=True)
class RegisterField:
    """A fact only the register knows, asked of it (or of the clerk) before the original."""

    key: str
    label: str  # as printed on the document
    required: bool = True
    date: bool = False  # ISO date (yyyy-mm-dd); printed as dd.mm.yyyy


_MELDE_FIELDS = (
    RegisterField("main_address", "Anschrift (Hauptwohnung)"),
    RegisterField("secondary_address", "Anschrift (Nebenwohnung)", required=False),
    RegisterField("usual_given_name", "Gebräuchlicher Vorname", required=False),
)
_CIVIL_STATUS_ENTRY = RegisterField("register_entry", "Registereintrag")


def register_fields(kind: DocumentKind, data: Mapping[str, str]) -> tuple[RegisterField, ...]:
    """What the register must say for this document; `data` is the application (an extended
    certificate asks for former addresses or marital status only where the citizen did)."""
    if kind is DocumentKind.MELDEBESCHEINIGUNG:
        return _MELDE_FIELDS
    if kind is DocumentKind.MELDEBESCHEINIGUNG_ERWEITERT:
        fields = [
            *_MELDE_FIELDS,
            RegisterField("moved_in", "Einzugsdatum", date=True),
            RegisterField("birth_place", "Geburtsort"),
            RegisterField("nationality", "Staatsangehörigkeit"),
        ]
        if data.get("include_former_addresses") == "true":
            fields.append(RegisterField("former_addresses", "Frühere Anschriften"))
        if data.get("include_marital_status") == "true":
            fields.append(RegisterField("marital_status", "Familienstand"))
        return tuple(fields)
    if kind in CIVIL_STATUS_KINDS:
        extra = {
            DocumentKind.GEBURTSURKUNDE: (("sex", "Geschlecht"), ("parents", "Eltern")),
            DocumentKind.EHEURKUNDE: (("married_name", "Ehename"),),
            DocumentKind.STERBEURKUNDE: (
                ("birth", "Geboren am, in"),
                ("last_residence", "Letzter Wohnsitz"),
                ("marital_status", "Familienstand"),
            ),
        }[kind]
        return (
            _CIVIL_STATUS_ENTRY,
            *(RegisterField(key, label, required=False) for key, label in extra),
        )
    return ()


def missing_facts(fields: tuple[RegisterField, ...], facts: Mapping[str, str]) -> tuple[str, ...]:
    """The labels of the required `fields` that `facts` lacks."""
    return tuple(
        field.label for field in fields if field.required and not facts.get(field.key, "").strip()
    )


def require_register_facts(case: Case, kind: DocumentKind, facts: Mapping[str, str]) -> None:
    """DocumentRefused, naming what is missing, unless `facts` hold what `kind` certifies."""
    missing = missing_facts(register_fields(kind, case.data), facts)
    if missing:
        raise DocumentRefused(
            "document.register_missing", reference=case.reference, missing=", ".join(missing)
        )


@dataclass(frozen=True, slots=True)
class RegisterFacts:
    """The register's answer for one case, and where it came from."""

    case_id: int
    facts: Mapping[str, str]
    source: RegisterSource
    confirmed_by: str = ""  # the clerk's login, for CONFIRMED
    confirmed_at: dt.datetime | None = None


_CERTIFICATE_TYPES = {
    "certificate": "Urkunde",
    "register_printout": "Beglaubigter Registerausdruck",
    "multilingual": "Mehrsprachige Urkunde",
}


# What only the civil-status register knows (the application names the entry, not all of it).
_CIVIL_STATUS_REGISTER_FACTS: dict[DocumentKind, tuple[tuple[str, str], ...]] = {
    DocumentKind.GEBURTSURKUNDE: (("Geschlecht", "sex"), ("Eltern", "parents")),
    DocumentKind.EHEURKUNDE: (("Ehename", "married_name"),),
    DocumentKind.STERBEURKUNDE: (
        ("Geboren am, in", "birth"),
        ("Letzter Wohnsitz", "last_residence"),
        ("Familienstand", "marital_status"),
    ),
}


def document_content(
    case: Case,
    kind: DocumentKind,
    *,
    number: str,
    issuer: Issuer,
    issued_on: dt.date,
    register: Mapping[str, str],
) -> DocumentContent:
    """What the original says. `register` carries the resident register's answer for this
    person (address, nationality, ...): a Meldebescheinigung certifies the register, not the
    application. Without a required register fact there is no document (never a dash where
    the address belongs)."""
    data = case.data
    require_register_facts(case, kind, register)
    applicant = case.applicant
    if applicant.birth_date is None:  # a scan whose data nobody has typed yet
        raise DomainError("case.data_entry_pending", reference=case.reference)
    facts: list[tuple[str, str]] = []
    valid_until: dt.date | None = None
    if kind in (DocumentKind.MELDEBESCHEINIGUNG, DocumentKind.MELDEBESCHEINIGUNG_ERWEITERT):
        # § 18 Abs. 1 BMG: names (the usual given name marked), doctoral degree, date of birth,
        # the current addresses marked as main or secondary residence.
        usual = register.get("usual_given_name", "")
        facts += [
            ("Familienname", applicant.family_name),
            (
                "Vornamen",
                f"{applicant.given_names} (gebräuchlich: {usual})"
                if usual
                else applicant.given_names,
            ),
            ("Doktorgrad", data.get("doctoral_degree", "") or "—"),
            ("Geburtsdatum", german_date(applicant.birth_date)),
            ("Anschrift (Hauptwohnung)", register["main_address"]),
        ]
        if register.get("secondary_address"):
            facts.append(("Anschrift (Nebenwohnung)", register["secondary_address"]))
        if kind is DocumentKind.MELDEBESCHEINIGUNG_ERWEITERT:
            facts += [
                ("Einzugsdatum", iso_to_german(register["moved_in"])),
                ("Geburtsort", register["birth_place"]),
                ("Staatsangehörigkeit", register["nationality"]),
            ]
            if data.get("include_former_addresses") == "true":
                facts.append(("Frühere Anschriften", register["former_addresses"]))
            if data.get("include_marital_status") == "true":
                facts.append(("Familienstand", register["marital_status"]))
            if data.get("purpose"):
                facts.append(("Verwendungszweck", data["purpose"]))
    elif kind is DocumentKind.BEWOHNERPARKAUSWEIS:
        months = int(data.get("period_months", "12") or 12)
        valid_until = _add_months(issued_on, months) - dt.timedelta(days=1)
        facts += [
            ("Parkzone", data.get("zone", "")),
            ("Amtliches Kennzeichen", data.get("plate", "").upper()),
            ("Bewohner/in", f"{applicant.given_names} {applicant.family_name}"),
            ("Anschrift", data.get("street", "")),
            ("Gültig vom", german_date(issued_on)),
            ("Gültig bis", german_date(valid_until)),
        ]
    elif kind in CIVIL_STATUS_KINDS:
        facts.append(
            (
                "Art",
                _CERTIFICATE_TYPES.get(data.get("certificate_type", ""), "Urkunde"),
            )
        )
        if kind is DocumentKind.EHEURKUNDE:
            facts += [
                ("Ehegatte 1", data.get("spouse_1", "")),
                ("Ehegatte 2", data.get("spouse_2", "")),
                ("Tag der Eheschließung", iso_to_german(data.get("event_date", ""))),
                ("Ort der Eheschließung", data.get("event_place", "")),
            ]
        else:
            event = "der Geburt" if kind is DocumentKind.GEBURTSURKUNDE else "des Todes"
            person = "Kind" if kind is DocumentKind.GEBURTSURKUNDE else "Verstorbene Person"
            facts += [
                (person, data.get("person_name", "")),
                (f"Tag {event}", iso_to_german(data.get("event_date", ""))),
                (f"Ort {event}", data.get("event_place", "")),
            ]
        for label, key in _CIVIL_STATUS_REGISTER_FACTS[kind]:
            if register.get(key):
                facts.append((label, register[key]))
        facts.append(("Registereintrag", register["register_entry"]))
    elif kind is DocumentKind.ABLEHNUNGSBESCHEID:
        facts += [
            ("Antrag", register.get("service_name", case.service_id)),
            ("Eingegangen am", german_date(case.received_at.date())),
            ("Aktenzeichen", case.reference),
        ]
    return DocumentContent(
        kind=kind,
        number=number,
        case_reference=case.reference,
        issuer=issuer,
        issued_on=issued_on,
        holder_family_name=applicant.family_name,
        holder_given_names=applicant.given_names,
        holder_birth_date=applicant.birth_date,
        facts=tuple(facts),
        valid_until=valid_until,
        reasons=case.decision_reason if kind is DocumentKind.ABLEHNUNGSBESCHEID else "",
        fee="" if kind is DocumentKind.ABLEHNUNGSBESCHEID else fee_line(case),
    )


_PAYMENT_WORDS = {
    PaymentState.PAID: "bezahlt",
    PaymentState.FEE_NOTICE: "per Gebührenbescheid",
    PaymentState.OPEN: "offen",
    PaymentState.NONE_DUE: "gebührenfrei",
}


def fee_line(case: Case) -> str:
    """'12,00 € · bezahlt (Kassenzeichen …)' or 'gebührenfrei', as the letterhead prints it."""
    if case.fee_cents == 0:
        return "gebührenfrei"
    state = _PAYMENT_WORDS[case.payment]
    if case.payment_reference and case.payment is not PaymentState.OPEN:
        state += f" ({case.payment_reference})"
    return f"{format_cents(case.fee_cents)} · {state}"


@dataclass(frozen=True, slots=True)
class MadeDocument:
    """A generated, sealed original."""

    pdf: bytes
    pages: int
    seal: bytes  # the printed seal: its symbols' Visible Digital Seals one after another


class NumberState(StrEnum):
    RESERVED = "reserved"  # allocated, the original is being sealed
    ISSUED = "issued"
    VOID = "void"  # sealing failed or the seat ended first: the number is spoiled, never reused


@dataclass(frozen=True, slots=True)
class Reservation:
    """A document number taken for a case before its original is sealed. Sealing happens
    outside the database transaction (an HSM or a TSA may be slow), so every number is first
    reserved, then either issued or voided with the reason: none goes missing."""

    id: int
    number: str
    kind: DocumentKind
    case_id: int
    reserved_at: dt.datetime
    reserved_by: str


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    """One line of the year's document register: every number, whatever became of it."""

    number: str
    kind: DocumentKind
    case_id: int
    state: NumberState
    reserved_at: dt.datetime
    reserved_by: str
    void_reason: str = ""


@dataclass(frozen=True, slots=True)
class IssuedDocument:
    id: int
    number: str
    kind: DocumentKind
    case_id: int
    issued_at: dt.datetime
    issued_by: str
    sha256: str
    pages: int
    prints: int = 0


@dataclass(frozen=True, slots=True)
class PrintRecord:
    document_id: int
    printer: str
    at: dt.datetime
    by: str
    pages: int
    copies: int
    reprint: bool

    def describe(self) -> str:
        kind = "Nachdruck" if self.reprint else "Druck"
        return f"{kind} auf {self.printer}: {self.pages} Seite(n), {self.copies} Exemplar(e)"
