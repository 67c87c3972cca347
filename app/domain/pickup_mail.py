"""The citizen's mails about the pickup box, in the citizen's language: the code when the
item is in, a reminder two days before the deadline, a new code. The code appears only in
the mail that carries it; no copy is kept. The words are the message catalogue's
("notice.box_code.*", "notice.box_reminder.*")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.messages import render


@dataclass(frozen=True, slots=True)
class BoxMail:
    subject: str
    body: str


@dataclass(frozen=True, slots=True)
class BoxPlace:
    office_name: str
    address: str
    authority: str


def notice_date(value: dt.datetime, language: str) -> str:
    """A date in a citizen's notice: 07.12.2026 in German, 2026-12-07 otherwise (no month
    names, which read wrong in a language the citizen did not choose)."""
    return value.strftime("%d.%m.%Y" if language != "en" else "%Y-%m-%d")


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
    def text(key: str, **params: object) -> str:
        return render(key, language, **params)

    first = text("notice.box_code.first_renewed" if renewed else "notice.box_code.first")
    return BoxMail(
        text("notice.box_code.subject", first=first, service=service, reference=reference),
        text(
            "notice.box_code.body",
            intro=text("notice.box_code.renewed" if renewed else "notice.box_code.ready"),
            service=service,
            reference=reference,
            code=code,
            office=place.office_name,
            address=place.address,
            until=notice_date(deadline, language),
            authority=place.authority,
        ),
    )


def reminder_mail(
    *, language: str, reference: str, service: str, place: BoxPlace, deadline: dt.datetime
) -> BoxMail:
    until = notice_date(deadline, language)
    return BoxMail(
        render("notice.box_reminder.subject", language, until=until, reference=reference),
        render(
            "notice.box_reminder.body",
            language,
            service=service,
            reference=reference,
            office=place.office_name,
            address=place.address,
            until=until,
            authority=place.authority,
        ),
    )
