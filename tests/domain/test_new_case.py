"""One way to make a case: every channel's form is cleaned the same way and becomes the same
kind of case; only what the channel proves (identity, a booked payment) differs."""

from __future__ import annotations

import datetime as dt

from app.domain.cases import Channel, PaymentState
from app.domain.catalogue import default_catalogue
from app.domain.identity import IdentityLevel
from app.domain.new_case import clean_form, new_case
from app.domain.working_days import WorkingCalendar, WorkingDays

NOW = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
CALENDAR = WorkingCalendar.of_services(WorkingDays(), default_catalogue().services)
FORM = {
    "family_name": "  Müller ",
    "given_names": "Anna\t",
    "birth_date": " 14.03.1985",
    "email": "",
    "plate": " SI-AB 123 ",
    "street": "Markt 2",
}


def test_every_channel_strips_and_drops_empty_values_alike() -> None:
    service = default_catalogue().service("bewohnerparkausweis")
    clean = clean_form(FORM)
    assert clean["family_name"] == "Müller" and "email" not in clean
    cases = {
        channel: new_case(
            service=service, form=clean, channel=channel, office_id=1, now=NOW, calendar=CALENDAR
        )
        for channel in Channel
    }
    applicants = {case.applicant for case in cases.values()}
    assert len(applicants) == 1
    [applicant] = applicants
    assert (applicant.family_name, applicant.given_names) == ("Müller", "Anna")
    assert applicant.birth_date == dt.date(1985, 3, 14)
    for case in cases.values():
        assert dict(case.form_data)["plate"] == "SI-AB 123"
        assert "family_name" not in dict(case.form_data)
        assert case.due_at > NOW and case.identity_required is service.identity_level


def test_what_a_channel_proves_is_passed_in() -> None:
    service = default_catalogue().service("bewohnerparkausweis")
    clean = clean_form(FORM)
    counter = new_case(
        service=service,
        form=clean,
        channel=Channel.COUNTER,
        office_id=1,
        now=NOW,
        calendar=CALENDAR,
    )
    portal = new_case(
        service=service,
        form=clean,
        channel=Channel.ONLINE,
        office_id=1,
        now=NOW,
        calendar=CALENDAR,
        identity_verified=IdentityLevel.HIGH,
        paid=True,
        payment_reference="KZ-1",
        submission_id="6f1c2c7e-0000-4000-8000-000000000001",
    )
    assert counter.payment is PaymentState.OPEN and counter.identity_verified is IdentityLevel.NONE
    assert portal.payment is PaymentState.PAID and portal.payment_reference == "KZ-1"
    assert portal.identity_verified is IdentityLevel.HIGH
