"""The service catalogue (Leistungskatalog): a versioned data file, validated when it is loaded."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from app.domain.errors import CatalogueError, DomainError
from app.domain.identity import IdentityLevel


class FieldType(StrEnum):
    TEXT = "text"
    NAME = "name"
    DATE = "date"
    PAST_DATE = "past_date"
    CHOICE = "choice"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    EMAIL = "email"
    PHONE = "phone"
    PLATE = "plate"
    POSTCODE = "postcode"
    DOCUMENT_NUMBER = "document_number"


_PATTERNS: dict[FieldType, tuple[re.Pattern[str], str]] = {
    # German plate: district (1-3 letters), 1-2 letters, 1-4 digits, optional E/H suffix
    FieldType.PLATE: (
        re.compile(r"^[A-ZÄÖÜ]{1,3}[- ][A-Z]{1,2} ?[1-9][0-9]{0,3}[EH]?$"),
        "SI-AB 123",
    ),
    FieldType.POSTCODE: (re.compile(r"^[0-9]{5}$"), "57072"),
    FieldType.NAME: (re.compile(r"^[^\d@<>{}\[\]|\\^~]+$"), "Müller-Lüdenscheidt"),
    # ID card/passport serial: 9 characters from the ICAO alphabet without vowels' look-alikes
    FieldType.DOCUMENT_NUMBER: (re.compile(r"^[CFGHJKLMNPRTVWXYZ0-9]{9}$"), "L01X00T47"),
    FieldType.EMAIL: (re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"), "name@example.org"),
    # as people write numbers: "0171 2345678", "+49 (171) 234-5678"; the SMS gateway's client
    # decides whether it is a mobile number it can reach
    FieldType.PHONE: (re.compile(r"^\+?[0-9][0-9 ()/-]{5,22}$"), "0171 2345678"),
}


@dataclass(frozen=True, slots=True)
class FieldError:
    """Why one field's value is invalid: a message key and its parameters."""

    field: str
    key: str
    params: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label_de: str
    label_en: str


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One input of an application form."""

    name: str
    label_de: str
    label_en: str
    type: FieldType
    required: bool
    max_length: int | None = None
    choices: tuple[Choice, ...] = ()
    minimum: int | None = None
    maximum: int | None = None

    def label(self, language: str) -> str:
        return self.label_en if language == "en" else self.label_de

    def validate(self, raw: str, *, today: dt.date) -> FieldError | None:
        """Check one value as typed (strings, dates as DD.MM.YYYY or ISO); None when valid."""
        value = raw.strip()
        if not value:
            return FieldError(self.name, "field.required") if self.required else None
        if self.max_length is not None and len(value) > self.max_length:
            return FieldError(self.name, "field.too_long", (("max", self.max_length),))
        if self.type in (FieldType.DATE, FieldType.PAST_DATE):
            parsed = parse_date(value)
            if parsed is None:
                return FieldError(self.name, "field.date")
            if self.type is FieldType.PAST_DATE and parsed > today:
                return FieldError(self.name, "field.date_future")
            return None
        if self.type is FieldType.CHOICE:
            if value not in {choice.value for choice in self.choices}:
                return FieldError(self.name, "field.choice")
            return None
        if self.type is FieldType.INTEGER:
            low, high = self.minimum or 0, self.maximum or 10**9
            if not value.isdigit() or not low <= int(value) <= high:
                return FieldError(self.name, "field.integer", (("min", low), ("max", high)))
            return None
        if self.type is FieldType.BOOLEAN:
            return None if value in ("true", "false") else FieldError(self.name, "field.choice")
        if self.type in _PATTERNS:
            pattern, hint = _PATTERNS[self.type]
            candidate = value.upper() if self.type is FieldType.PLATE else value
            if not pattern.match(candidate):
                key = "field.email" if self.type is FieldType.EMAIL else "field.pattern"
                return FieldError(self.name, key, (("hint", hint),))
        return None


_PLATE_PARTS = re.compile(r"^([A-ZÄÖÜ]{1,3})[- ]+([A-Z]{1,2}) *([1-9][0-9]{0,3}[EH]?)$")


def normalize_plate(value: str) -> str:
    """A plate as the registration writes it, 'SI-AB 123', however it was typed
    ('si ab 123', 'SI-AB123'); a value that is no plate is returned as it was."""
    parts = _PLATE_PARTS.match(" ".join(value.upper().split()))
    return f"{parts[1]}-{parts[2]} {parts[3]}" if parts else value


# Every service that may use the pickup box asks the citizen the same two things: whether to
# collect there, and whether the compartment must be within reach from a wheelchair.
BOX_PICKUP, BOX_STEP_FREE = "box_pickup", "box_step_free"
BOX_FIELDS = (
    FieldSpec(
        BOX_PICKUP,
        "Abholung an der Ausgabebox (24 h)",
        "Collect at the pickup box (24 h)",
        FieldType.BOOLEAN,
        required=False,
    ),
    FieldSpec(
        BOX_STEP_FREE,
        "Ausgabebox: Fach in Greifhöhe",
        "Pickup box: within reach",
        FieldType.BOOLEAN,
        required=False,
    ),
)


def normalize_phone(value: str) -> str:
    """A number without its typing aids, '+49 (171) 234-5678' as '+491712345678'; an
    international prefix 00 as '+'. National numbers stay national ('01712345678')."""
    compact = "".join(character for character in value if character.isdigit() or character == "+")
    return "+" + compact[2:] if compact.startswith("00") else compact


def parse_date(value: str) -> dt.date | None:
    """A date typed as DD.MM.YYYY (the counter's habit) or ISO YYYY-MM-DD (the portal's)."""
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    return None


@dataclass(frozen=True, slots=True)
class FeeRule:
    """How the fee follows from the form: fixed, by a choice, per year of validity, per copy."""

    kind: str
    field: str | None = None
    cents: int = 0
    cents_by_choice: tuple[tuple[str, int], ...] = ()
    cents_per_year: int = 0
    first_cents: int = 0
    further_cents: int = 0

    def compute(self, data: Mapping[str, str]) -> int:
        if self.kind == "fixed":
            return self.cents
        value = data.get(self.field or "", "")
        if self.kind == "by_choice":
            return dict(self.cents_by_choice).get(value, max(c for _, c in self.cents_by_choice))
        number = int(value) if value.isdigit() else 1
        if self.kind == "per_year":
            return self.cents_per_year * number // 12
        return self.first_cents + self.further_cents * max(0, number - 1)


@dataclass(frozen=True, slots=True)
class Service:
    """A Leistung: its form, proofs, fee, required identity level, output and SLA."""

    id: str
    leika: str
    name_de: str
    name_en: str
    legal_basis: str
    fields: tuple[FieldSpec, ...]
    proofs: tuple[tuple[str, str], ...]
    fee: FeeRule
    identity_level: IdentityLevel
    document: str
    sla_working_days: int
    pickup_box: bool

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_de


@dataclass(frozen=True, slots=True)
class Catalogue:
    version: str
    applicant_fields: tuple[FieldSpec, ...]
    services: tuple[Service, ...]

    def service(self, service_id: str) -> Service:
        for service in self.services:
            if service.id == service_id:
                return service
        raise DomainError("catalogue.service_unknown", service=service_id)

    def with_pickup_box(self, service_ids: Collection[str]) -> Catalogue:
        """The catalogue with the pickup box offered for `service_ids` only (the box_services
        setting). It narrows, never widens: the box is the one rule for the form's question,
        for loading and for the "Zu beladen" list."""
        offered = {service.id for service in self.services if service.pickup_box}
        unknown = sorted(set(service_ids) - offered)
        if unknown:
            raise CatalogueError(
                "catalogue.invalid",
                detail=f"box_services: {', '.join(unknown)} do not offer the pickup box "
                f"(those that do: {', '.join(sorted(offered))})",
            )
        return replace(
            self,
            services=tuple(
                service
                if service.id in service_ids or not service.pickup_box
                else replace(
                    service,
                    pickup_box=False,
                    fields=tuple(f for f in service.fields if f not in BOX_FIELDS),
                )
                for service in self.services
            ),
        )

    def form_fields(self, service_id: str) -> tuple[FieldSpec, ...]:
        """Applicant fields first, then the service's own."""
        return self.applicant_fields + self.service(service_id).fields

    def validate(
        self, service_id: str, data: Mapping[str, str], *, today: dt.date
    ) -> list[FieldError]:
        """Every problem of a whole form, field by field, in form order."""
        fields = self.form_fields(service_id)
        known = {spec.name for spec in fields}
        errors = [
            error
            for spec in fields
            if (error := spec.validate(data.get(spec.name, ""), today=today)) is not None
        ]
        errors += [
            FieldError(name, "field.unknown", (("name", name),))
            for name in data
            if name not in known
        ]
        return errors


