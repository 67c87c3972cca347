"""What the case view shows in its boxes, as (label, value) rows and history lines in the
window's language: computed here, laid out by ui.case_view."""

from __future__ import annotations

from collections.abc import Sequence

from app.domain.cases import Case, CaseEvent
from app.domain.catalogue import Catalogue, FieldType, Service, parse_date
from app.services.fees import PaymentHistory
from ui.i18n import (
    action_text,
    event_reason_text,
    format_day,
    format_money,
    identity_text,
    language,
    payment_text,
    status_text,
    tr,
)
from ui.inbox_model import local_time

Rows = list[tuple[str, str]]


def applicant_rows(case: Case, catalogue: Catalogue) -> Rows:
    def label(name: str) -> str:
        spec = next(s for s in catalogue.applicant_fields if s.name == name)
        return spec.label(language())

    applicant = case.applicant
    return [
        (
            tr("column.applicant"),
            tr("inbox.data_entry") if case.needs_data_entry else applicant.display_name,
        ),
        (label("birth_date"), format_day(applicant.birth_date) if applicant.birth_date else "–"),
        (label("email"), applicant.email or "–"),
        (label("mobile_phone"), applicant.mobile_phone or "–"),
    ]


def form_rows(case: Case, service: Service) -> Rows:
    """The application's answers: a choice by its label, yes/no in words, one date format
    whichever channel sent it; the decision's reason last."""
    specs = {spec.name: spec for spec in service.fields}
    rows = []
    for name, value in case.form_data:
        spec = specs.get(name)
        shown = value
        if spec is not None and spec.choices:
            shown = next((c.label(language()) for c in spec.choices if c.value == value), value)
        elif value in ("true", "false"):
            shown = tr(f"bool.{value}")
        elif spec is not None and spec.type in (FieldType.DATE, FieldType.PAST_DATE):
            day = parse_date(value)
            shown = format_day(day) if day else value
        rows.append((spec.label(language()) if spec else name, shown))
    if case.decision_reason:
        rows.append((tr("case.reason"), case.decision_reason))
    return rows


def state_rows(case: Case, payments: PaymentHistory | None = None) -> Rows:
    fee = (
        tr("case.fee_after_entry")
        if case.needs_data_entry  # the fee depends on what the form says
        else tr("case.fee_line", fee=format_money(case.fee_cents), state=payment_text(case.payment))
        + (f" · {case.payment_reference}" if case.payment_reference else "")
    )
    identity = tr(
        "case.identity_line",
        actual=identity_text(case.identity_verified),
        required=identity_text(case.identity_required),
    )
    rows = [(tr("case.identity"), identity), (tr("case.fee"), fee)]
    if payments is not None and payments.platform:
        last = payments.platform[-1]
        parts = [tr(f"platform_status.{last.status.value.lower()}")]
        parts += [p for p in (last.reference, last.method) if p]
        if last.amount_cents is not None:
            parts.append(format_money(last.amount_cents))
        if last.problem:
            parts.append(tr("platform.problem", problem=last.problem))
        rows.append((tr(f"platform.source_{last.source.value}"), " · ".join(parts)))
    for entry in payments.till if payments is not None else ():
        what = tr("till.cancellation") if entry.cancels else tr(f"till.method_{entry.method.value}")
        rows.append(
            (
                tr("till.row", counter=entry.counter),
                f"{entry.receipt} · {what} · {format_money(entry.amount_cents)} · {entry.by}",
            )
        )
    return rows


def history_lines(history: Sequence[CaseEvent]) -> list[str]:
    lines = []
    for event in history:
        change = (
            f" → {status_text(event.to_status)}"
            if event.to_status and event.to_status != event.from_status
            else ""
        )
        reason = f" – {event_reason_text(event.action, event.reason)}" if event.reason else ""
        lines.append(
            f"{local_time(event.at)}  {event.actor}: {action_text(event.action)}{change}{reason}"
        )
    return lines
