"""The access report (DSGVO Art. 15) as the citizen gets it: a PDF listing every case the
offices hold on them, with its documents, identity checks, notices, box loadings, payments,
notes, attachments and who of the staff read it when."""

from __future__ import annotations

import datetime as dt
import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.domain.access_report import AccessReport, CaseRecord
from app.domain.cases import format_cents
from app.domain.catalogue import Catalogue
from app.domain.document_kinds import TITLES, DocumentKind
from app.domain.documents import german_date
from app.domain.errors import DomainError
from app.domain.event_texts import action_text, event_reason_text, known_text
from app.domain.form_fields import FieldSpec, FieldType, parse_date
from app.domain.messages import render
from printing.layout import FONT, FONT_BOLD, STYLES

INTRO = (
    "Sie haben Auskunft über die Daten verlangt, die die {authority} zu Ihrer Person speichert "
    "(Art. 15 DSGVO). Gesucht wurde nach Ihrem Namen und Geburtsdatum in allen Vorgängen der "
    "Bürgerbüros, auch in Schreibweisen ohne Umlaute und bei Doppelnamen nach jedem Teil. "
    "Für jeden Vorgang stehen unten die gespeicherten Angaben, die ausgestellten Dokumente, "
    "Identitätsprüfungen, Benachrichtigungen, Abholungen, Zahlungen, Vermerke, Anlagen und "
    "welche Beschäftigten den Vorgang wann geöffnet haben."
)


CONTACT = {"email": "E-Mail", "mobile_phone": "Mobilnummer"}
NOTICE_WAYS = {"mail": "E-Mail", "sms": "SMS"}
PAYMENT_STATES = {
    "INITIAL": "begonnen",
    "BOOKED": "gebucht",
    "FAILED": "fehlgeschlagen",
    "CANCELED": "abgebrochen",
    "booked": "gebucht",
    "cancelled": "storniert",
}
# what a member of staff did when they read the case (app.domain.access_report.RETRIEVALS)
RETRIEVAL_TEXTS = {
    "case.viewed": "Vorgang geöffnet",
    "case.attachment_viewed": "Anlage angesehen",
    "case.attachments": "Anlagen gespeichert",
    "document.viewed": "Dokument angesehen",
    "document.printed": "Dokument gedruckt",
    "status.printed": "Sachstand gedruckt",
    "forms.printed": "Formular gedruckt",
    "intake.quarantine_read": "Eingang in der Quarantäne gelesen",
}


class CatalogueWords:
    """The catalogue's words for a case's codes: the service's name, a field's label, a
    choice's text; a service the catalogue no longer offers keeps its codes."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue

    def service_name(self, service_id: str) -> str:
        try:
            return self.catalogue.service(service_id).name("de")
        except DomainError:
            return service_id

    def _field(self, service_id: str, name: str) -> FieldSpec | None:
        try:
            fields = self.catalogue.form_fields(service_id)
        except DomainError:
            fields = self.catalogue.applicant_fields
        return next((field for field in fields if field.name == name), None)

    def label(self, service_id: str, name: str) -> str:
        field = self._field(service_id, name)
        return field.label("de") if field else name

    def value(self, service_id: str, name: str, value: object) -> str:
        """'Personalausweis' for id_card, 'ja' for true, '29.02.1980' for a date."""
        text = str(value)
        field = self._field(service_id, name)
        if field is None:
            return text
        if field.type is FieldType.CHOICE:
            return next((c.label("de") for c in field.choices if c.value == text), text)
        if field.type is FieldType.BOOLEAN:
            return {"true": "ja", "false": "nein"}.get(text.lower(), text)
        if field.type in (FieldType.DATE, FieldType.PAST_DATE):
            day = parse_date(text)
            return german_date(day) if day else text
        return text


def _document_title(kind: str) -> str:
    try:
        return TITLES[DocumentKind(kind)]
    except ValueError:
        return kind


def _when(text: str) -> str:
    """An instant as the citizen reads it: in this seat's time zone, as on a receipt."""
    if not text:
        return "–"
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    return moment.astimezone().strftime("%d.%m.%Y %H:%M")


def _table(rows: list[list[str]], widths: tuple[float, ...]) -> Table:
    cells = [[Paragraph(escape(cell), STYLES.small) for cell in row] for row in rows]
    table = Table(cells, colWidths=widths, hAlign="LEFT", repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8),
                ("FONT", (0, 1), (-1, -1), FONT, 8),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _section(
    title: str, header: list[str], rows: list[list[str]], widths: tuple[float, ...]
) -> list[Flowable]:
    if not rows:
        return [Spacer(1, 1.5 * mm), Paragraph(f"{escape(title)}: keine", STYLES.small)]
    return [Paragraph(escape(title), STYLES.heading), _table([header, *rows], widths)]


def _euros(cents: str) -> str:
    """'2650' → '26,50 €'; an amount not known as '–'."""
    return format_cents(int(cents)) if cents.lstrip("-").isdigit() else "–"


def _payment_way(kind: str) -> str:
    """'online (portal)' → 'online (beim Antrag)', 'counter (cash)' → 'am Schalter (bar)'."""
    where, _space, how = kind.partition(" ")
    how = how.strip("()")
    ways = {
        "portal": "beim Antrag",
        "link": "per Zahlungslink",
        "cash": "bar",
        "card": "Karte",
    }
    place = {"online": "online", "counter": "am Schalter"}.get(where, where)
    return f"{place} ({ways.get(how, how)})" if how else place