def _text_pair(raw: Any, where: str) -> tuple[str, str]:
    if not (isinstance(raw, list) and len(raw) == 2 and all(isinstance(t, str) and t for t in raw)):
        raise CatalogueError("catalogue.invalid", detail=f"{where}: expected [German, English]")
    return raw[0], raw[1]


def _field(raw: Mapping[str, Any], where: str) -> FieldSpec:
    try:
        name = raw["name"]
        field_type = FieldType(raw["type"])
    except (KeyError, ValueError) as error:
        raise CatalogueError("catalogue.invalid", detail=f"{where}: {error}") from error
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise CatalogueError("catalogue.invalid", detail=f"{where}: bad field name {name!r}")
    label_de, label_en = _text_pair(raw.get("label"), f"{where}.label")
    choices = tuple(Choice(str(value), de, en) for value, de, en in raw.get("choices", []))
    if field_type is FieldType.CHOICE and not choices:
        raise CatalogueError("catalogue.invalid", detail=f"{where}: choice field without choices")
    return FieldSpec(
        name=name,
        label_de=label_de,
        label_en=label_en,
        type=field_type,
        required=bool(raw.get("required", False)),
        max_length=raw.get("max_length"),
        choices=choices,
        minimum=raw.get("min"),
        maximum=raw.get("max"),
    )


