"""UI texts, German first, English selectable. Core messages come from app.domain.messages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_date, format_time
from babel.numbers import format_currency

from app.domain.cases import CaseStatus, Channel, PaymentState
from app.domain.errors import DatabaseUnavailable, Explained
from app.domain.identity import DOCUMENTS, IdentityCheck, IdentityLevel, IdentityMethod
from ui.texts import TEXTS

_language = "de"


STATUS_TEXTS: dict[CaseStatus, tuple[str, str]] = {
    CaseStatus.RECEIVED: ("Eingegangen", "Received"),
    CaseStatus.IN_PROGRESS: ("In Bearbeitung", "In progress"),
    CaseStatus.WAITING: ("Wartet auf Rückmeldung", "Waiting for the citizen"),
    CaseStatus.APPROVED: ("Genehmigt", "Approved"),
    CaseStatus.REJECTED: ("Abgelehnt", "Rejected"),
    CaseStatus.PRINTED: ("Gedruckt", "Printed"),
    CaseStatus.BOXED: ("In Ausgabebox", "In pickup box"),
    CaseStatus.COLLECTED: ("Abgeholt", "Collected"),
    CaseStatus.RETURNED: ("Zurück am Schalter", "Returned to counter"),
    CaseStatus.CLOSED: ("Abgeschlossen", "Closed"),
}
CHANNEL_TEXTS: dict[Channel, tuple[str, str]] = {
    Channel.ONLINE: ("Online", "Online"),
    Channel.COUNTER: ("Schalter", "Counter"),
    Channel.PDF_FORM: ("PDF-Formular", "PDF form"),
}
PAYMENT_TEXTS: dict[PaymentState, tuple[str, str]] = {
    PaymentState.NONE_DUE: ("gebührenfrei", "no fee"),
    PaymentState.OPEN: ("offen", "open"),
    PaymentState.PAID: ("bezahlt", "paid"),
    PaymentState.FEE_NOTICE: ("Gebührenbescheid erteilt", "fee notice issued"),
}
IDENTITY_TEXTS: dict[IdentityLevel, tuple[str, str]] = {
    IdentityLevel.NONE: ("keiner", "none"),
    IdentityLevel.BASIC: ("Basisregistrierung", "basic"),
    IdentityLevel.SUBSTANTIAL: ("substanziell", "substantial"),
    IdentityLevel.HIGH: ("hoch", "high"),
}
ACTION_TEXTS: dict[str, tuple[str, str]] = {
    "open": ("angelegt", "opened"),
    "claim": ("übernommen", "claimed"),
    "release": ("freigegeben", "released"),
    "reassign": ("zugewiesen", "reassigned"),
    "verify_identity": ("Identität geprüft", "identity verified"),
    "record_payment": ("Gebühr erfasst", "fee recorded"),
    "approve": ("genehmigt", "approved"),
    "reject": ("abgelehnt", "rejected"),
    "print": ("gedruckt", "printed"),
    "box": ("in Ausgabebox gelegt", "put in pickup box"),
    "collect": ("abgeholt", "collected"),
    "return": ("zurück an den Schalter", "returned to counter"),
    "hand_over": ("ausgehändigt", "handed over"),
    "close": ("abgeschlossen", "closed"),
    "ask_citizen": ("Rückfrage an Bürger/in", "question to the citizen"),
    "citizen_answered": ("Antwort eingegangen", "answer received"),
    "enter_data": ("Daten vom Scan erfasst", "data entered from the scan"),
}


LOCALES = {"de": "de_DE", "en": "en_GB"}


def set_language(language: str) -> None:
    global _language
    _language = "en" if language == "en" else "de"


def language() -> str:
    return _language


def format_day(day: dt.date) -> str:
    """A date as the window's language writes it (CLDR by Babel): 07.12.2026, 7 Dec 2026."""
    return format_date(day, format="medium", locale=LOCALES[_language])


def format_moment(instant: dt.datetime) -> str:
    """An instant in this seat's time zone: 07.12.2026 14:05, 7 Dec 2026 14:05."""
    local = instant.astimezone().replace(tzinfo=None)
    time = format_time(local, format="short", locale=LOCALES[_language])
    return f"{format_day(local.date())} {time}"


def format_money(cents: int) -> str:
    """An amount in euros: 9,00 €, €9.00."""
    return format_currency(Decimal(cents) / 100, "EUR", locale=LOCALES[_language])


def _pick(pair: tuple[str, str]) -> str:
    return pair[1] if _language == "en" else pair[0]


def tr(key: str, **params: object) -> str:
    text = _pick(TEXTS.get(key, (key, key)))
    return text.format(**params) if params else text


def plain(text: str) -> str:
    """A command's text as a title or a list shows it: no mnemonic marker, no ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def tr_title(key: str, **params: object) -> str:
    """A command's text as a window title ("Rohdaten speichern", not "Rohdaten &speichern…")."""
    return plain(tr(key, **params))


def status_text(status: CaseStatus) -> str:
    return _pick(STATUS_TEXTS[status])


def channel_text(channel: Channel) -> str:
    return _pick(CHANNEL_TEXTS[channel])


def payment_text(state: PaymentState) -> str:
    return _pick(PAYMENT_TEXTS[state])


def identity_text(level: IdentityLevel) -> str:
    return _pick(IDENTITY_TEXTS[level])


def action_text(action: str) -> str:
    return _pick(ACTION_TEXTS.get(action, (action, action)))


def identity_method_text(method: str) -> str:
    known = {m.value for m in IdentityMethod}
    return tr(f"identity.method_{method}") if method in known else method


def document_text(document: str) -> str:
    return tr(f"identity.document_{document}") if document in DOCUMENTS else document


def event_reason_text(action: str, reason: str) -> str:
    """Reasons the core records as codes ('counter', 'counter_visual: HIGH'), made readable."""
    if action == "open" and reason in {c.value for c in Channel}:
        return channel_text(Channel(reason))
    if action == "verify_identity":
        check = IdentityCheck.from_reason(reason)
        if check is None:
            return reason
        text = f"{identity_method_text(check.method)} ({identity_text(check.level)})"
        if check.document:
            text += f" · {document_text(check.document)}"
        return text + (f" · {tr('identity.note')}: {check.note}" if check.note else "")
    if action == "record_payment" and reason in {p.value for p in PaymentState}:
        return payment_text(PaymentState(reason))
    return reason


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
