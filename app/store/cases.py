"""Cases on SQLAlchemy: the inbox queries, transitions with optimistic versions, notes and
attachments; every write appends its audit record in the same transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, TypeVar

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    and_,
    any_,
    bindparam,
    delete,
    func,
    insert,
    intersect,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.audit import AuditEntry
from app.domain.cases import (
    Applicant,
    AttachmentInfo,
    Case,
    CaseEvent,
    CaseStatus,
    Channel,
    NewAttachment,
    Note,
    PaymentState,
)
from app.domain.catalogue import BOX_PICKUP
from app.domain.errors import ConcurrentChange, NotFound
from app.domain.identity import IdentityLevel
from app.domain.inbox import InboxQuery, InboxRow, SortKey, search_key, search_tokens
from app.domain.new_case import NewCase
from app.domain.references import format_reference

# --- audit chain -------------------------------------------------------------------------------
from app.store.audit import append_audit, case_audit, lock_audit_chain
from app.store.case_facts import fact_values, record_transition
from app.store.database import Database, utc
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


# The highest code point: `word <= token < word + TOKEN_END` is "token starts with word" in
# byte order (SQLite BINARY, PostgreSQL COLLATE "C").
TOKEN_END = "\U0010ffff"


def _bump_counter(dialect: Any) -> Any:
    """One upsert that creates or bumps an office's counter for a year and says its number."""
    counters = table_of(ReferenceCounterRow)
    return (
        dialect.insert(counters)
        .values(office_id=bindparam("office_id"), year=bindparam("year"), last_number=1)
        .on_conflict_do_update(
            index_elements=[counters.c.office_id, counters.c.year],
            set_={"last_number": counters.c.last_number + 1},
        )
        .returning(counters.c.last_number)
    )


# built once: a statement with its values inlined is coerced anew on every call
_BUMP_COUNTER = {"postgresql": _bump_counter(postgresql), "sqlite": _bump_counter(sqlite)}


def next_reference(session: Session, office_id: int, year: int) -> str:
    """Bump the office's counter for `year`; the caller holds the audit head lock, so no two
    transactions race to create the same counter row."""
    bump = _BUMP_COUNTER[session.get_bind().dialect.name]
    number = session.connection().execute(bump, {"office_id": office_id, "year": year})
    code = session.execute(select(OfficeRow.code).where(OfficeRow.id == office_id)).scalar_one()
    return format_reference(code, year, number.scalar_one())


_SORT_COLUMNS: dict[SortKey, tuple[Any, ...]] = {
    SortKey.RECEIVED: (CaseRow.received_at,),
    SortKey.REFERENCE: (CaseRow.reference,),
    SortKey.APPLICANT: (CaseRow.family_name, CaseRow.given_names),
    SortKey.SERVICE: (CaseRow.service_id, CaseRow.received_at),
    SortKey.STATUS: (CaseRow.status, CaseRow.received_at),
    SortKey.DUE: (CaseRow.due_at,),
}


# Up to this many search hits are handed to the case query as a list of ids, so that the
# planner knows exactly how few rows it needs (PostgreSQL otherwise guesses, and may scan
# the whole table); more hits mean an unselective search, for which the plain index walk
# in the requested order finds a page quickly.
SEARCH_IDS_LIMIT = 5000


def _search_matches(session: Session, search: str) -> ColumnElement[bool] | None:
    """Cases having a word that starts with each word of `search` (all words must match)."""
    words = search_key(search).split()
    if not words:
        return None
    per_word = [
        select(CaseTokenRow.case_id).where(
            CaseTokenRow.token >= word, CaseTokenRow.token < word + TOKEN_END
        )
        for word in dict.fromkeys(words)
    ]
    matching = per_word[0] if len(per_word) == 1 else intersect(*per_word)
    ids = session.execute(matching.limit(SEARCH_IDS_LIMIT + 1)).scalars().all()
    if len(ids) > SEARCH_IDS_LIMIT:
        return CaseRow.id.in_(matching)
    if session.get_bind().dialect.name == "postgresql":  # one array parameter, not thousands
        return CaseRow.id == any_(bindparam("search_ids", list(ids), type_=ARRAY(BigInteger)))
    return CaseRow.id.in_(ids)


def _conditions(query: InboxQuery, session: Session) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if query.statuses:
        conditions.append(CaseRow.status.in_(sorted(status.value for status in query.statuses)))
    if query.service_id:
        conditions.append(CaseRow.service_id == query.service_id)
    if query.office_id is not None:
        conditions.append(CaseRow.office_id == query.office_id)
    if query.channel is not None:
        conditions.append(CaseRow.channel == query.channel.value)
    if query.received_before is not None:
        conditions.append(CaseRow.received_at <= query.received_before)
    if query.assignee is not None:
        conditions.append(CaseRow.assignee == query.assignee)
    if query.box_pickup:
        conditions.append(CaseRow.form_data[BOX_PICKUP].as_string() == "true")
    search = _search_matches(session, query.search)
    if search is not None:
        conditions.append(search)
    return conditions


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
            "fee_cents": case.fee_cents,
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


