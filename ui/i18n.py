"""The window's language: texts from the one message catalogue (app.domain.messages), dates
and amounts as the language writes them (Babel)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel import Locale
from babel.dates import format_date
from babel.dates import format_time as babel_time
from babel.numbers import format_currency, format_decimal
from babel.numbers import format_percent as babel_percent

from app.domain import event_texts
from app.domain.cases import CaseStatus, Channel, PaymentState
from app.domain.errors import DatabaseUnavailable, Explained
from app.domain.identity import IdentityLevel
from app.domain.messages import render, render_plural

_language = "de"


LOCALES = {"de": "de_DE", "en": "en_GB"}


def set_language(language: str) -> None:
    global _language
    _language = "en" if language == "en" else "de"


def language() -> str:
    return _language


def format_day(day: dt.date) -> str:
    """A date as the window's language writes it (CLDR by Babel): 07.12.2026, 7 Dec 2026."""
    return format_date(day, format="medium", locale=LOCALES[_language])


def format_time(instant: dt.datetime) -> str:
    """The time of day of an instant in this seat's time zone: 14:05."""
    local = instant.astimezone().replace(tzinfo=None)
    return babel_time(local, format="short", locale=LOCALES[_language])


def format_moment(instant: dt.datetime) -> str:
    """An instant in this seat's time zone: 07.12.2026 14:05, 7 Dec 2026 14:05."""
    return f"{format_day(instant.astimezone().date())} {format_time(instant)}"


def format_number(number: int | float) -> str:
    """A count or figure as the language writes it: 10.000 / 10,000; 22,27 / 22.27."""
    return format_decimal(number, locale=LOCALES[_language])


def format_percent(share: float) -> str:
    """A share with one decimal, as the language writes a percentage: 41,7 %, 41.7%."""
    locale = Locale.parse(LOCALES[_language])
    pattern = locale.percent_formats[None].pattern.replace("#,##0", "#,##0.0")
    return babel_percent(share, format=pattern, locale=locale)


def format_money(cents: int) -> str:
    """An amount in euros: 9,00 €, €9.00."""
    return format_currency(Decimal(cents) / 100, "EUR", locale=LOCALES[_language])


def tr(key: str, **params: object) -> str:
    return render(key, _language, **params)


def tr_plural(key: str, count: int, **params: object) -> str:
    """A text with a number in it, in the form the number asks for ("1 Vorgang", "2 Vorgänge")."""
    return render_plural(key, count, _language, **params)


def plain(text: str) -> str:
    """A command's text as a title or a list shows it: no mnemonic marker, no ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def tr_title(key: str, **params: object) -> str:
    """A command's text as a window title ("Rohdaten speichern", not "Rohdaten &speichern…")."""
    return plain(tr(key, **params))


def status_text(status: CaseStatus) -> str:
    return tr(f"status.{status.value}")


def channel_text(channel: Channel) -> str:
    return tr(f"channel.{channel.value}")


def payment_text(state: PaymentState) -> str:
    return tr(f"payment.{state.value}")


def identity_text(level: IdentityLevel) -> str:
    return event_texts.identity_level_text(level, _language)


def action_text(action: str) -> str:
    """An entry of a case's history by its audit action; an action without a text as itself."""
    return event_texts.action_text(action, _language)


def identity_method_text(method: str) -> str:
    return event_texts.identity_method_text(method, _language)


def document_text(document: str) -> str:
    return event_texts.document_text(document, _language)


def event_reason_text(action: str, reason: str) -> str:
    """Reasons the core records as codes ('counter', 'counter_visual: HIGH'), made readable."""
    return event_texts.event_reason_text(action, reason, _language)


def fault_text(error: BaseException) -> str:
    """A fault as the banner and a dialog say it: the database's with what that means for
    the clerk's input, any other as it reads."""
    if isinstance(error, DatabaseUnavailable):
        return tr("banner.database", detail=error_text(error))
    return error_text(error)


def error_text(error: BaseException) -> str:
    """What a person reads for any error: domain errors in their language, others plainly."""
    if isinstance(error, Explained):
        return error.text(_language)
    return str(error) or type(error).__name__
