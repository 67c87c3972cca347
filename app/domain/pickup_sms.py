"""The citizen's texts about the pickup box, in the citizen's language: the code when the
item is in (or a new one), and the reminder. Each fits one SMS (160 characters of the GSM 03.38
alphabet, in which German's umlauts and ß are): where the box's address would make it longer it
is left out, since the e-mail (if any) and the office's website give it. The code appears only
in the text that carries it."""

from __future__ import annotations

import datetime as dt

from app.domain.messages import render
from app.domain.pickup_mail import BoxPlace, notice_date

SMS_LENGTH = 160


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
    first = render(
        "notice.box_code.sms_first_renewed" if renewed else "notice.box_code.sms_first", language
    )
    until = notice_date(deadline, language)
    core = render(
        "notice.box_code.sms", language, first=first, reference=reference, code=code, until=until
    )
    return _fitting(
        f"{core} {place.office_name}, {place.address}", f"{core} {place.office_name}", core
    )


def reminder_sms(*, language: str, reference: str, place: BoxPlace, deadline: dt.datetime) -> str:
    until = notice_date(deadline, language)
    core = render("notice.box_reminder.sms", language, reference=reference, until=until)
    return _fitting(f"{core} {place.office_name}, {place.address}", core)
