"""Realistic demo data: German names, Siegen streets, every service and state, a year of history.

Histories are produced by the domain's own transitions, so every demo case is a case the
application itself could have produced."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from app.domain.cases import (
    Applicant,
    Case,
    CaseEvent,
    CaseStatus,
    Channel,
    Note,
    PaymentState,
    initial_payment,
)
from app.domain.catalogue import Catalogue, FieldSpec, FieldType, Service
from app.domain.identity import IdentityLevel
from app.domain.new_case import HistoricCase, NewCase
from app.domain.users import Office, Role, User
from app.domain.working_days import WorkingCalendar

FAMILY_NAMES = (
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch "
    "Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann "
    "Lange Schmitt Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König "
    "Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert Vogel "
    "Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht "
    "Schuster "
    "Simon Ludwig Böhm Winter Kraus Martin Schumacher Krämer Vogt Stein Jäger Otto Sommer Groß "
    "Seidel Heinrich Brandt Haas Schreiber Graf Schulte Dietrich Ziegler Kuhn Kühn Pohl Engel Horn "
    "Busch Bergmann Thomas Voigt Sauer Arnold Wolff Pfeiffer Yılmaz Kaya Nowak Kowalski Öztürk"
).split()
GIVEN_NAMES = (
    "Anna Maria Sophie Marie Lena Emma Hannah Mia Lea Laura Julia Sarah Lisa Katharina Johanna "
    "Charlotte Ursula Ingrid Renate Gabriele Monika Petra Sabine Claudia Jürgen Klaus Peter "
    "Michael "
    "Thomas Andreas Stefan Frank Uwe Dieter Wolfgang Günter Hans Jörg Lukas Leon Paul Jonas Finn "
    "Elias Noah Ben Luca Felix Maximilian Alexander Tobias Jan Björn Sören Mehmet Ayşe Zoë René"
).split()
STREETS = (
    "Kölner Straße",
    "Marburger Straße",
    "Sandstraße",
    "Koblenzer Straße",
    "Hagener Straße",
    "Weidenauer Straße",
    "Birlenbacher Straße",
    "Freudenberger Straße",
    "Eiserfelder Straße",
    "Am Bahnhof",
    "Morleystraße",
    "Löhrstraße",
    "Oberstadt",
    "Am Häusling",
    "Rosterstraße",
    "Hinterstraße",
    "Emilienstraße",
    "Friedrichstraße",
    "Giersbergstraße",
    "Leimbachstraße",
    "Fischbacherbergstraße",
    "Siegstraße",
    "Hüttentalstraße",
    "Im Tiergarten",
    "Unteres Schloß",
    "Obergraben",
    "Tiergartenstraße",
    "Numbachstraße",
    "Wellersbergstraße",
    "Rathausstraße",
)
POSTCODES = ("57072", "57074", "57076", "57078", "57080")
PLATE_DISTRICTS = ("SI", "OE", "AK", "DI", "HSK")
REJECTION_REASONS = (
    "Keine Wohnungsgeberbestätigung vorgelegt.",
    "Hauptwohnung liegt nicht in der beantragten Bewohnerparkzone.",
    "Rechtliches Interesse nicht glaubhaft gemacht (§ 62 PStG).",
    "Antrag auf Wunsch der antragstellenden Person zurückgezogen.",
    "Fahrzeug ist nicht auf die antragstellende Person zugelassen; Halterbestätigung fehlt.",
)
NOTE_TEXTS = (
    "Rückruf vereinbart, Unterlagen werden nachgereicht.",
    "Bürgerin hat telefonisch nachgefragt.",
    "Nachweis geprüft, in Ordnung.",
    "Bitte bei Abholung alten Ausweis einziehen.",
    "Gebühr bar bezahlt, Quittung ausgehändigt.",
)

DEMO_NOTE = "Personalausweis vorgelegt, Lichtbild verglichen (Lesegerät defekt)"


OFFICE_SHARE = {"SI": 4.5, "WE": 2.5, "GE": 2.0, "EI": 1.0}
SEASON = {
    1: 1.1,
    2: 0.9,
    3: 1.1,
    4: 1.2,
    5: 1.1,
    6: 1.0,
    7: 1.0,
    8: 0.7,
    9: 1.2,
    10: 1.1,
    11: 1.0,
    12: 0.75,
}


def demo_staff(offices: list[Office], os_login: str) -> list[tuple[str, str, Role, int]]:
    """(login, display name, role, office id) for three clerks and a supervisor per office,
    and the person running the demo as admin of the first office."""
    staff: list[tuple[str, str, Role, int]] = [
        (os_login, f"Demo ({os_login})", Role.ADMIN, offices[0].id)
    ]
    rng = random.Random(7)
    for office in offices:
        for index in range(4):
            given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
            login = f"{given[0]}.{family}".lower().translate(str.maketrans("äöüßışé", "aousise"))
            login = f"{login}.{office.code.lower()}{index}"
            role = Role.SUPERVISOR if index == 0 else Role.CLERK
            staff.append((login, f"{given} {family}", role, office.id))
    return staff


def demo_mobile(birth: dt.date) -> str:
    """A number from the Bundesnetzagentur's range for film and television (0171 39200xx):
    valid in form, nobody's phone. Chosen without the generator, so the rest stays as it was."""
    return f"0171 39200{birth.day:02d}"


