"""One case's rows inside the caller's transaction: the case from its row, a new case with its
reference, words, event, attachments, facts and audit record, a transition under an optimistic
version. The repositories (cases, intake, documents, pickup, bulk loading) write through these."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import (
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from app.domain.cases import (
    Applicant,
    Case,
    CaseEvent,
    CaseStatus,
    Channel,
    NewAttachment,
    PaymentState,
)
from app.domain.errors import ConcurrentChange
from app.domain.identity import IdentityLevel
from app.domain.inbox import search_tokens
from app.domain.new_case import NewCase
from app.domain.references import format_reference
from app.store.audit import append_audit, case_audit, lock_audit_chain
from app.store.case_facts import fact_values, record_transition

# --- audit chain -------------------------------------------------------------------------------
from app.store.counters import next_number
from app.store.database import utc
from app.store.models import (
    AttachmentRow,
    CaseEventRow,
    CaseFactRow,
    CaseRow,
    CaseTokenRow,
    NoteRow,
    OfficeRow,
    ReferenceCounterRow,
    table_of,
)


def case_from_row(row: CaseRow) -> Case:
    return Case(
        id=row.id,
        reference=row.reference,
        office_id=row.office_id,
        service_id=row.service_id,
        channel=Channel(row.channel),
        status=CaseStatus(row.status),
        applicant=Applicant(
            row.family_name, row.given_names, row.birth_date, row.email, row.mobile_phone
        ),
        form_data=tuple(sorted(row.form_data.items())),
        identity_required=IdentityLevel(row.identity_required),
        identity_verified=IdentityLevel(row.identity_verified),
        fee_cents=row.fee_cents,
        payment=PaymentState(row.payment),
        payment_reference=row.payment_reference,
        received_at=utc(row.received_at),
        due_at=utc(row.due_at),
        assignee=row.assignee,
        decision_reason=row.decision_reason,
        submission_id=row.submission_id,
        version=row.version,
        needs_data_entry=row.needs_data_entry,
    )


def token_rows(case_id: int, reference: str, applicant: Applicant) -> list[dict[str, Any]]:
    return [
        {"token": token, "case_id": case_id}
        for token in search_tokens(reference, applicant.family_name, applicant.given_names)
    ]


def next_reference(session: Session, office_id: int, year: int) -> str:
    """Bump the office's counter for `year`; the caller holds the audit head lock, so no two
    transactions race to create the same counter row."""
    number = next_number(session, ReferenceCounterRow, office_id, year)
    code = session.execute(select(OfficeRow.code).where(OfficeRow.id == office_id)).scalar_one()
    return format_reference(code, year, number)


def save_case(
    session: Session,
    case: Case,
    event: CaseEvent,
    *,
    expected_version: int,
    with_data: bool = False,
) -> Case:
    """Store a transition inside the caller's transaction: the row (if nobody changed it since
    `expected_version`), the event and its audit record. `with_data`: the applicant and the
    form data changed too (typed from a scan), and with them the search words."""
    data: dict[str, Any] = {}
    if with_data:
        data = {
            "family_name": case.applicant.family_name,
            "given_names": case.applicant.given_names,
            "birth_date": case.applicant.birth_date,
            "email": case.applicant.email,
            "mobile_phone": case.applicant.mobile_phone,
            "form_data": case.data,
            "identity_required": int(case.identity_required),
            "needs_data_entry": case.needs_data_entry,
        }
    result = session.execute(
        update(CaseRow)
        .where(CaseRow.id == case.id, CaseRow.version == expected_version)
        .values(
            status=case.status.value,
            assignee=case.assignee,
            identity_verified=int(case.identity_verified),
            payment=case.payment.value,
            payment_reference=case.payment_reference,
            fee_cents=case.fee_cents,  # typed from a scan, or reduced with a reason
            decision_reason=case.decision_reason,
            updated_at=utc(event.at),
            version=expected_version + 1,
            **data,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConcurrentChange("case.concurrent", reference=case.reference, detail=event.action)
    if with_data:
        session.execute(delete(CaseTokenRow).where(CaseTokenRow.case_id == case.id))
        session.execute(insert(CaseTokenRow), token_rows(case.id, case.reference, case.applicant))
    session.connection().execute(insert(table_of(CaseEventRow)), event_values(case.id, event))
    record_transition(session, case, event)
    append_audit(session, case_audit(case.reference, event))
    return replace(case, version=expected_version + 1)


def attachment_values(case_id: int, attachment: NewAttachment) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "filename": attachment.filename,
        "media_type": attachment.media_type,
        "size": len(attachment.content),
        "sha256": hashlib.sha256(attachment.content).hexdigest(),
        "content": attachment.content,
    }


def event_values(case_id: int, event: CaseEvent) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "action": event.action,
        "actor": event.actor,
        "at": utc(event.at),
        "from_status": event.from_status.value if event.from_status else None,
        "to_status": event.to_status.value if event.to_status else None,
        "reason": event.reason,
    }


def case_values(
    draft: NewCase,
    reference: str,
    *,
    updated_at: dt.datetime,
    state: Case | None = None,
    version: int = 1,
) -> dict[str, Any]:
    """A case row's values: the draft's, in `state` where given (a case loaded with its whole
    past, app.store.bulk), else as just received."""
    return {
        "reference": reference,
        "office_id": draft.office_id,
        "service_id": draft.service_id,
        "channel": draft.channel.value,
        "status": (state.status if state else CaseStatus.RECEIVED).value,
        "assignee": state.assignee if state else None,
        "family_name": draft.applicant.family_name,
        "given_names": draft.applicant.given_names,
        "birth_date": draft.applicant.birth_date,
        "email": draft.applicant.email,
        "mobile_phone": draft.applicant.mobile_phone,
        "form_data": dict(draft.form_data),
        "identity_required": int(draft.identity_required),
        "identity_verified": int((state or draft).identity_verified),
        "fee_cents": draft.fee_cents,
        "payment": (state or draft).payment.value,
        "payment_reference": (state or draft).payment_reference,
        "received_at": utc(draft.received_at),
        "due_at": utc(draft.due_at),
        "updated_at": utc(updated_at),
        "decision_reason": state.decision_reason if state else "",
        "submission_id": draft.submission_id,
        "version": version,
        "needs_data_entry": draft.needs_data_entry,
    }


def insert_case(
    session: Session, draft: NewCase, event: CaseEvent, attachments: Sequence[NewAttachment]
) -> Case:
    """A new case with its reference, search words, first event, attachments and audit record.
    Core statements on the session's connection, not ORM objects: the intake stores a case per
    submission, and the unit of work cost more CPU than the SQL itself."""
    lock_audit_chain(session)
    reference = next_reference(session, draft.office_id, draft.received_at.year)
    connection = session.connection()
    values = case_values(draft, reference, updated_at=event.at)
    inserted = connection.execute(insert(table_of(CaseRow)), values)
    (case_id,) = inserted.inserted_primary_key or (None,)
    assert isinstance(case_id, int)
    connection.execute(
        insert(table_of(CaseTokenRow)), token_rows(case_id, reference, draft.applicant)
    )
    connection.execute(insert(table_of(CaseEventRow)), event_values(case_id, event))
    connection.execute(
        insert(table_of(CaseFactRow)),
        fact_values(
            case_id,
            office_id=draft.office_id,
            service_id=draft.service_id,
            channel=draft.channel.value,
            received_at=draft.received_at,
            events=(event,),
        ),
    )
    if attachments:
        connection.execute(
            insert(table_of(AttachmentRow)),
            [attachment_values(case_id, attachment) for attachment in attachments],
        )
    if draft.notes:
        connection.execute(
            insert(table_of(NoteRow)),
            [
                {"case_id": case_id, "author": event.actor, "at": utc(event.at), "text": text}
                for text in draft.notes
            ],
        )
    append_audit(session, case_audit(reference, event))
    return Case(
        id=case_id,
        reference=reference,
        office_id=draft.office_id,
        service_id=draft.service_id,
        channel=draft.channel,
        status=CaseStatus.RECEIVED,
        applicant=draft.applicant,
        form_data=draft.form_data,
        identity_required=draft.identity_required,
        identity_verified=draft.identity_verified,
        fee_cents=draft.fee_cents,
        payment=draft.payment,
        payment_reference=draft.payment_reference,
        received_at=utc(draft.received_at),
        due_at=utc(draft.due_at),
        submission_id=draft.submission_id,
        needs_data_entry=draft.needs_data_entry,
    )
