"""The citizen's mails about the pickup box, German first, English available: the code when
the item is in, a reminder two days before the deadline, a new code. The code appears only in
the mail that carries it; no copy is kept."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

EN_READY = "your document is waiting for you in the 24/7 document pickup box."
EN_RENEWED = "a new code was issued for your document; the earlier code no longer works."
DE_READY = "Ihr Dokument liegt für Sie in der Dokumenten-Ausgabebox bereit (rund um die Uhr)."
DE_RENEWED = (
    "für Ihr Dokument wurde ein neuer Abholcode ausgestellt; der bisherige Code gilt nicht mehr."
)


@dataclass(frozen=True, slots=True)
class BoxMail:
    subject: str
    body: str


@dataclass(frozen=True, slots=True)
class BoxPlace:
    office_name: str
    address: str
    authority: str


def _date(value: dt.datetime, language: str) -> str:
    return value.strftime("%d.%m.%Y" if language == "de" else "%Y-%m-%d")


def code_mail(
    *,
    language: str,
    reference: str,
    service: str,
    code: str,
    place: BoxPlace,
    deadline: dt.datetime,
    renewed: bool = False,
) -> BoxMail:
    if language == "en":
        first = "A new pickup code" if renewed else "Your document is ready for pickup"
        return BoxMail(
            f"{first}: {service} ({reference})",
            f"""Hello,

{EN_RENEWED if renewed else EN_READY}

  Service:     {service}
  Case:        {reference}
  Pickup code: {code}
  Where:       {place.office_name}, {place.address}
  Until:       {_date(deadline, "en")} (end of day)

How to collect: at the box, type the pickup code (or hold the attached QR code to the
scanner), then your date of birth (DDMMYYYY). The compartment opens; please close it after
taking your document. The code works once. Only you can collect it.

If you do not collect it by the date above, the document goes back to the counter of the
{place.office_name}.

{place.authority}
This message was sent automatically; please do not reply with personal data.
""",
        )
    first = "Neuer Abholcode" if renewed else "Ihr Dokument liegt zur Abholung bereit"
    return BoxMail(
        f"{first}: {service} ({reference})",
        f"""Guten Tag,

{DE_RENEWED if renewed else DE_READY}

  Leistung:      {service}
  Vorgang:       {reference}
  Abholcode:     {code}
  Ort:           {place.office_name}, {place.address}
  Abholbar bis:  {_date(deadline, "de")} (Tagesende)

So holen Sie es ab: Geben Sie an der Box den Abholcode ein (oder halten Sie den beigefügten
QR-Code vor den Scanner), dann Ihr Geburtsdatum (TTMMJJJJ). Das Fach öffnet sich; bitte
schließen Sie es nach der Entnahme. Der Code gilt einmal. Nur Sie können abholen.

Holen Sie das Dokument bis zum genannten Datum nicht ab, geht es an die Theke des
{place.office_name} zurück.

{place.authority}
Diese Nachricht wurde automatisch versandt; bitte antworten Sie nicht mit persönlichen Daten.
""",
    )


def reminder_mail(
    *, language: str, reference: str, service: str, place: BoxPlace, deadline: dt.datetime
) -> BoxMail:
    if language == "en":
        return BoxMail(
            f"Reminder: your document waits until {_date(deadline, 'en')} ({reference})",
            f"""Hello,

your document ({service}, case {reference}) is still in the pickup box at the
{place.office_name}, {place.address}, until {_date(deadline, "en")} (end of day).
Use the pickup code from our first message. Lost it? Ask the office for a new one.

{place.authority}
""",
        )
    return BoxMail(
        f"Erinnerung: Ihr Dokument liegt bis {_date(deadline, 'de')} bereit ({reference})",
        f"""Guten Tag,

Ihr Dokument ({service}, Vorgang {reference}) liegt noch in der Ausgabebox im
{place.office_name}, {place.address}, bis {_date(deadline, "de")} (Tagesende).
Verwenden Sie den Abholcode aus unserer ersten Nachricht. Code verloren? Das Bürgerbüro
stellt Ihnen einen neuen aus.

{place.authority}
""",
    )
