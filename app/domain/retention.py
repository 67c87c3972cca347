"""How long each kind of a finished case's data is kept (`data/retention.json`, beside the
service catalogue; the setting `retention_months` overrides a kind for every service), and
when a case's data of one kind is due for deletion. A case under legal hold is never due."""

from __future__ import annotations

import calendar
import datetime as dt
import json
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources

from app.domain.case_states import CaseStatus


class DataKind(StrEnum):
    APPLICATION_DATA = "application_data"  # names, birth date, contact, form, notes, facts
    ATTACHMENTS = "attachments"  # proofs and scans
    IDENTITY_CHECKS = "identity_checks"  # how the identity was checked, which document
    ORIGINALS = "originals"  # the stored copy of an issued original (the register stays)
    QUARANTINE_RAW = "quarantine_raw"  # a settled quarantined submission's raw bytes
    AUDIT_RECORDS = "audit_records"  # the chain's oldest records, the retrieval log among them


# who the scheduled job (the intake task's daily run, `retention run`) is in the audit chain
# when no one signed in ran it
RETENTION_ACTOR = "retention"

# a case whose data may go once its periods have run: nothing more will be done on it
FINISHED = frozenset({CaseStatus.REJECTED, CaseStatus.COLLECTED, CaseStatus.CLOSED})


@dataclass(frozen=True, slots=True)
class RetentionRules:
    months: dict[DataKind, int]
    by_service: dict[str, dict[DataKind, int]]
    sources: dict[str, str]  # "kind" or "service/kind" → where its period comes from

    def period(self, kind: DataKind, service_id: str = "") -> int:
        return self.by_service.get(service_id, {}).get(kind, self.months[kind])

    def due_before(self, kind: DataKind, service_id: str, now: dt.datetime) -> dt.datetime:
        """A case of `service_id` finished before this has its `kind` of data due."""
        return add_months(now, -self.period(kind, service_id))

    def overridden(self, months: dict[DataKind, int]) -> RetentionRules:
        """Each kind set by the setting, for every service."""
        by_service = {
            service: {kind: value for kind, value in kinds.items() if kind not in months}
            for service, kinds in self.by_service.items()
        }
        return RetentionRules({**self.months, **months}, by_service, self.sources)


@dataclass
class RetentionResult:
    """What went (or, in a dry run, would go): case references per kind, and the number of
    quarantined submissions whose raw bytes and of the chain's records that went."""

    cases: dict[DataKind, list[str]] = field(default_factory=dict)
    quarantine_raw: int = 0
    audit_records: int = 0

    def counts(self) -> dict[DataKind, int]:
        """How many of each kind went (would go)."""
        counts = {kind: len(references) for kind, references in self.cases.items()}
        counts[DataKind.QUARANTINE_RAW] = self.quarantine_raw
        counts[DataKind.AUDIT_RECORDS] = self.audit_records
        return counts

    def summary(self) -> str:
        """'attachments=3, identity_checks=0, …': counts only, no reference."""
        return ", ".join(f"{kind.value}={count}" for kind, count in self.counts().items())


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day `months` later (or earlier), the month's last day where it is shorter."""
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    return moment.replace(
        year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1])
    )


def parse_rules(raw: dict[str, object]) -> RetentionRules:
    kinds = raw["kinds"]
    services = raw.get("services", {})
    assert isinstance(kinds, dict) and isinstance(services, dict)
    months = {DataKind(name): int(entry["months"]) for name, entry in kinds.items()}
    missing = set(DataKind) - set(months)
    if missing:
        raise ValueError(f"retention: no period for {', '.join(sorted(missing))}")
    sources = {name: str(entry["source"]) for name, entry in kinds.items()}
    by_service: dict[str, dict[DataKind, int]] = {}
    for service, entry in services.items():
        by_service[service] = {
            DataKind(name): int(value) for name, value in entry.items() if name != "source"
        }
        for name in by_service[service]:
            sources[f"{service}/{name}"] = str(entry.get("source", sources[name]))
    return RetentionRules(months, by_service, sources)


@cache
def default_rules() -> RetentionRules:
    text = resources.files("app.domain").joinpath("data/retention.json").read_text("utf-8")
    return parse_rules(json.loads(text))
