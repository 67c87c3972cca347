"""The citizen's texts about the pickup box, German first, English available: the code when the
item is in (or a new one), and the reminder. Each fits one SMS (160 characters of the GSM 03.38
alphabet, in which German's umlauts and ß are): where the box's address would make it longer it
is left out, since the e-mail (if any) and the office's website give it. The code appears only
in the text that carries it."""

from __future__ import annotations

import datetime as dt

from app.domain.pickup_mail import BoxPlace

SMS_LENGTH = 160


def _date(value: dt.datetime, language: str) -> str:
    return value.strftime("%d.%m.%Y" if language == "de" else "%Y-%m-%d")


def _fitting(*candidates: str) -> str:
    """The first candidate (the fullest) that fits one message; the last one always does."""
    for text in candidates:
        if len(text) <= SMS_LENGTH:
            return text
    return candidates[-1][:SMS_LENGTH]


def code_sms(
    *,
    language: str,
    reference: str,
    code: str,
    place: BoxPlace,
    deadline: dt.datetime,
    renewed: bool = False,
) -> str:
    until = _date(deadline, language)
    if language == "en":
        first = "New pickup code" if renewed else "Your document is in the pickup box"
        core = f"{first} ({reference}). Code {code} + date of birth. Until {until}."
    else:
        first = "Neuer Abholcode" if renewed else "Ihr Dokument liegt in der Ausgabebox"
        core = f"{first} ({reference}). Code {code} + Geburtsdatum. Bis {until}."
    return _fitting(
        f"{core} {place.office_name}, {place.address}", f"{core} {place.office_name}", core
    )


def reminder_sms(*, language: str, reference: str, place: BoxPlace, deadline: dt.datetime) -> str:
    until = _date(deadline, language)
    if language == "en":
        core = f"Reminder: your document ({reference}) waits in the pickup box until {until}."
    else:
        core = f"Erinnerung: Ihr Dokument ({reference}) liegt bis {until} in der Ausgabebox."
    return _fitting(f"{core} {place.office_name}, {place.address}", core)
