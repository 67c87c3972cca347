"""Register facts confirmed by clerks, on SQLAlchemy: each confirmation a row, audited in the
same transaction; the latest per case is what its original says."""

from __future__ import annotations

from sqlalchemy import select

from app.domain.audit import AuditEntry
from app.domain.documents import RegisterFacts, RegisterSource
from app.store.audit import append_audit, lock_audit_head
from app.store.database import Database, utc
from app.store.models import RegisterFactsRow


class SqlRegisterConfirmations:
    def __init__(self, database: Database) -> None:
        self._db = database

    def confirm(self, facts: RegisterFacts, *, case_reference: str) -> RegisterFacts:
        if facts.confirmed_at is None:
            raise ValueError("a confirmation has a time")
        with self._db.writing() as session:
            lock_audit_head(session)
            session.add(
                RegisterFactsRow(
                    case_id=facts.case_id,
                    facts=dict(facts.facts),
                    source=facts.source.value,
                    confirmed_by=facts.confirmed_by,
                    confirmed_at=utc(facts.confirmed_at),
                )
            )
            # which facts, not what they say: the audit trail names no addresses
            append_audit(
                session,
                AuditEntry(
                    facts.confirmed_by,
                    "register.confirmed",
                    case_reference,
                    "aus dem Melderegister, bestätigt von "
                    f"{facts.confirmed_by}: {', '.join(sorted(facts.facts))}",
                    utc(facts.confirmed_at),
                ),
            )
        return facts

    def latest(self, case_id: int) -> RegisterFacts | None:
        with self._db.reading() as session:
            row = session.scalars(
                select(RegisterFactsRow)
                .where(RegisterFactsRow.case_id == case_id)
                .order_by(RegisterFactsRow.id.desc())
                .limit(1)
            ).first()
            if row is None:
                return None
            return RegisterFacts(
                case_id=row.case_id,
                facts=dict(row.facts),
                source=RegisterSource(row.source),
                confirmed_by=row.confirmed_by,
                confirmed_at=utc(row.confirmed_at),
            )
