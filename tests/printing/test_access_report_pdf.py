"""The access report's PDF says in words what the offices hold: no form code, identity-check
code, state or action name reaches the citizen."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from app.domain.access_report import AccessReport, CaseRecord, Person, Retrieval
from app.domain.catalogue import default_catalogue
from printing.access_report_pdf import access_report_pdf

AT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def _text(report: AccessReport) -> str:
    pdf = access_report_pdf(report, authority="Stadt Siegen", catalogue=default_catalogue())
    pages = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(pages.split())  # a table cell's line breaks as spaces


def _case(service: str, form: dict[str, str]) -> CaseRecord:
    return CaseRecord(
        reference="SI-2026-000042",
        service=service,
        channel="counter",
        status="collected",
        office="Mitte",
        received_at=AT,
        family_name="Yılmaz",
        given_names="Ayşe",
        birth_date=dt.date(1990, 5, 17),
        contact={"email": "ayse@example.org", "mobile_phone": ""},
        form_data=form,
        documents=[
            {"number": "2026-000007", "kind": "bewohnerparkausweis", "issued_at": "", "pages": "1"}
        ],
        identity_checks=[
            {
                "at": AT.isoformat(),
                "by": "clerk1",
                "check": "counter_visual: HIGH | document=passport | note=Foto passt",
            }
        ],
        notices=[{"channel": "sms", "to": "+4917", "subject": "", "sent_at": ""}],
        box_loadings=[
            {
                "office": "MI",
                "compartment": "A3",
                "state": "collected",
                "loaded_at": "",
                "ended_at": "",
            }
        ],
        payments=[
            {
                "kind": "counter (cash)",
                "status": "booked",
                "amount_cents": "3050",
                "reference": "Q-1",
            },
            {"kind": "online (link)", "status": "BOOKED", "amount_cents": "", "reference": "P"},
            {
                "kind": "counter (cash)",
                "status": "cancelled",
                "amount_cents": "-150",
                "reference": "Q-2",
            },
        ],
        retrievals=[
            Retrieval("clerk1", "case.viewed", AT),
            Retrieval("clerk2", "forms.printed", AT),
        ],
    )


def test_codes_are_said_in_words() -> None:
    person = Person("Yilmaz", "Ayse", dt.date(1990, 5, 17))
    form = {"kind": "renewal", "zone": "A", "holder": "self", "period_months": "12"}
    text = _text(AccessReport(person, AT, "supervisor", [_case("bewohnerparkausweis", form)]))
    for readable in (
        "Verlängerung",
        "Zone A – Oberstadt",
        "Antragsteller/in selbst",
        "12 Monate",
        "Bewohnerparkausweis",
        "Reisepass",
        "Vermerk: Foto passt",
        "SMS",
        "am Schalter (bar)",
        "30,50 €",
        "-1,50 €",  # a cancellation (divmod alone would make it -2,50 €)
        "gebucht",
        "Vorgang geöffnet",
        "Formular gedruckt",
    ):
        assert readable in text, readable
    assert AT.astimezone().strftime("%d.%m.%Y %H:%M") in text  # the seat's time, not UTC
    for code in ("renewal", "counter_visual", "HIGH", "case.viewed", "counter (cash)", "BOOKED"):
        assert code not in text, code


def test_a_service_the_catalogue_no_longer_offers_keeps_its_codes() -> None:
    person = Person("Yilmaz", "Ayse", dt.date(1990, 5, 17))
    case = _case("altdienst", {"kind": "renewal", "birth_date": "1990-05-17"})
    text = _text(AccessReport(person, AT, "supervisor", [case]))
    assert "altdienst" in text and "renewal" in text
    assert "17.05.1990" in text  # an applicant's field is still known
