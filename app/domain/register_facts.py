"""What an original needs from the population register: the facts per document kind, which of
them are missing, and a clerk's confirmation of them where no register adapter answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from app.domain.cases import (
    Case,
)
from app.domain.document_kinds import CIVIL_STATUS_KINDS, DocumentKind, DocumentRefused


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
