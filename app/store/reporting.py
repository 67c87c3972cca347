"""The supervisors' figures as SQL aggregations that run on SQLite and PostgreSQL alike (SQLAlchemy
Core; window functions for the percentiles, which SQLite lacks as aggregates). No case is loaded
into Python: what comes back are groups and counts.

The grouping reads `case_facts`, one summary row per case kept current by the transitions
(app/store/case_facts.py), not a year's events. Days are UTC days of the stored instants (a
case received at 00:30 in Siegen in winter counts for the day before); the report says so."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import Float

from app.domain.cases import CaseStatus
from app.store.database import Database, utc
from app.store.models import (
    BoxLoadingRow,
    CaseFactRow,
    CaseRow,
    OfficeRow,
    PlatformPaymentRow,
    TillDayRow,
)


class seconds_between(FunctionElement[float]):  # noqa: N801
    """Seconds from the first instant to the second."""

    type = Float()
    inherit_cache = True


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 86400.0)"


@compiles(seconds_between, "postgresql")
def _seconds_pg(element: seconds_between, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"EXTRACT(EPOCH FROM ({end} - {start}))"


class SqlReporting:
    def __init__(self, database: Database) -> None:
        self._db = database
        # (figure, statement, seconds) of each query while a benchmark listens; None otherwise
        self.trace: list[tuple[str, Any, float]] | None = None

    def _rows_batch(self, statements: Sequence[Any]) -> list[list[Any]]:
        """Many short queries in one session: one checkout and transaction, not one each."""
        results = []
        with self._db.reading() as session:
            for statement in statements:
                started = time.perf_counter()
                results.append(list(session.execute(statement)))
                if self.trace is not None:
                    figure = sys._getframe(1).f_code.co_name
                    self.trace.append((figure, statement, time.perf_counter() - started))
        return results

    def _rows(self, statement: Any) -> list[Any]:
        started = time.perf_counter()
        with self._db.reading() as session:
            rows = list(session.execute(statement))
        if self.trace is not None:
            figure = sys._getframe(1).f_code.co_name  # the method asking: the figure's name
            self.trace.append((figure, statement, time.perf_counter() - started))
        return rows

    @staticmethod
    def _scope(
        column: Any, start: dt.datetime, end: dt.datetime, office_id: int | None
    ) -> list[ColumnElement[bool]]:
        conditions = [column >= utc(start), column < utc(end)]
        if office_id is not None:
            conditions.append(CaseFactRow.office_id == office_id)
        return conditions

    def offices(self) -> dict[int, str]:
        with self._db.reading() as session:
            return {
                int(i): str(c) for i, c in session.execute(select(OfficeRow.id, OfficeRow.code))
            }

    def incoming(
        self, start: dt.datetime, end: dt.datetime, office_id: int | None
    ) -> list[tuple[str, str, str, int]]:
        """(day, service, channel, cases) for cases received in [start, end)."""
        f = CaseFactRow
        statement = (
            select(f.received_day, f.service_id, f.channel, func.count())
            .where(*self._scope(f.received_at, start, end, office_id))
            .group_by(f.received_day, f.service_id, f.channel)
            .order_by(f.received_day, f.service_id, f.channel)
        )
        return [(str(d), s, c, int(n)) for d, s, c, n in self._rows(statement)]

    def open_by_received_day(
        self, as_of: dt.datetime, office_id: int | None
    ) -> list[tuple[int, str, str, int]]:
        """(office, service, received day, cases) of the cases not yet decided at `as_of`
        (still open, or decided only after it)."""
        # a case without a decision is open: every way to close one passes approve or reject.
        # Two index range reads (undecided; decided after the moment) rather than one OR scan.
        f = CaseFactRow
        counts: dict[tuple[int, str, str], int] = {}
        for decided in (f.decided_at.is_(None), f.decided_at >= utc(as_of)):
            statement = (
                select(f.office_id, f.service_id, f.received_day, func.count())
                .where(decided, f.received_at < utc(as_of))
                .group_by(f.office_id, f.service_id, f.received_day)
            )
            if office_id is not None:
                statement = statement.where(f.office_id == office_id)
            for o, s_, d, n in self._rows(statement):
                key = (int(o), str(s_), str(d))
                counts[key] = counts.get(key, 0) + int(n)
        return [(o, s_, d, n) for (o, s_, d), n in sorted(counts.items())]

    def decided_by_days(
        self, start: dt.datetime, end: dt.datetime, office_id: int | None
    ) -> list[tuple[str, str, str, int]]:
        """(service, received day, decided day, cases) for cases decided in [start, end)."""
        f = CaseFactRow
        statement = (
            select(f.service_id, f.received_day, f.decided_day, func.count())
            .where(*self._scope(f.decided_at, start, end, office_id))
            .group_by(f.service_id, f.received_day, f.decided_day)
        )
        return [(s, str(r), str(d), int(n)) for s, r, d, n in self._rows(statement)]

    def decisions_by_actor(
        self, start: dt.datetime, end: dt.datetime, office_id: int | None
    ) -> list[tuple[int, str, int]]:
        """(office, clerk's login, decisions) in [start, end): the first decision of each case."""
        f = CaseFactRow
        statement = (
            select(f.office_id, f.decided_by, func.count())
            .where(*self._scope(f.decided_at, start, end, office_id))
            .group_by(f.office_id, f.decided_by)
        )
        return [(int(o), str(a), int(n)) for o, a, n in self._rows(statement)]

    def processing_percentiles(
        self,
        start: dt.datetime,
        end: dt.datetime,
        office_id: int | None,
        *,
        stage: str,
        percentiles: Sequence[int] = (50, 90),
    ) -> dict[str, dict[str, float]]:
        """Per service, the nearest-rank percentiles in hours of received → decided
        (`stage="decision"`) or decided → handed over (`stage="handover"`), for cases whose
        later instant falls in [start, end). PostgreSQL's `percentile_disc` is the nearest rank
        (the first value whose cumulative share reaches p); SQLite has no percentile aggregate:
        the count per service, then the value at each rank from the durations in index order
        (one short index walk per service and percentile)."""
        f = CaseFactRow
        later, seconds = (
            (f.decided_at, f.decision_seconds)
            if stage == "decision"
            else (f.handed_at, f.handover_seconds)
        )
        scope = [*self._scope(later, start, end, office_id), seconds.is_not(None)]
        if self._db.dialect == "postgresql":
            return self._percentiles_in_one(seconds, scope, percentiles)
        counts = self._rows(select(f.service_id, func.count()).where(*scope).group_by(f.service_id))
        walks = [
            (service, p, int(count), max(1, -(-p * int(count) // 100)))  # ceil(p·n/100)
            for service, count in counts
            for p in percentiles
        ]
        values = self._rows_batch(
            [
                select(seconds)
                .where(*scope, f.service_id == service)
                .order_by(seconds)
                .limit(1)
                .offset(rank - 1)
                for service, _p, _count, rank in walks
            ]
        )
        result: dict[str, dict[str, float]] = {}
        for (service, p, count, _rank), rows in zip(walks, values, strict=True):
            ((value,),) = rows
            figures = result.setdefault(service, {"cases": float(count)})
            figures[f"p{p}_hours"] = round(float(value) / 3600, 2)
        return result

    def _percentiles_in_one(
        self, seconds: Any, scope: list[ColumnElement[bool]], percentiles: Sequence[int]
    ) -> dict[str, dict[str, float]]:
        f = CaseFactRow
        statement = (
            select(
                f.service_id,
                func.count(),
                *(func.percentile_disc(p / 100).within_group(seconds) for p in percentiles),
            )
            .where(*scope)
            .group_by(f.service_id)
        )
        result: dict[str, dict[str, float]] = {}
        for service, count, *values in self._rows(statement):
            figures = result.setdefault(str(service), {"cases": float(count)})
            for p, value in zip(percentiles, values, strict=True):
                figures[f"p{p}_hours"] = round(float(value) / 3600, 2)
        return result

    def by_status(self, office_id: int | None, statuses: Sequence[str]) -> dict[str, int]:
        statement = (
            select(CaseRow.status, func.count())
            .where(CaseRow.status.in_(statuses))
            .group_by(CaseRow.status)
        )
        if office_id is not None:
            statement = statement.where(CaseRow.office_id == office_id)
        return {s: int(n) for s, n in self._rows(statement)}

    def unpaid_and_unreleased(self, office_id: int | None) -> dict[str, int]:
        """Open fees of cases not closed or rejected; paid cases approved but not yet printed."""
        # two ranges of ix_cases_payment_status, not a pass over every case
        unpaid = [
            CaseRow.payment.in_(("open", "released_unpaid")),
            CaseRow.status.notin_([CaseStatus.CLOSED.value, CaseStatus.REJECTED.value]),
        ]
        unreleased = [CaseRow.payment == "paid", CaseRow.status == CaseStatus.APPROVED.value]
        office = [CaseRow.office_id == office_id] if office_id is not None else []
        (unpaid_count,), (unreleased_count,) = (
            rows[0]
            for rows in self._rows_batch(
                [
                    select(func.count()).select_from(CaseRow).where(*conditions, *office)
                    for conditions in (unpaid, unreleased)
                ]
            )
        )
        return {"unpaid": int(unpaid_count), "paid_not_released": int(unreleased_count)}

    def payment_figures(
        self, start: dt.datetime, end: dt.datetime, office_id: int | None
    ) -> dict[str, int]:
        """Fees released unpaid; platform payments failed or cancelled whose fee is still due;
        the till: days closed in [start, end) not yet confirmed, and the sum of their cash
        differences in cents (counted minus expected)."""
        office = [CaseRow.office_id == office_id] if office_id is not None else []
        days = [TillDayRow.day >= start.date(), TillDayRow.day < end.date()]
        if office_id is not None:
            days.append(TillDayRow.office_id == office_id)
        with self._db.reading() as session:
            released = session.execute(
                select(func.count())
                .select_from(CaseRow)
                .where(CaseRow.payment == "released_unpaid", *office)
            ).scalar_one()
            failed = session.execute(
                select(func.count(func.distinct(PlatformPaymentRow.case_id)))
                .join(CaseRow, CaseRow.id == PlatformPaymentRow.case_id)
                .where(
                    PlatformPaymentRow.status.in_(("FAILED", "CANCELED")),
                    CaseRow.payment.in_(("open", "released_unpaid")),
                    *office,
                )
            ).scalar_one()
            unconfirmed = session.execute(
                select(func.count())
                .select_from(TillDayRow)
                .where(TillDayRow.state == "closed", *days)
            ).scalar_one()
            difference = session.execute(
                select(
                    func.coalesce(
                        func.sum(TillDayRow.counted_cash_cents - TillDayRow.expected_cash_cents), 0
                    )
                ).where(TillDayRow.state != "open", *days)
            ).scalar_one()
        return {
            "released_unpaid": int(released),
            "payments_failed": int(failed),
            "till_days_unconfirmed": int(unconfirmed),
            "till_difference_cents": int(difference or 0),
        }

    def box_figures(
        self, start: dt.datetime, end: dt.datetime, office_code: str | None
    ) -> dict[str, float] | None:
        """Occupancy now, items loaded, collected within the hold period, returned, and the
        median dwell in hours, for loadings of [start, end); None while no box was ever used."""
        with self._db.reading() as session:
            if session.execute(select(func.count()).select_from(BoxLoadingRow)).scalar_one() == 0:
                return None
            scope = [BoxLoadingRow.opened_at >= utc(start), BoxLoadingRow.opened_at < utc(end)]
            if office_code is not None:
                scope.append(BoxLoadingRow.office_code == office_code)
            waiting = session.execute(
                select(func.count()).where(
                    BoxLoadingRow.state == "loaded",
                    *([BoxLoadingRow.office_code == office_code] if office_code else []),
                )
            ).scalar_one()
            counts = session.execute(
                select(
                    func.count(case((BoxLoadingRow.loaded_at.is_not(None), 1))),
                    func.count(
                        case(
                            (
                                and_(
                                    BoxLoadingRow.state == "collected",
                                    BoxLoadingRow.ended_at <= BoxLoadingRow.deadline,
                                ),
                                1,
                            )
                        )
                    ),
                    func.count(case((BoxLoadingRow.state == "returned", 1))),
                ).where(*scope)
            ).one()
            dwell = seconds_between(BoxLoadingRow.loaded_at, BoxLoadingRow.ended_at)
            ranked = (
                select(
                    dwell.label("seconds"),
                    func.row_number().over(order_by=dwell).label("rank"),
                    func.count().over().label("n"),
                )
                .where(*scope, BoxLoadingRow.state == "collected")
                .subquery()
            )
            median = session.execute(
                select(func.min(case((ranked.c.rank * 2 >= ranked.c.n, ranked.c.seconds))))
            ).scalar_one()
        loaded, collected_in_time, returned = (int(v) for v in counts)
        return {
            "items_waiting": float(waiting),
            "loaded": float(loaded),
            "collected_within_hold": float(collected_in_time),
            "returned": float(returned),
            "median_dwell_hours": round(float(median) / 3600, 2) if median is not None else 0.0,
        }