_INBOX_COLUMNS = (
    CaseRow.id,
    CaseRow.reference,
    CaseRow.family_name,
    CaseRow.given_names,
    CaseRow.service_id,
    CaseRow.office_id,
    CaseRow.channel,
    CaseRow.status,
    CaseRow.assignee,
    CaseRow.received_at,
    CaseRow.due_at,
    CaseRow.version,
    CaseRow.needs_data_entry,
)
_AnySelect = TypeVar("_AnySelect", bound=Select[*tuple[Any, ...]])


class SqlCaseRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    def add(
        self, draft: NewCase, event: CaseEvent, attachments: Sequence[NewAttachment] = ()
    ) -> Case:
        try:
            with self._db.writing() as session:
                return insert_case(session, draft, event, attachments)
        except IntegrityError as error:
            raise ConcurrentChange(
                "case.concurrent", reference=draft.submission_id or "-", detail="duplicate"
            ) from error

    def get(self, case_id: int) -> Case:
        with self._db.reading() as session:
            row = session.get(CaseRow, case_id)
            if row is None:
                raise NotFound("case.not_found", case_id=case_id)
            return case_from_row(row)

    def save(self, case: Case, event: CaseEvent, *, expected_version: int) -> Case:
        with self._db.writing() as session:
            return save_case(session, case, event, expected_version=expected_version)

    def save_entered_data(self, case: Case, event: CaseEvent, *, expected_version: int) -> Case:
        with self._db.writing() as session:
            return save_case(
                session, case, event, expected_version=expected_version, with_data=True
            )

    @staticmethod
    def _filtered(statement: _AnySelect, query: InboxQuery, session: Session) -> _AnySelect:
        conditions = _conditions(query, session)
        return statement.where(and_(*conditions)) if conditions else statement

    def page(self, query: InboxQuery, *, offset: int, limit: int) -> list[InboxRow]:
        columns = (*_SORT_COLUMNS[query.sort], CaseRow.id)
        order = [c.desc() for c in columns] if query.descending else [c.asc() for c in columns]
        with self._db.reading() as session:
            statement = (
                self._filtered(select(*_INBOX_COLUMNS), query, session)
                .order_by(*order)
                .offset(offset)
                .limit(limit)
            )
            return [
                InboxRow(
                    id=r.id,
                    reference=r.reference,
                    applicant=f"{r.family_name}, {r.given_names}",
                    service_id=r.service_id,
                    office_id=r.office_id,
                    channel=Channel(r.channel),
                    status=CaseStatus(r.status),
                    assignee=r.assignee,
                    received_at=utc(r.received_at),
                    due_at=utc(r.due_at),
                    version=r.version,
                    needs_data_entry=r.needs_data_entry,
                )
                for r in session.execute(statement)
            ]

    def count(self, query: InboxQuery, *, cap: int | None = None) -> int:
        with self._db.reading() as session:
            matching = self._filtered(select(CaseRow.id), query, session)
            if cap is not None:  # counting stops once it is clear there are more than `cap`
                matching = matching.limit(cap + 1)
            counted = session.execute(select(func.count()).select_from(matching.subquery()))
            return int(counted.scalar_one())

    def history(self, case_id: int) -> list[CaseEvent]:
        with self._db.reading() as session:
            rows = session.execute(
                select(CaseEventRow)
                .where(CaseEventRow.case_id == case_id)
                .order_by(CaseEventRow.at, CaseEventRow.id)
            ).scalars()
            return [
                CaseEvent(
                    row.action,
                    row.actor,
                    utc(row.at),
                    CaseStatus(row.from_status) if row.from_status else None,
                    CaseStatus(row.to_status) if row.to_status else None,
                    row.reason,
                )
                for row in rows
            ]

    def notes(self, case_id: int) -> list[Note]:
        with self._db.reading() as session:
            rows = session.execute(
                select(NoteRow).where(NoteRow.case_id == case_id).order_by(NoteRow.at, NoteRow.id)
            ).scalars()
            return [Note(row.author, utc(row.at), row.text) for row in rows]

    def add_note(self, case_id: int, note: Note) -> None:
        with self._db.writing() as session:
            reference = session.execute(
                select(CaseRow.reference).where(CaseRow.id == case_id)
            ).scalar_one_or_none()
            if reference is None:
                raise NotFound("case.not_found", case_id=case_id)
            session.add(
                NoteRow(case_id=case_id, author=note.author, at=utc(note.at), text=note.text)
            )
            append_audit(
                session,
                AuditEntry(note.author, "case.note", reference, f"{len(note.text)} chars", note.at),
            )

    def attachments(self, case_id: int) -> list[AttachmentInfo]:
        with self._db.reading() as session:
            rows = session.execute(
                select(
                    AttachmentRow.id,
                    AttachmentRow.filename,
                    AttachmentRow.media_type,
                    AttachmentRow.size,
                    AttachmentRow.sha256,
                )
                .where(AttachmentRow.case_id == case_id)
                .order_by(AttachmentRow.id)
            )
            return [AttachmentInfo(r.id, r.filename, r.media_type, r.size, r.sha256) for r in rows]

    def attachment_content(self, attachment_id: int) -> bytes:
        with self._db.reading() as session:
            content = session.execute(
                select(AttachmentRow.content).where(AttachmentRow.id == attachment_id)
            ).scalar_one_or_none()
            if content is None:
                raise NotFound("attachment.not_found", attachment_id=attachment_id)
            return content
