"""A person's access report (DSGVO Art. 15), made by a supervisor: every case, document,
identity check, notice, box loading, payment, note and retrieval the offices hold on them.
The making is audited under a request number with the references it disclosed; the person's
name and birth date never enter the chain."""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from typing import Any

from app.domain.access_report import AccessReport, Person
from app.domain.audit import AuditEntry
from app.domain.users import Role, User
from app.ports import AuditLog, Clock, PersonRecords, RetrievalLog


class AccessDesk:
    def __init__(self, *, records: PersonRecords, audit: AuditLog, clock: Clock) -> None:
        self.records, self.audit, self.clock = records, audit, clock

    def report(self, *, user: User, person: Person) -> AccessReport:
        user.require(Role.SUPERVISOR, "make an access report")
        cases = self.records.cases_of(person)
        now = self.clock.now()
        request = f"auskunft-{now:%Y%m%d}-{secrets.token_hex(3)}"
        references = ", ".join(case.reference for case in cases) or "none"
        self.audit.append(AuditEntry(user.login, "privacy.access_report", request, references, now))
        return AccessReport(person, now, user.login, cases)


def retrieval_log(
    *,
    log: RetrievalLog,
    audit: AuditLog,
    clock: Clock,
    user: User,
    login: str,
    first: dt.date,
    last: dt.date,
) -> list[dict[str, str]]:
    """What one member of staff opened from `first` to `last` (inclusive), for the
    data-protection officer (an admin's login): entries only, never counted or compared, as
    the staff council's rule for the dashboard asks. The reading is itself audited."""
    user.require(Role.ADMIN, "read the retrieval log")
    start = dt.datetime.combine(first, dt.time(), dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), dt.UTC)
    entries = log.by_clerk(login, start, end)
    period = f"{first.isoformat()}..{last.isoformat()}"
    audit.append(AuditEntry(user.login, "privacy.retrieval_log", login, period, clock.now()))
    return [{"at": at.isoformat(), "action": action, "case": case} for at, action, case in entries]


def report_json(report: AccessReport) -> dict[str, Any]:
    """For the data-protection officer: everything, dates as ISO text."""

    def plain(value: Any) -> Any:
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [plain(item) for item in value]
        return value

    data: dict[str, Any] = plain(dataclasses.asdict(report))
    data["format"] = "buergerbuero-access-report/1"
    return data
