"""The supervisors' report: intake by day, service and channel with the online share; the
open backlog by age and office with SLA breaches per service (working days: weekends and NRW
public holidays skipped); processing times p50/p90; waiting on the citizen, quarantine, unpaid
and paid-but-not-released; the pickup box. Role-gated here, not in the window.

The figures come from SQL aggregations (`ReportingStore`); what Python does is the calendar on
groups of cases (a service and a day), never on cases one by one."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from app.domain.cases import CaseStatus, Channel
from app.domain.catalogue import Catalogue
from app.domain.errors import NotFound, PermissionDenied
from app.domain.users import Role, User
from app.domain.working_days import WorkingCalendar
from app.lanes import Lane, thread_name
from app.ports import ReportingStore

AGE_BUCKETS = ((0, 2, "0–2"), (3, 5, "3–5"), (6, 10, "6–10"), (11, 10**6, "> 10"))


@dataclass(frozen=True, slots=True)
class Period:
    first: dt.date
    last: dt.date  # inclusive

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time(), tzinfo=dt.UTC)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)


@dataclass
class Report:
    period: Period
    office: str | None  # None: all four
    as_of: dt.datetime
    incoming: list[dict[str, Any]] = field(default_factory=list)
    channels: dict[str, int] = field(default_factory=dict)
    online_share: float | None = None
    backlog: list[dict[str, Any]] = field(default_factory=list)
    sla: list[dict[str, Any]] = field(default_factory=list)
    processing: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    waiting: dict[str, int] = field(default_factory=dict)
    box: dict[str, float] | None = None
    throughput: list[dict[str, Any]] = field(default_factory=list)
    per_clerk: list[dict[str, Any]] = field(default_factory=list)
    basis: dict[str, str] = field(default_factory=dict)  # for machines (JSON, the workbook)
    # the same for a person: message keys ("report_basis.<name>") and their parameters
    basis_notes: list[tuple[str, dict[str, object]]] = field(default_factory=list)


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


class ReportDesk:
    def __init__(
        self,
        *,
        store: ReportingStore,
        catalogue: Catalogue,
        calendar: WorkingCalendar,
        clock: Callable[[], dt.datetime],
        quarantined: Callable[[], int] = lambda: 0,
        staffing: Mapping[str, float] | None = None,
        per_clerk: bool = False,
        min_group: int = 5,
        readers: int = 1,
    ) -> None:
        self.store, self.catalogue, self.calendar, self.now = store, catalogue, calendar, clock
        self.quarantined = quarantined
        self.staffing = dict(staffing or {})
        self.per_clerk, self.min_group = per_clerk, min_group
        self.readers = readers  # queries run side by side where the database allows it

    def _fetch(self, calls: Mapping[str, Callable[[], Any]]) -> dict[str, Any]:
        """The figures' queries, independent of one another: on `readers` connections at once
        (read-only, each in its own transaction; threads of the database lane), else in turn."""
        if self.readers <= 1:
            return {name: call() for name, call in calls.items()}
        prefix = f"{thread_name(Lane.DATABASE)}-report"
        with ThreadPoolExecutor(max_workers=self.readers, thread_name_prefix=prefix) as pool:
            futures = {name: pool.submit(call) for name, call in calls.items()}
            return {name: future.result() for name, future in futures.items()}

    def sla_days(self, service_id: str) -> int:
        return self.calendar.sla_days(service_id)

    def report(self, *, user: User, period: Period, office: str | None = None) -> Report:
        if not user.has_role(Role.SUPERVISOR):
            raise PermissionDenied("user.permission", action="report", role="supervisor")
        offices = self.store.offices()
        office_id = next((i for i, code in offices.items() if code == office), None)
        if office is not None and office_id is None:
            raise NotFound(
                "office.unknown", office=office, known=", ".join(sorted(offices.values()))
            )
        now = self.now()
        as_of = min(now, period.end)
        start, end, store = period.start, period.end, self.store
        fetched = self._fetch(
            {  # the longest first, so that the last to start is a short one
                "decided": lambda: store.decided_by_days(start, end, office_id),
                "incoming": lambda: store.incoming(start, end, office_id),
                "actors": lambda: store.decisions_by_actor(start, end, office_id),
                "decision_times": lambda: store.processing_percentiles(
                    start, end, office_id, stage="decision"
                ),
                "handover_times": lambda: store.processing_percentiles(
                    start, end, office_id, stage="handover"
                ),
                "money": lambda: store.unpaid_and_unreleased(office_id),
                "payments": lambda: store.payment_figures(start, end, office_id),
                "open": lambda: store.open_by_received_day(as_of, office_id),
                "status": lambda: store.by_status(
                    office_id, [CaseStatus.WAITING.value, CaseStatus.APPROVED.value]
                ),
                "box": lambda: store.box_figures(start, end, office),
                "quarantined": self.quarantined,
            }
        )
        calendar, days = self.calendar, self.calendar.days
        report = Report(period=period, office=office, as_of=as_of)

        rows = fetched["incoming"]
        report.incoming = [
            {"day": d, "service": s, "channel": c, "cases": n} for d, s, c, n in rows
        ]
        channels: dict[str, int] = defaultdict(int)
        for _d, _s, channel, count in rows:
            channels[channel] += count
        report.channels = {c.value: channels.get(c.value, 0) for c in Channel}
        total = sum(channels.values())
        report.online_share = (
            round(channels.get(Channel.ONLINE.value, 0) / total, 4) if total else None
        )

        buckets: dict[tuple[str, str], int] = defaultdict(int)
        open_breaches: dict[str, int] = defaultdict(int)
        open_cases: dict[str, int] = defaultdict(int)
        for office_key, service, received, count in fetched["open"]:
            age = (as_of.date() - _day(received)).days
            label = next(label for low, high, label in AGE_BUCKETS if low <= age <= high)
            buckets[(offices.get(office_key, "?"), label)] += count
            open_cases[service] += count
            if calendar.late_by_days(service, _day(received), as_of.date()):
                open_breaches[service] += count
        report.backlog = [
            {"office": code, "age_days": label, "cases": buckets.get((code, label), 0)}
            for code in ([office] if office else sorted(offices.values()))  # zeros shown too
            for _low, _high, label in AGE_BUCKETS
        ]

        decided: dict[str, int] = defaultdict(int)
        late: dict[str, int] = defaultdict(int)
        for service, received, decided_day, count in fetched["decided"]:
            decided[service] += count
            if calendar.late_by_days(service, _day(received), _day(decided_day)):
                late[service] += count
        services = sorted(set(decided) | set(open_cases))
        report.sla = [
            {
                "service": service,
                "sla_working_days": self.sla_days(service),
                "decided": decided.get(service, 0),
                "decided_late": late.get(service, 0),
                "open": open_cases.get(service, 0),
                "open_overdue": open_breaches.get(service, 0),
            }
            for service in services
        ]
        report.processing = {
            "received_to_decided": fetched["decision_times"],
            "decided_to_handed_over": fetched["handover_times"],
        }
        report.waiting = {
            "waiting_on_citizen": fetched["status"].get(CaseStatus.WAITING.value, 0),
            "quarantined": fetched["quarantined"],
            **fetched["money"],
            **fetched["payments"],
        }
        report.box = fetched["box"]
        by_actor = fetched["actors"]
        working = max(
            1, days.between(period.first - dt.timedelta(days=1), min(period.last, as_of.date()))
        )
        per_office: dict[str, int] = defaultdict(int)
        clerks: dict[str, dict[str, int]] = defaultdict(dict)
        for office_key, actor, count in by_actor:
            code = offices.get(office_key, "?")
            per_office[code] += count
            if not actor.startswith("box:"):
                clerks[code][actor] = count
        for code in sorted(per_office):
            fte = self.staffing.get(code)
            per_day = per_office[code] / working
            report.throughput.append(
                {
                    "office": code,
                    "decided": per_office[code],
                    "working_days": working,
                    "per_day": round(per_day, 2),
                    "fte": fte,
                    "per_fte_day": round(per_day / fte, 2) if fte else None,
                }
            )
        suppressed = []
        minimum = max(2, self.min_group)  # never one person alone, whatever the setting says
        if self.per_clerk:
            for code, counts in sorted(clerks.items()):
                if len(counts) < minimum:
                    suppressed.append(code)  # too few to stay anonymous among colleagues
                    continue
                report.per_clerk += [
                    {"office": code, "clerk": login, "decided": n}
                    for login, n in sorted(counts.items())
                ]
        report.basis = {
            "days": "UTC calendar days of the stored instants",
            "working_days": "Monday to Friday without the public holidays of NRW",
            "sla": "per service from the catalogue, overridden by the sla_working_days setting",
            "per_clerk": (
                f"per-clerk figures switched on by an admin; only for offices with at least "
                f"{minimum} deciding clerks (§ 72(3) LPVG NRW)"
                + (f"; withheld for {', '.join(suppressed)}" if suppressed else "")
                if self.per_clerk
                else "no per-clerk figures (§ 72(3) LPVG NRW: offices and services only)"
            ),
            "throughput": "first decisions per office per working day of the period so far; "
            "per FTE where the staffing setting gives it",
            "as_of": as_of.isoformat(),
        }
        clerk_note: tuple[str, dict[str, object]] = ("per_clerk_off", {})
        if self.per_clerk:
            clerk_note = (
                ("per_clerk_withheld", {"minimum": minimum, "offices": ", ".join(suppressed)})
                if suppressed
                else ("per_clerk_on", {"minimum": minimum})
            )
        report.basis_notes = [
            ("days", {}),
            ("working_days", {}),
            ("sla", {}),
            clerk_note,
            ("throughput", {}),
        ]
        return report