def _case(case: CaseRecord, words: CatalogueWords) -> list[Flowable]:
    birth = german_date(case.birth_date) if case.birth_date else "noch nicht erfasst"
    facts = [
        ["Angabe", "Wert"],
        ["Name", f"{case.given_names} {case.family_name}"],
        ["Geburtsdatum", birth],
        [
            "Eingang",
            f"{_when(case.received_at.isoformat())} · {render(f'channel.{case.channel}')} · "
            f"Bürgerbüro {case.office}",
        ],
        ["Stand", render(f"status.{case.status}")],
        *([CONTACT.get(key, key), value] for key, value in case.contact.items() if value),
        *(
            [words.label(case.service, key), words.value(case.service, key, value)]
            for key, value in sorted(case.form_data.items())
            if value
        ),
    ]
    story: list[Flowable] = [
        Paragraph(
            escape(f"Vorgang {case.reference} – {words.service_name(case.service)}"), STYLES.heading
        ),
        _table(facts, (45 * mm, 115 * mm)),
    ]
    story += _section(
        "Dokumente",
        ["Nummer", "Art", "ausgestellt", "Seiten"],
        [
            [d["number"], _document_title(d["kind"]), _when(d["issued_at"]), d["pages"]]
            for d in case.documents
        ],
        (30 * mm, 60 * mm, 40 * mm, 20 * mm),
    )
    story += _section(
        "Identitätsprüfungen",
        ["wann", "von", "wie"],
        [
            [_when(c["at"]), c["by"], event_reason_text("verify_identity", c["check"], "de")]
            for c in case.identity_checks
        ],
        (35 * mm, 30 * mm, 95 * mm),
    )
    story += _section(
        "Benachrichtigungen",
        ["Weg", "an", "Betreff", "gesendet"],
        [
            [
                NOTICE_WAYS.get(n["channel"], n["channel"]),
                n["to"],
                n["subject"],
                _when(n["sent_at"]),
            ]
            for n in case.notices
        ],
        (15 * mm, 50 * mm, 65 * mm, 30 * mm),
    )
    story += _section(
        "Dokumenten-Ausgabebox",
        ["Büro", "Fach", "Stand", "beladen", "beendet"],
        [
            [
                b["office"],
                b["compartment"],
                known_text(f"box.state.{b['state']}", b["state"], "de"),
                _when(b["loaded_at"]),
                _when(b["ended_at"]),
            ]
            for b in case.box_loadings
        ],
        (15 * mm, 20 * mm, 30 * mm, 35 * mm, 35 * mm),
    )
    story += _section(
        "Zahlungen",
        ["Art", "Stand", "Betrag", "Zeichen"],
        [
            [
                _payment_way(p["kind"]),
                PAYMENT_STATES.get(p["status"], p["status"]),
                _euros(p["amount_cents"]),
                p["reference"],
            ]
            for p in case.payments
        ],
        (40 * mm, 25 * mm, 30 * mm, 50 * mm),
    )
    story += _section(
        "Vermerke",
        ["wann", "von", "Text"],
        [[_when(n["at"]), n["by"], n["text"]] for n in case.notes],
        (30 * mm, 30 * mm, 100 * mm),
    )
    story += _section(
        "Anlagen",
        ["Datei", "Art", "Bytes"],
        [[a["file"], a["type"], a["bytes"]] for a in case.attachments],
        (80 * mm, 50 * mm, 25 * mm),
    )
    story += _section(
        "Zugriffe der Beschäftigten",
        ["wann", "wer (Kennung)", "was"],
        [
            [
                _when(r.at.isoformat()),
                r.actor,
                RETRIEVAL_TEXTS.get(r.action, action_text(r.action, "de")),
            ]
            for r in case.retrievals
        ],
        (35 * mm, 40 * mm, 80 * mm),
    )
    return [*story, Spacer(1, 6 * mm)]


def access_report_pdf(
    report: AccessReport,
    *,
    authority: str,
    catalogue: Catalogue,
) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title="Auskunft nach Art. 15 DSGVO",
        author=authority,
    )
    person, words = report.person, CatalogueWords(catalogue)
    count = f"{len(report.cases)} {'Vorgang' if len(report.cases) == 1 else 'Vorgänge'}"
    story: list[Flowable] = [
        Paragraph("Auskunft nach Art. 15 DSGVO", STYLES.title),
        Paragraph(escape(INTRO.format(authority=authority)), STYLES.body),
        Spacer(1, 3 * mm),
        Paragraph(
            escape(
                f"Für: {person.given_names} {person.family_name}, geboren am "
                f"{german_date(person.birth_date)} · erstellt am "
                f"{_when(report.made_at.isoformat())} · {count}"
            ),
            STYLES.body,
        ),
        Spacer(1, 4 * mm),
    ]
    if not report.cases:
        story.append(Paragraph("Zu Ihrer Person sind keine Vorgänge gespeichert.", STYLES.body))
    for case in report.cases:
        story += _case(case, words)
    document.build(story)
    return buffer.getvalue()
