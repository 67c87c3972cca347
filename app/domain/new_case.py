"""A validated form becomes a new case here, whichever channel it came by: the counter, the
portal (FIT-Connect) or a PDF form. The channels differ only in what they pass in (who they
are, what identity the channel proved, a payment the portal booked)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from app.domain.cases import (
    Applicant,
    Case,
    CaseEvent,
    Channel,
    EnteredData,
    Note,
    PaymentState,
    initial_payment,
)
from app.domain.catalogue import (
    FieldType,
    Service,
    normalize_phone,
    normalize_plate,
    parse_date,
)
from app.domain.identity import IdentityLevel
from app.domain.working_days import WorkingCalendar


@dataclass(frozen=True, slots=True)
class NewCase:
    """A case before it has an id and a reference."""

    office_id: int
    service_id: str
    channel: Channel
    applicant: Applicant
    form_data: tuple[tuple[str, str], ...]
    identity_required: IdentityLevel
    identity_verified: IdentityLevel
    fee_cents: int
    payment: PaymentState
    received_at: dt.datetime
    due_at: dt.datetime
    submission_id: str | None = None
    payment_reference: str = ""
    notes: tuple[str, ...] = ()  # for the clerk, from whoever made the case (e.g. the intake)
    needs_data_entry: bool = False  # a scan of a paper form: the data is to be typed from it


@dataclass(frozen=True, slots=True)
class HistoricCase:
    """A case with its whole past, for bulk loading (demo data, benchmarks, migrations in)."""

    draft: NewCase
    final: Case  # the case after its last event; id, reference and version are assigned on load
    events: tuple[CaseEvent, ...]
    notes: tuple[Note, ...] = ()


APPLICANT_FIELDS = ("family_name", "given_names", "birth_date", "email", "mobile_phone")


def clean_form(form: Mapping[str, object]) -> dict[str, str]:
    """Values as text without surrounding whitespace; empty ones are not given. Validation and
    the case both see this, so 'Müller ' and 'Müller' are the same applicant everywhere."""
    cleaned = {name: str(value).strip() for name, value in form.items()}
    return {name: value for name, value in cleaned.items() if value}


def new_case(
    *,
    service: Service,
    form: Mapping[str, str],
    channel: Channel,
    office_id: int,
    now: dt.datetime,
    calendar: WorkingCalendar,
    identity_verified: IdentityLevel = IdentityLevel.NONE,
    paid: bool = False,
    payment_reference: str = "",
    submission_id: str | None = None,
    notes: tuple[str, ...] = (),
) -> NewCase:
    """The case a clean, validated form (`clean_form`, `Catalogue.validate`) becomes. Values
    are stored one way whatever the channel: dates as ISO (the counter types TT.MM.JJJJ, the
    portal sends ISO), plates as 'SI-AB 123'."""
    entered = entered_data(service=service, form=form, paid=paid)
    return NewCase(
        office_id=office_id,
        service_id=service.id,
        channel=channel,
        applicant=entered.applicant,
        form_data=entered.form_data,
        identity_required=entered.identity_required,
        identity_verified=identity_verified,
        fee_cents=entered.fee_cents,
        payment=entered.payment,
        received_at=now,
        due_at=calendar.due_at(service.id, now),
        submission_id=submission_id,
        payment_reference=payment_reference,
        notes=notes,
    )


def scanned_case(
    *,
    service: Service,
    channel: Channel,
    office_id: int,
    now: dt.datetime,
    calendar: WorkingCalendar,
    submission_id: str,
    email: str = "",
    notes: tuple[str, ...] = (),
) -> NewCase:
    """A case for a scanned paper form of `service`: it is recognised, but its values are a
    picture, so a clerk types them (`entered_data`) before it can be decided. Until then it
    has no applicant but the reply address the form came from, and no fee is due."""
    return NewCase(
        office_id=office_id,
        service_id=service.id,
        channel=channel,
        applicant=Applicant("", "", None, email),
        form_data=(),
        identity_required=service.identity_level,
        identity_verified=IdentityLevel.NONE,
        fee_cents=0,
        payment=initial_payment(0),
        received_at=now,
        due_at=calendar.due_at(service.id, now),
        submission_id=submission_id,
        notes=notes,
        needs_data_entry=True,
    )


def entered_data(*, service: Service, form: Mapping[str, str], paid: bool = False) -> EnteredData:
    """The applicant, values, fee and identity level a clean, validated form gives a case,
    whether it came filled in or a clerk typed it from a scan."""
    form = _normalized(service, form)
    birth_date = parse_date(form["birth_date"])
    if birth_date is None:
        raise ValueError("birth_date must be validated before a case is made")
    fee = service.fee.compute(form)
    return EnteredData(
        applicant=Applicant(
            form["family_name"],
            form["given_names"],
            birth_date,
            form.get("email", ""),
            normalize_phone(form.get("mobile_phone", "")),
        ),
        form_data=tuple(sorted((k, v) for k, v in form.items() if k not in APPLICANT_FIELDS)),
        identity_required=service.identity_level,
        fee_cents=fee,
        payment=PaymentState.PAID if fee and paid else initial_payment(fee),
    )


def _normalized(service: Service, form: Mapping[str, str]) -> dict[str, str]:
    normalized = dict(form)
    for spec in service.fields:
        value = normalized.get(spec.name)
        if not value:
            continue
        if spec.type is FieldType.PLATE:
            normalized[spec.name] = normalize_plate(value)
        elif spec.type is FieldType.PHONE:
            normalized[spec.name] = normalize_phone(value)
        elif spec.type in (FieldType.DATE, FieldType.PAST_DATE):
            day = parse_date(value)
            normalized[spec.name] = day.isoformat() if day else value
    return normalized
