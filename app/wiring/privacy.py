"""Data protection's desks on the core."""

from __future__ import annotations

from app.services.access_report import AccessDesk
from app.store.access_report import SqlAccessReport
from app.wiring.core import Core


def build_access_desk(core: Core) -> AccessDesk:
    return AccessDesk(records=SqlAccessReport(core.database), audit=core.audit, clock=core.clock)
