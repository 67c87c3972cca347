"""Each seat's settings and trust list as it last started, and the audit of their changes,
in one transaction."""

from __future__ import annotations

import datetime as dt
import json

from app.domain.audit import AuditEntry
from app.domain.seat_settings import settings_changes
from app.store.audit import append_audit
from app.store.database import Database
from app.store.models import SeatSettingsRow


class SqlSeatSettings:
    def __init__(self, database: Database) -> None:
        self._db = database

    def note(
        self,
        seat: str,
        settings: dict[str, str],
        trust_list: str,
        *,
        actor: str,
        at: dt.datetime,
    ) -> list[str]:
        """Record what `seat` runs with; audit what differs from its last start (the first
        start records its settings once). Returns the changes audited."""
        with self._db.writing() as session:
            row = session.get(SeatSettingsRow, seat)
            if row is None:
                detail = f"{len(settings)} settings; trust list {trust_list[:16] or '-'}"
                append_audit(session, AuditEntry(actor, "settings.recorded", seat, detail, at))
                session.add(
                    SeatSettingsRow(
                        seat=seat, settings=json.dumps(settings), trust_list=trust_list, seen_at=at
                    )
                )
                return []
            changes = settings_changes(json.loads(row.settings), settings)
            if changes:
                detail = "; ".join(changes)
                append_audit(session, AuditEntry(actor, "settings.changed", seat, detail, at))
            if row.trust_list != trust_list:
                detail = f"sha256: {row.trust_list[:16] or '-'} -> {trust_list[:16] or '-'}"
                append_audit(session, AuditEntry(actor, "trust_list.changed", seat, detail, at))
                changes.append(f"trust list: {detail}")
            row.settings, row.trust_list, row.seen_at = json.dumps(settings), trust_list, at
            return changes