def _fee(raw: Mapping[str, Any], fields: tuple[FieldSpec, ...], where: str) -> FeeRule:
    kind = raw.get("kind")
    field = raw.get("field")
    names = {spec.name for spec in fields}
    if kind != "fixed" and field not in names:
        raise CatalogueError(
            "catalogue.invalid", detail=f"{where}: fee field {field!r} not in form"
        )
    amounts: list[int]
    if kind == "fixed":
        rule = FeeRule(kind="fixed", cents=raw["cents"])
        amounts = [rule.cents]
    elif kind == "by_choice":
        rule = FeeRule(kind=kind, field=field, cents_by_choice=tuple(raw["cents"].items()))
        amounts = [c for _, c in rule.cents_by_choice]
    elif kind == "per_year":
        rule = FeeRule(kind=kind, field=field, cents_per_year=raw["cents_per_year"])
        amounts = [rule.cents_per_year]
    elif kind == "per_copy":
        rule = FeeRule(
            kind=kind,
            field=field,
            first_cents=raw["first_cents"],
            further_cents=raw["further_cents"],
        )
        amounts = [rule.first_cents, rule.further_cents]
    else:
        raise CatalogueError("catalogue.invalid", detail=f"{where}: unknown fee kind {kind!r}")
    if not amounts or any(not isinstance(a, int) or a < 0 for a in amounts):
        raise CatalogueError("catalogue.invalid", detail=f"{where}: fees must be cents >= 0")
    return rule


def parse_catalogue(document: Mapping[str, Any]) -> Catalogue:
    """Build and check a catalogue from its JSON document; CatalogueError names what is wrong."""
    version = document.get("catalogue_version")
    if not isinstance(version, str):
        raise CatalogueError("catalogue.invalid", detail="catalogue_version missing")
    applicant = tuple(
        _field(raw, f"applicant_fields[{i}]")
        for i, raw in enumerate(document.get("applicant_fields", []))
    )
    services: list[Service] = []
    for index, raw in enumerate(document.get("services", [])):
        where = f"services[{index}]"
        try:
            fields = tuple(_field(f, f"{where}.fields[{i}]") for i, f in enumerate(raw["fields"]))
            if raw["pickup_box"]:
                fields += BOX_FIELDS
            names = [spec.name for spec in applicant + fields]
            if len(names) != len(set(names)):
                raise CatalogueError("catalogue.invalid", detail=f"{where}: duplicate field names")
            name_de, name_en = _text_pair(raw["name"], f"{where}.name")
            services.append(
                Service(
                    id=raw["id"],
                    leika=raw["leika"],
                    name_de=name_de,
                    name_en=name_en,
                    legal_basis=raw["legal_basis"],
                    fields=fields,
                    proofs=tuple(_text_pair(p, f"{where}.proofs") for p in raw["proofs"]),
                    fee=_fee(raw["fee"], fields, f"{where}.fee"),
                    identity_level=IdentityLevel.parse(raw["identity_level"]),
                    document=raw["document"],
                    sla_working_days=int(raw["sla_working_days"]),
                    pickup_box=bool(raw["pickup_box"]),
                )
            )
        except (KeyError, TypeError, ValueError) as error:
            raise CatalogueError("catalogue.invalid", detail=f"{where}: {error!r}") from error
    ids = [service.id for service in services]
    if not services or len(ids) != len(set(ids)):
        raise CatalogueError("catalogue.invalid", detail="no services, or duplicate service ids")
    return Catalogue(version=version, applicant_fields=applicant, services=tuple(services))


@cache
def default_catalogue() -> Catalogue:
    """The catalogue shipped with this version of the application."""
    text = resources.files("app.domain").joinpath("data/services.json").read_text("utf-8")
    return parse_catalogue(json.loads(text))


def format_fee_rule(rule: FeeRule) -> str:
    """The fee as a citizen reads it on a form, e.g. '30,00 € je Jahr'."""

    def euros(cents: int) -> str:
        return f"{cents // 100},{cents % 100:02d} €"

    if rule.kind == "fixed":
        return euros(rule.cents) if rule.cents else "gebührenfrei"
    if rule.kind == "by_choice":
        return " / ".join(euros(cents) for _, cents in rule.cents_by_choice)
    if rule.kind == "per_year":
        return f"{euros(rule.cents_per_year)} je Jahr"
    return f"{euros(rule.first_cents)}, jede weitere Ausfertigung {euros(rule.further_cents)}"
