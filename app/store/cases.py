"""Cases on SQLAlchemy: the inbox queries, transitions with optimistic versions, notes and
attachments; every write appends its audit record in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    and_,
    any_,
    bindparam,
    func,
    intersect,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.audit import AuditEntry
from app.domain.cases import (
    AttachmentInfo,
    Case,
    CaseEvent,
    CaseStatus,
    Channel,
    NewAttachment,
    Note,
)
from app.domain.catalogue import BOX_PICKUP
from app.domain.errors import ConcurrentChange, NotFound
from app.domain.inbox import InboxQuery, InboxRow, SortKey, search_key
from app.domain.new_case import NewCase
from app.domain.outbox import OutgoingMessage

# --- audit chain -------------------------------------------------------------------------------
from app.store.audit import append_audit
from app.store.case_rows import case_from_row, insert_case, save_case
from app.store.database import Database, utc
from app.store.models import (
    AttachmentRow,
    CaseEventRow,
    CaseRow,
    CaseTokenRow,
    NoteRow,
)
from app.store.outbox import enqueue

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
# The highest code point: `word <= token < word + TOKEN_END` is "token starts with word" in
# byte order (SQLite BINARY, PostgreSQL COLLATE "C").
TOKEN_END = "\U0010ffff"

_SORT_COLUMNS: dict[SortKey, tuple[Any, ...]] = {
    SortKey.RECEIVED: (CaseRow.received_at,),
    SortKey.REFERENCE: (CaseRow.reference,),
    SortKey.APPLICANT: (CaseRow.family_name, CaseRow.given_names),
    SortKey.SERVICE: (CaseRow.service_id, CaseRow.received_at),
    SortKey.STATUS: (CaseRow.status, CaseRow.received_at),
    SortKey.DUE: (CaseRow.due_at,),
}


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

    def save(
        self,
        case: Case,
        event: CaseEvent,
        *,
        expected_version: int,
        messages: Sequence[OutgoingMessage] = (),
    ) -> Case:
        with self._db.writing() as session:
            saved = save_case(session, case, event, expected_version=expected_version)
            enqueue(session, messages, event.at)
            return saved

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
            return [_event(row) for row in rows]

    def identity_checks(self, *, actor: str, since: dt.datetime) -> list[tuple[Case, CaseEvent]]:
        with self._db.reading() as session:
            rows = session.execute(
                select(CaseEventRow, CaseRow)
                .join(CaseRow, CaseRow.id == CaseEventRow.case_id)
                .where(
                    CaseEventRow.action == "verify_identity",
                    CaseEventRow.actor == actor,
                    CaseEventRow.at >= since,
                )
                .order_by(CaseEventRow.at.desc(), CaseEventRow.id.desc())
                .limit(20)
            )
            return [(case_from_row(case), _event(event)) for event, case in rows]

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


def _event(row: CaseEventRow) -> CaseEvent:
    return CaseEvent(
        row.action,
        row.actor,
        utc(row.at),
        CaseStatus(row.from_status) if row.from_status else None,
        CaseStatus(row.to_status) if row.to_status else None,
        row.reason,
    )
