"""The supervisors' reports and the audit chain's anchors."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.integrations.settings import setting_numbers
from app.services.reporting import ReportDesk
from app.wiring.core import Core

if TYPE_CHECKING:
    from app.services.audit_anchor import AuditAnchoring


REPORT_READERS = 3  # the report's queries side by side: most of its wait is on the database


def concurrent_readers(url: Any) -> bool:
    """Whether several connections see the same data (not so for SQLite's :memory:)."""
    return url.get_backend_name() != "sqlite" or url.database not in (None, "", ":memory:")


def build_reports(core: Core) -> ReportDesk:
    from app.store.reporting import SqlReporting

    return ReportDesk(
        store=SqlReporting(core.database),
        catalogue=core.catalogue,
        calendar=core.calendar,
        clock=core.clock.now,
        quarantined=lambda: len(core.intake_store().quarantined(offset=0, limit=100_000)),
        staffing=setting_numbers(core.settings.staffing_fte, "staffing_fte", float),
        per_clerk=bool(core.settings.report_per_clerk),
        min_group=core.settings.report_min_group,
        readers=REPORT_READERS if concurrent_readers(core.database.engine.url) else 1,
    )


def build_anchoring(core: Core) -> AuditAnchoring | None:
    """The audit chain's anchors, where this seat names a folder for them."""
    from app.integrations.anchor_folder import AnchorFolder
    from app.integrations.timestamps import RfcTimestamper
    from app.services.audit_anchor import AuditAnchoring

    settings = core.settings
    if not settings.audit_anchor_folder:
        return None
    timestamper = RfcTimestamper(
        settings.seal_timestamp_url, trust_file=settings.audit_anchor_tsa_trust_file
    )
    return AuditAnchoring(
        audit=core.audit,
        store=AnchorFolder(Path(settings.audit_anchor_folder)),
        timestamper=timestamper,
        stamp=bool(settings.seal_timestamp_url),
        clock=core.clock,
    )
