"""Documents the offices issue: what each contains, and the register that numbers them.

The content of an original is decided here, from the case and the law that defines the document;
`printing/` only lays it out. Labels are German because the documents are (the UI may be English,
the certificate is not).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from app.domain.cases import (
    Case,
    PaymentState,
    format_cents,
)
from app.domain.document_kinds import (
    CIVIL_STATUS_KINDS,
    LEGAL_BASIS,
    TITLES,
    DocumentKind,
    DocumentRefused,
    format_document_number,
    kind_for,
)
from app.domain.document_register import (
    IssuedDocument,
    MadeDocument,
    NumberState,
    PrintRecord,
    RegisterEntry,
    Reservation,
)
from app.domain.errors import DomainError
from app.domain.register_facts import (
    RegisterFacts,
    RegisterField,
    RegisterSource,
    missing_facts,
    register_fields,
    require_register_facts,
)

__all__ = [
    "CIVIL_STATUS_KINDS",
    "LEGAL_BASIS",
    "TITLES",
    "DocumentContent",
    "DocumentKind",
    "DocumentRefused",
    "IssuedDocument",
    "Issuer",
    "MadeDocument",
    "NumberState",
    "PrintRecord",
    "RegisterEntry",
    "RegisterFacts",
    "RegisterField",
    "RegisterSource",
    "Reservation",
    "document_content",
    "fee_line",
    "format_document_number",
    "german_date",
    "iso_to_german",
    "kind_for",
    "missing_facts",
    "register_fields",
    "require_register_facts",
]


@dataclass(frozen=True, slots=True)
class Issuer:
    """Who issues: the city, the office and the clerk, as printed in the letterhead."""

    authority: str
    office_name: str
    office_code: str
    office_address: str
    clerk_name: str
    city: str
    verifier_url: str = ""  # where anyone checks the printed seal, printed beside it


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
    PaymentState.RELEASED_UNPAID: "offen, zahlbar bei Abholung oder per Zahlungslink",
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