class DemoGenerator:
    """Cases spread over the year before `now`; older ones further along their way."""

    def __init__(
        self,
        *,
        catalogue: Catalogue,
        calendar: WorkingCalendar,
        offices: list[Office],
        clerks: list[User],
        now: dt.datetime,
        seed: int = 1,
    ) -> None:
        self.catalogue, self.calendar = catalogue, calendar
        self.offices = offices
        self.clerks = [clerk for clerk in clerks if clerk.has_role(Role.CLERK)]
        self.now = now
        self.rng = random.Random(seed)

    def _office(self) -> int:
        """The four offices by their size: the city centre busiest, Eiserfeld smallest."""
        weights = [OFFICE_SHARE.get(office.code, 1.0) for office in self.offices]
        return self.rng.choices(self.offices, weights=weights)[0].id

    def _received(self) -> dt.datetime:
        """A year with its seasons: more in the moving months (spring, late summer) and before
        the holidays, fewer in August and at Christmas; none on Sundays."""
        rng = self.rng
        while True:
            age = dt.timedelta(minutes=int(rng.triangular(0, 365 * 24 * 60, 0)))
            received = self.now - age
            if received.weekday() == 6:
                continue
            if rng.random() < SEASON.get(received.month, 1.0) / max(SEASON.values()):
                return received

    def cases(self, count: int) -> Iterator[HistoricCase]:
        for _ in range(count):
            yield self.one()

    def _value(self, spec: FieldSpec, received: dt.datetime) -> str:
        rng = self.rng
        if spec.type is FieldType.CHOICE:
            return rng.choice(spec.choices).value
        if spec.type is FieldType.BOOLEAN:
            return rng.choice(("true", "false"))
        if spec.type is FieldType.INTEGER:
            return str(rng.choice((1, 1, 1, 2, 3)))
        if spec.type in (FieldType.DATE, FieldType.PAST_DATE):
            days = rng.randint(1, 30) if spec.name == "move_date" else rng.randint(200, 30000)
            return (received.date() - dt.timedelta(days=days)).isoformat()
        if spec.type is FieldType.PLATE:
            letters = "".join(rng.choice("ABCDEFGHKLMNPRSTUVWXZ") for _ in range(rng.randint(1, 2)))
            return f"{rng.choice(PLATE_DISTRICTS)}-{letters} {rng.randint(1, 9999)}"
        if spec.type is FieldType.POSTCODE:
            return rng.choice(POSTCODES)
        if spec.type is FieldType.DOCUMENT_NUMBER:
            return "".join(rng.choice("CFGHJKLMNPRTVWXYZ0123456789") for _ in range(9))
        if spec.type is FieldType.NAME:
            return f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}"
        if spec.name in ("street",):
            return f"{rng.choice(STREETS)} {rng.randint(1, 120)}"
        if "address" in spec.name:
            return f"{rng.choice(STREETS)} {rng.randint(1, 120)}, {rng.choice(POSTCODES)} Siegen"
        if spec.name == "landlord_code":
            return f"WGB-{rng.randint(100000, 999999)}"
        if spec.name == "event_place":
            return rng.choice(("Siegen", "Netphen", "Kreuztal", "Hilchenbach", "Olpe", "Köln"))
        if spec.name == "purpose":
            return rng.choice(
                ("Rentenversicherung", "Eheschließung", "Nachlassgericht", "Arbeitgeber")
            )
        if spec.name == "doctoral_degree":
            return rng.choice(("", "", "", "Dr."))
        return "Siegen"

    def application(self, service: Service, *, at: dt.datetime) -> dict[str, str]:
        """A valid application form for `service` as a citizen would fill it in (portal demo)."""
        rng = self.rng
        family, given = rng.choice(FAMILY_NAMES), rng.choice(GIVEN_NAMES)
        birth = dt.date(rng.randint(1935, 2008), rng.randint(1, 12), rng.randint(1, 28))
        form = {
            "family_name": family,
            "given_names": given,
            "birth_date": birth.isoformat(),
            "email": f"{given}.{family}@example.org".lower().replace(" ", ""),
            "mobile_phone": demo_mobile(birth) if birth.day % 3 == 0 else "",
        }
        form.update({spec.name: self._value(spec, at) for spec in service.fields if spec.required})
        return {name: value for name, value in form.items() if value}

    def one(self) -> HistoricCase:
        rng = self.rng
        service = rng.choice(self.catalogue.services)
        received = self._received()
        family, given = rng.choice(FAMILY_NAMES), rng.choice(GIVEN_NAMES)
        birth = dt.date(rng.randint(1935, 2008), rng.randint(1, 12), rng.randint(1, 28))
        email = f"{given}.{family}@example.org".lower() if rng.random() < 0.6 else ""
        form = {
            spec.name: self._value(spec, received)
            for spec in service.fields
            if spec.required or rng.random() < 0.5
        }
        form = {k: v for k, v in form.items() if v}
        # the council's goal shows: the portal's share grows over the year, 40 % to 65 %
        progress = 1 - (self.now - received) / dt.timedelta(days=365)
        online = rng.random() < 0.40 + 0.25 * max(0.0, min(1.0, progress))
        channel = Channel.ONLINE if online else Channel.COUNTER
        level = (
            rng.choice((IdentityLevel.BASIC, IdentityLevel.SUBSTANTIAL, IdentityLevel.HIGH))
            if online
            else IdentityLevel.NONE
        )
        fee = service.fee.compute(form)
        draft = NewCase(
            office_id=self._office(),
            service_id=service.id,
            channel=channel,
            applicant=Applicant(
                family, given, birth, email, demo_mobile(birth) if birth.month % 4 == 0 else ""
            ),
            form_data=tuple(sorted(form.items())),
            identity_required=service.identity_level,
            identity_verified=level,
            fee_cents=fee,
            payment=initial_payment(fee),
            received_at=received,
            due_at=self.calendar.due_at(service.id, received),
        )
        opener = "portal" if online else rng.choice(self.clerks).login
        events = [CaseEvent("open", opener, received, None, CaseStatus.RECEIVED, channel.value)]
        case = Case(
            id=0,
            reference="",
            office_id=draft.office_id,
            service_id=service.id,
            channel=channel,
            status=CaseStatus.RECEIVED,
            applicant=draft.applicant,
            form_data=draft.form_data,
            identity_required=draft.identity_required,
            identity_verified=level,
            fee_cents=fee,
            payment=draft.payment,
            payment_reference="",
            received_at=received,
            due_at=draft.due_at,
        )
        notes: list[Note] = []
        case = self._advance(case, events, notes, service.pickup_box, self.now - received)
        return HistoricCase(draft=draft, final=case, events=tuple(events), notes=tuple(notes))

    def _advance(
        self,
        case: Case,
        events: list[CaseEvent],
        notes: list[Note],
        boxable: bool,
        age: dt.timedelta,
    ) -> Case:
        """Walk the case forward; how far depends on its age (old cases are mostly finished)."""
        rng = self.rng
        days = age.total_seconds() / 86400
        if days > 20:  # old cases are finished, but for the odd one that got stuck
            progress = 1.0 if rng.random() > 0.03 else rng.random()
        else:
            progress = rng.random() * min(1.0, 0.1 + days / 8)
        clock = case.received_at

        def later(hours: float) -> dt.datetime:
            nonlocal clock
            clock = min(self.now, clock + dt.timedelta(hours=rng.uniform(0.2, hours)))
            return clock

        def step(result: tuple[Case, CaseEvent]) -> Case:
            events.append(result[1])
            return result[0]

        if progress < 0.2:
            return case
        clerk = rng.choice(self.clerks)
        case = step(case.claim(clerk, later(30)))
        if rng.random() < 0.3:
            notes.append(Note(clerk.login, later(4), rng.choice(NOTE_TEXTS)))
        if progress < 0.35:
            return case
        if rng.random() < 0.08:
            return step(case.reject(clerk, rng.choice(REJECTION_REASONS), later(24)))
        if case.identity_verified < case.identity_required:
            case = step(
                case.verify_identity(
                    clerk, IdentityLevel.HIGH, "counter_visual", later(48), note=DEMO_NOTE
                )
            )
        if case.payment is PaymentState.OPEN:
            state = rng.choice((PaymentState.PAID, PaymentState.PAID, PaymentState.FEE_NOTICE))
            case = step(
                case.record_payment(clerk, state, f"KZ-{rng.randint(10**8, 10**9 - 1)}", later(24))
            )
        if progress < 0.5:
            return case
        case = step(case.approve(clerk, later(8)))
        if progress < 0.6:
            return case
        case = step(case.mark_printed(clerk, later(2), "Schalterdrucker"))
        if boxable and rng.random() < 0.35:
            case = step(case.put_in_box(clerk, later(4), f"Fach {rng.randint(1, 45)}"))
            if progress < 0.75:
                return case
            if rng.random() < 0.1:
                case = step(case.return_from_box(clerk, later(24 * 7)))
                return step(case.hand_over(clerk, later(72))) if progress > 0.85 else case
            case = step(
                case.collect(
                    User(0, "pickup-box", "Ausgabebox", Role.CLERK, case.office_id), later(72)
                )
            )
            return step(case.close(clerk, later(24)))
        if progress < 0.7:
            return case
        return step(case.hand_over(clerk, later(72)))
