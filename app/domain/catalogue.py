"""The service catalogue (Leistungskatalog): a versioned data file, validated when it is loaded."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

from app.domain.cases import format_cents
from app.domain.errors import CatalogueError, DomainError
from app.domain.form_fields import (
    Choice,
    FieldError,
    FieldSpec,
    FieldType,
    normalize_phone,
    normalize_plate,
    parse_date,
)
from app.domain.identity import IdentityLevel
from app.domain.messages import catalogue_text
from app.domain.payments import Booking

# the form's fields are app.domain.form_fields'; these names stay importable from here
__all__ = [
    "BOX_FIELDS",
    "BOX_PICKUP",
    "BOX_STEP_FREE",
    "Catalogue",
    "Choice",
    "FeeRule",
    "FieldError",
    "FieldSpec",
    "FieldType",
    "Service",
    "default_catalogue",
    "format_fee_rule",
    "normalize_phone",
    "normalize_plate",
    "parse_catalogue",
    "parse_date",
]


# Every service that may use the pickup box asks the citizen the same two things: whether to
# collect there, and whether the compartment must be within reach from a wheelchair.
BOX_PICKUP, BOX_STEP_FREE = "box_pickup", "box_step_free"
BOX_FIELDS = (
    FieldSpec(
        BOX_PICKUP,
        "Abholung an der Ausgabebox (24 h)",
        FieldType.BOOLEAN,
        required=False,
    ),
    FieldSpec(
        BOX_STEP_FREE,
        "Ausgabebox: Fach in Greifhöhe",
        FieldType.BOOLEAN,
        required=False,
    ),
)


DEFAULT_BOOKING = Booking(account="431100", cost_centre="1220")  # Verwaltungsgebühren, Bürgerbüro


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
    name_de: str  # the catalogue's German, as documents and PDF forms print it
    legal_basis: str
    fields: tuple[FieldSpec, ...]
    proofs: tuple[str, ...]  # in German
    fee: FeeRule
    identity_level: IdentityLevel
    document: str
    sla_working_days: int
    pickup_box: bool
    booking: Booking = DEFAULT_BOOKING  # where its fees are booked in the city's accounts

    def name(self, language: str) -> str:
        return catalogue_text(self.name_de, language)

    def proof_texts(self, language: str) -> list[str]:
        return [catalogue_text(proof, language) for proof in self.proofs]


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


def _text(raw: Any, where: str) -> str:
    """A word of the catalogue: its German (the English is the message catalogue's)."""
    if not (isinstance(raw, str) and raw.strip()):
        raise CatalogueError("catalogue.invalid", detail=f"{where}: expected a German text")
    return raw


def _field(raw: Mapping[str, Any], where: str) -> FieldSpec:
    try:
        name = raw["name"]
        field_type = FieldType(raw["type"])
    except (KeyError, ValueError) as error:
        raise CatalogueError("catalogue.invalid", detail=f"{where}: {error}") from error
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise CatalogueError("catalogue.invalid", detail=f"{where}: bad field name {name!r}")
    label = _text(raw.get("label"), f"{where}.label")
    choices = tuple(
        Choice(str(value), _text(text, f"{where}.choices"))
        for value, text in raw.get("choices", [])
    )
    if field_type is FieldType.CHOICE and not choices:
        raise CatalogueError("catalogue.invalid", detail=f"{where}: choice field without choices")
    return FieldSpec(
        name=name,
        label_de=label,
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


def _booking(raw: Mapping[str, Any] | None) -> Booking:
    if raw is None:
        return DEFAULT_BOOKING
    return Booking(str(raw["account"]), str(raw["cost_centre"]), str(raw.get("product", "")))


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
            name = _text(raw["name"], f"{where}.name")
            services.append(
                Service(
                    id=raw["id"],
                    leika=raw["leika"],
                    name_de=name,
                    legal_basis=raw["legal_basis"],
                    fields=fields,
                    proofs=tuple(_text(p, f"{where}.proofs") for p in raw["proofs"]),
                    fee=_fee(raw["fee"], fields, f"{where}.fee"),
                    identity_level=IdentityLevel.parse(raw["identity_level"]),
                    document=raw["document"],
                    sla_working_days=int(raw["sla_working_days"]),
                    pickup_box=bool(raw["pickup_box"]),
                    booking=_booking(raw.get("booking")),
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
    if rule.kind == "fixed":
        return format_cents(rule.cents) if rule.cents else "gebührenfrei"
    if rule.kind == "by_choice":
        return " / ".join(format_cents(cents) for _, cents in rule.cents_by_choice)
    if rule.kind == "per_year":
        return f"{format_cents(rule.cents_per_year)} je Jahr"
    further = format_cents(rule.further_cents)
    return f"{format_cents(rule.first_cents)}, jede weitere Ausfertigung {further}"
