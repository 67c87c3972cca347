"""Data protection's desks on the core."""

from __future__ import annotations

from app.domain.retention import DataKind, RetentionRules, default_rules
from app.integrations.settings import SettingsError, setting_numbers
from app.services.access_report import AccessDesk
from app.services.retention import RetentionDesk
from app.store.access_report import SqlAccessReport
from app.store.retention import SqlRetention
from app.wiring.core import Core


def build_access_desk(core: Core) -> AccessDesk:
    return AccessDesk(records=SqlAccessReport(core.database), audit=core.audit, clock=core.clock)


def retention_rules(core: Core) -> RetentionRules:
    """The catalogue's periods, each kind the setting `retention_months` names overridden."""
    months = setting_numbers(core.settings.retention_months, "retention_months", int)
    unknown = sorted(set(months) - {kind.value for kind in DataKind})
    if unknown:
        raise SettingsError(
            f"retention_months: no kind of data {', '.join(unknown)} "
            f"(known: {', '.join(kind.value for kind in DataKind)})"
        )
    return default_rules().overridden({DataKind(kind): value for kind, value in months.items()})


def build_retention(core: Core) -> SqlRetention:
    return SqlRetention(
        core.database, retention_rules(core), [service.id for service in core.catalogue.services]
    )


def build_retention_desk(core: Core) -> RetentionDesk:
    return RetentionDesk(store=build_retention(core), clock=core.clock)
