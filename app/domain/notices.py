"""What the house says to citizens, as one kind of message: a `Notice` (a mail, an SMS text
where it may go by text, a pickup code to attach as a QR code) to a `Citizen` (how to reach
them). The `CitizenNotifier` port (app/ports/messaging.py) sends one by every channel the
citizen has. A new notice (a payment link, a receipt) is one function here returning a Notice.
Their words are the message catalogue's ("notice.*"); the box's notices are put
together in app.domain.pickup_mail and pickup_sms."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.cases import Case, Channel
from app.domain.messages import render
from app.domain.pickup_mail import BoxPlace, code_mail, reminder_mail
from app.domain.pickup_sms import code_sms, reminder_sms


@dataclass(frozen=True, slots=True)
class Citizen:
    """How a notice reaches someone: e-mail, a mobile number (either may be empty)."""

    reference: str  # the case it is about: in logs instead of the person
    email: str = ""
    mobile: str = ""

    @classmethod
    def of(cls, case: Case) -> Citizen:
        return cls(case.reference, case.applicant.email, case.applicant.mobile_phone)


@dataclass(frozen=True, slots=True)
class Notice:
    subject: str
    body: str
    text: str = ""  # the SMS; empty: this notice goes by mail only
    code: str = ""  # a pickup code, attached to the mail as its QR code; never kept or logged


def question_notice(*, case: Case, service: str, question: str, language: str = "de") -> Notice:
    """A question to the citizen about their application: an online one is answered on the
    portal, with the application; one made at the counter or on paper has no portal
    application, so the citizen answers by replying, by phone or in person."""
    applicant = case.applicant
    online = case.channel is Channel.ONLINE
    return Notice(
        subject=render(
            "notice.question.subject", language, reference=case.reference, service=service
        ),
        body=render(
            "notice.question.body" if online else "notice.question.body_direct",
            language,
            given_names=applicant.given_names,
            family_name=applicant.family_name,
            reference=case.reference,
            service=service,
            question=question.strip(),
        ),
    )


def pickup_code_notice(
    *,
    language: str,
    reference: str,
    service: str,
    code: str,
    place: BoxPlace,
    deadline: dt.datetime,
    renewed: bool = False,
) -> Notice:
    """The item is in the box (or its code was renewed): the code by mail with its QR code,
    and by SMS."""
    mail = code_mail(
        language=language,
        reference=reference,
        service=service,
        code=code,
        place=place,
        deadline=deadline,
        renewed=renewed,
    )
    text = code_sms(
        language=language,
        reference=reference,
        code=code,
        place=place,
        deadline=deadline,
        renewed=renewed,
    )
    return Notice(mail.subject, mail.body, text, code)


def pickup_reminder_notice(
    *, language: str, reference: str, service: str, place: BoxPlace, deadline: dt.datetime
) -> Notice:
    mail = reminder_mail(
        language=language, reference=reference, service=service, place=place, deadline=deadline
    )
    text = reminder_sms(language=language, reference=reference, place=place, deadline=deadline)
    return Notice(mail.subject, mail.body, text)


def payment_link_notice(
    *, case: Case, service: str, url: str, amount: str, language: str = "de"
) -> Notice:
    """The fee of a case, payable online: the link to the payment platform's page, by mail
    and (shortened to the link) by SMS."""
    words = {
        "reference": case.reference,
        "service": service,
        "url": url,
        "amount": amount,
        "given_names": case.applicant.given_names,
        "family_name": case.applicant.family_name,
    }
    return Notice(
        subject=render("notice.payment_link.subject", language, **words),
        body=render("notice.payment_link.body", language, **words),
        text=render("notice.payment_link.sms", language, **words),
    )
