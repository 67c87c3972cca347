"""The shipped service catalogue, field validation and fees."""

from __future__ import annotations

import copy
import datetime as dt
import json
from importlib import resources
from typing import Any

import pytest

from app.domain.catalogue import FieldType, default_catalogue, parse_catalogue
from app.domain.errors import CatalogueError
from app.domain.identity import IdentityLevel

TODAY = dt.date(2026, 11, 20)


def raw_catalogue() -> dict[str, Any]:
    text = resources.files("app.domain").joinpath("data/services.json").read_text("utf-8")
    return dict(json.loads(text))


def test_catalogue_has_the_first_set_of_services() -> None:
    catalogue = default_catalogue()
    ids = {service.id for service in catalogue.services}
    assert {
        "meldebescheinigung_einfach",
        "meldebescheinigung_erweitert",
        "bewohnerparkausweis",
        "geburtsurkunde",
        "eheurkunde",
        "sterbeurkunde",
        "anmeldung",
        "abmeldung",
        "ausweisabholung",
    } <= ids
    for service in catalogue.services:
        assert service.proofs and service.document and service.sla_working_days > 0
        assert service.name("de") and service.name("en")
    assert catalogue.service("bewohnerparkausweis").identity_level is IdentityLevel.SUBSTANTIAL
    assert not catalogue.service("ausweisabholung").pickup_box  # ID documents: box off by default


@pytest.mark.parametrize(
    ("service", "form", "cents"),
    [
        ("meldebescheinigung_einfach", {"delivery": "paper"}, 900),
        ("meldebescheinigung_einfach", {"delivery": "electronic"}, 0),  # § 18(3) BMG
        ("bewohnerparkausweis", {"period_months": "12"}, 3000),  # Siegen: 30 € a year
        ("bewohnerparkausweis", {"period_months": "6"}, 1500),
        ("bewohnerparkausweis", {"period_months": "24"}, 6000),
        ("geburtsurkunde", {"copies": "1"}, 1000),
        ("geburtsurkunde", {"copies": "3"}, 2000),  # further copies at half the fee
        ("anmeldung", {}, 0),
    ],
)
def test_fees(service: str, form: dict[str, str], cents: int) -> None:
    assert default_catalogue().service(service).fee.compute(form) == cents


@pytest.mark.parametrize(
    ("field_type", "value", "key"),
    [
        (FieldType.PLATE, "SI-AB 123", None),
        (FieldType.PLATE, "si-ab 123", None),
        (FieldType.PLATE, "SI-AB 0123", "field.pattern"),
        (FieldType.PLATE, "123", "field.pattern"),
        (FieldType.POSTCODE, "57072", None),
        (FieldType.POSTCODE, "5707", "field.pattern"),
        (FieldType.PAST_DATE, "14.03.1985", None),
        (FieldType.PAST_DATE, "1985-03-14", None),
        (FieldType.PAST_DATE, "31.02.1985", "field.date"),
        (FieldType.PAST_DATE, "01.01.2030", "field.date_future"),
        (FieldType.NAME, "Müller-Lüdenscheidt", None),
        (FieldType.NAME, "R2D2", "field.pattern"),
        (FieldType.EMAIL, "anna@example.org", None),
        (FieldType.EMAIL, "anna@", "field.email"),
        (FieldType.PHONE, "0171 2345678", None),
        (FieldType.PHONE, "+49 (171) 234-5678", None),
        (FieldType.PHONE, "0171/2345678", None),
        (FieldType.PHONE, "anrufen", "field.pattern"),
        (FieldType.PHONE, "12", "field.pattern"),
        (FieldType.DOCUMENT_NUMBER, "L01X00T47", None),
        (FieldType.DOCUMENT_NUMBER, "L01X00T4", "field.pattern"),
    ],
)
def test_field_validation(field_type: FieldType, value: str, key: str | None) -> None:
    catalogue = default_catalogue()
    spec = next(
        s
        for service in catalogue.services
        for s in catalogue.form_fields(service.id)
        if s.type is field_type
    )
    error = spec.validate(value, today=TODAY)
    assert (error.key if error else None) == key


def test_whole_form_lists_every_problem_in_form_order() -> None:
    errors = default_catalogue().validate(
        "bewohnerparkausweis",
        {
            "family_name": "",
            "given_names": "Anna",
            "birth_date": "gestern",
            "plate": "XX",
            "bogus": "1",
        },
        today=TODAY,
    )
    fields = [error.field for error in errors]
    assert fields[:3] == ["family_name", "birth_date", "kind"]
    assert "plate" in fields and fields[-1] == "bogus"


@pytest.mark.parametrize(
    "breakage",
    [
        lambda c: c.pop("catalogue_version"),
        lambda c: c["services"][0].update(identity_level="SUPREME"),
        lambda c: c["services"][0]["fee"].update(kind="lottery"),
        lambda c: c["services"][0]["fee"]["cents"].update(paper=-5),
        lambda c: c["services"][0]["fields"][0].update(type="colour"),
        lambda c: c["services"][1].update(id=c["services"][0]["id"]),
        lambda c: c["services"][0]["fields"].append(
            {"name": "family_name", "label": ["a", "b"], "type": "text"}
        ),
        lambda c: c["services"][0].pop("sla_working_days"),
    ],
)
def test_invalid_catalogue_is_refused_with_a_reason(breakage: Any) -> None:
    document = copy.deepcopy(raw_catalogue())
    breakage(document)
    with pytest.raises(CatalogueError) as refused:
        parse_catalogue(document)
    assert "catalogue" in refused.value.text("en").lower()
