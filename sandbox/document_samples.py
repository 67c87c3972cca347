"""One realistic case per document kind, with umlauts and ß where names have them: for the
template tests, the benchmark and the PNG renders in docs/."""

from __future__ import annotations

import datetime as dt

from app.domain.cases import Applicant, Case, CaseStatus, Channel, PaymentState
from app.domain.documents import DocumentContent, DocumentKind, Issuer, document_content
from app.domain.identity import IdentityLevel

ISSUER = Issuer(
    authority="Stadt Siegen",
    office_name="Bürgerbüro Innenstadt",
    office_code="SI",
    office_address="Markt 2, 57072 Siegen",
    clerk_name="Jürgen Weiß",
    city="Stadt Siegen",
    verifier_url="https://www.siegen.de/pruefen",
)

REGISTER = {
    "main_address": "Weidenauer Straße 12, 57076 Siegen",
    "usual_given_name": "Jörg",
    "moved_in": "2019-04-01",
    "birth_place": "Köln",
    "nationality": "deutsch",
    "marital_status": "verheiratet",
    "former_addresses": "Große Straße 3, 50667 Köln",
    "register_entry": "G 1234/1980",
    "sex": "männlich",
    "parents": "Hans Müller-Lüdenscheidt, Gülşen Müller-Lüdenscheidt geb. Öztürk",
    "married_name": "Müller",
    "birth": "14.03.1941 in Olpe",
    "last_residence": "Siegen",
    "service_name": "Bewohnerparkausweis",
}

_FORMS: dict[DocumentKind, tuple[str, dict[str, str]]] = {
    DocumentKind.MELDEBESCHEINIGUNG: (
        "meldebescheinigung_einfach",
        {"doctoral_degree": "Dr.", "delivery": "paper"},
    ),
    DocumentKind.MELDEBESCHEINIGUNG_ERWEITERT: (
        "meldebescheinigung_erweitert",
        {
            "include_former_addresses": "true",
            "include_marital_status": "true",
            "purpose": "Vorlage beim Arbeitgeber",
            "delivery": "paper",
        },
    ),
    DocumentKind.BEWOHNERPARKAUSWEIS: (
        "bewohnerparkausweis",
        {
            "kind": "new",
            "street": "Löhrstraße 7, 57072 Siegen",
            "zone": "A",
            "plate": "SI-ÖK 123",
            "holder": "self",
            "period_months": "12",
        },
    ),
    DocumentKind.GEBURTSURKUNDE: (
        "geburtsurkunde",
        {
            "certificate_type": "certificate",
            "person_name": "Jörg Äneas Müller-Lüdenscheidt",
            "event_date": "1980-02-29",
            "event_place": "Siegen",
            "relationship": "self",
            "purpose": "Eheschließung",
            "copies": "1",
        },
    ),
    DocumentKind.EHEURKUNDE: (
        "eheurkunde",
        {
            "certificate_type": "certificate",
            "spouse_1": "Jörg Äneas Müller-Lüdenscheidt",
            "spouse_2": "Gülşen Öztürk",
            "event_date": "2015-06-12",
            "event_place": "Siegen",
            "relationship": "self",
            "purpose": "",
            "copies": "1",
        },
    ),
    DocumentKind.STERBEURKUNDE: (
        "sterbeurkunde",
        {
            "certificate_type": "certificate",
            "person_name": "Margarete Weiß geb. Strauß",
            "event_date": "2026-10-01",
            "event_place": "Siegen",
            "relationship": "child",
            "purpose": "Nachlass",
            "copies": "1",
        },
    ),
    DocumentKind.ABLEHNUNGSBESCHEID: ("bewohnerparkausweis", {}),
}

REJECTION_REASON = (
    "Ein Bewohnerparkausweis setzt voraus, dass die Hauptwohnung in der beantragten Zone liegt "
    "(§ 45 Abs. 1b Nr. 2a StVO). Ihre Hauptwohnung Weidenauer Straße 12 liegt in Zone C, nicht "
    "in der beantragten Zone A.\n\nEine Zone, in der Sie nicht wohnen, kann nicht bewilligt "
    "werden. Einen Antrag für Zone C können Sie jederzeit stellen."
)


def sample_case(kind: DocumentKind, *, case_id: int = 1) -> Case:
    service_id, form = _FORMS[kind]
    received = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
    rejected = kind is DocumentKind.ABLEHNUNGSBESCHEID
    return Case(
        id=case_id,
        reference=f"SI-2026-{case_id:06d}",
        office_id=1,
        service_id=service_id,
        channel=Channel.ONLINE,
        status=CaseStatus.REJECTED if rejected else CaseStatus.APPROVED,
        applicant=Applicant(
            "Müller-Lüdenscheidt", "Jörg Äneas", dt.date(1980, 2, 29), "joerg@example.org"
        ),
        form_data=tuple(form.items()),
        identity_required=IdentityLevel.HIGH,
        identity_verified=IdentityLevel.HIGH,
        fee_cents=900,
        payment=PaymentState.PAID,
        payment_reference="",
        received_at=received,
        due_at=received + dt.timedelta(days=2),
        assignee="jweiss",
        decision_reason=REJECTION_REASON if rejected else "",
    )


def sample_content(
    kind: DocumentKind, *, number: str = "2026-000042", issued_on: dt.date | None = None
) -> DocumentContent:
    return document_content(
        sample_case(kind),
        kind,
        number=number,
        issuer=ISSUER,
        issued_on=issued_on or dt.date(2026, 11, 22),
        register=REGISTER,
    )
