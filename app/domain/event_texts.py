"""What a case's recorded codes say in words, in a language: the window's history, the
access report's PDF. The core records actions and reasons as codes ('verify_identity',
'counter_visual: HIGH | note=…'); a code without a text stays as it is."""

from __future__ import annotations

from app.domain.cases import ANSWER_CHANNELS, Channel, PaymentState
from app.domain.identity import DOCUMENTS, IdentityCheck, IdentityLevel, IdentityMethod
from app.domain.messages import render


def known_text(key: str, fallback: str, language: str) -> str:
    """The catalogue's text for `key`, or `fallback` where it has none."""
    text = render(key, language)
    return fallback if text == key else text


def action_text(action: str, language: str) -> str:
    """An entry of a case's history by its audit action."""
    return known_text(f"event.{action}", action, language)


def identity_level_text(level: IdentityLevel, language: str) -> str:
    return render(f"identity_level.{level.name.lower()}", language)


def identity_method_text(method: str, language: str) -> str:
    known = {m.value for m in IdentityMethod}
    return render(f"identity.method_{method}", language) if method in known else method


def document_text(document: str, language: str) -> str:
    return render(f"identity.document_{document}", language) if document in DOCUMENTS else document


def identity_check_text(check: IdentityCheck, language: str) -> str:
    """'Sichtprüfung am Schalter (hoch) · Reisepass · Vermerk: …'."""
    method = identity_method_text(check.method, language)
    text = f"{method} ({identity_level_text(check.level, language)})"
    if check.document:
        text += f" · {document_text(check.document, language)}"
    if check.taken_over_from:
        taken = render("identity.taken_over_from", language, reference=check.taken_over_from)
        text += f" · {taken}"
    if check.note:
        text += f" · {render('identity.note', language)}: {check.note}"
    return text


def event_reason_text(action: str, reason: str, language: str) -> str:
    """A recorded reason made readable: a channel, an identity check, a payment's state, the
    way a citizen answered; any other reason as written."""
    if action == "open" and reason in {c.value for c in Channel}:
        return render(f"channel.{reason}", language)
    if action == "verify_identity":
        check = IdentityCheck.from_reason(reason)
        return reason if check is None else identity_check_text(check, language)
    if action == "record_payment" and reason in {p.value for p in PaymentState}:
        return render(f"payment.{reason}", language)
    if action == "citizen_answered":  # recorded by the clerk: "phone: what was said"
        channel, _colon, said = reason.partition(": ")
        if channel in ANSWER_CHANNELS:
            way = render(f"answer.channel_{channel}", language)
            return f"{way}: {said}" if said else way
    return reason
