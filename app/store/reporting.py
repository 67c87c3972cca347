"""The supervisors' figures as SQL aggregations that run on SQLite and PostgreSQL alike (SQLAlchemy
Core; window functions for the percentiles, which SQLite lacks as aggregates). No case is loaded
into Python: what comes back are groups and counts.

Days are UTC days of the stored instants (a case received at 00:30 in Siegen in winter counts
for the day before); the report says so."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import Float, String

from app.domain.cases import CaseStatus
from app.store.database import Database, utc
from app.store.models import BoxLoadingRow, CaseEventRow, CaseRow, OfficeRow

DECISIONS = ("approve", "reject")
HANDED_OVER = ("hand_over", "collect")  # at the counter, or from the box
OPEN_STATUSES = (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS, CaseStatus.WAITING)


class utc_day(FunctionElement[str]):  # noqa: N801 (an SQL function's name)
    """The UTC calendar day of a stored instant, as 'YYYY-MM-DD' on both engines."""

    type = String()
    inherit_cache = True


@compiles(utc_day, "sqlite")
def _utc_day_sqlite(element: utc_day, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(utc_day, "postgresql")
def _utc_day_pg(element: utc_day, compiler: Any, **kw: Any) -> str:
    inner = compiler.process(element.clauses, **kw)
    return f"to_char(({inner}) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"


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
            conditions.append(CaseRow.office_id == office_id)
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
        day = utc_day(CaseRow.received_at)
        statement = (
            select(day, CaseRow.service_id, CaseRow.channel, func.count())
            .where(*self._scope(CaseRow.received_at, start, end, office_id))
            .group_by(day, CaseRow.service_id, CaseRow.channel)
            .order_by(day, CaseRow.service_id, CaseRow.channel)
        )
        return [(str(d), s, c, int(n)) for d, s, c, n in self._rows(statement)]

    def open_by_received_day(
        self, as_of: dt.datetime, office_id: int | None
    ) -> list[tuple[int, str, str, int]]:
        """(office, service, received day, cases) of the cases not yet decided at `as_of`
        (still open, or decided only after it)."""
        decided = self._decided().subquery()
        day = utc_day(CaseRow.received_at)
        statement = (
            select(CaseRow.office_id, CaseRow.service_id, day, func.count())
            .select_from(CaseRow)
            .outerjoin(decided, decided.c.case_id == CaseRow.id)
            .where(
                CaseRow.received_at < utc(as_of),
                or_(
                    and_(
                        decided.c.decided_at.is_(None),
                        CaseRow.status.in_([s.value for s in OPEN_STATUSES]),
                    ),
                    decided.c.decided_at >= utc(as_of),
                ),
            )
            .group_by(CaseRow.office_id, CaseRow.service_id, day)
        )
        if office_id is not None:
            statement = statement.where(CaseRow.office_id == office_id)
        return [(int(o), s, str(d), int(n)) for o, s, d, n in self._rows(statement)]

    @staticmethod
    def _decided() -> Any:
        return (
            select(CaseEventRow.case_id, func.min(CaseEventRow.at).label("decided_at"))
            .where(CaseEventRow.action.in_(DECISIONS))
            .group_by(CaseEventRow.case_id)
        )

    def decided_by_days(
        self, start: dt.datetime, end: dt.datetime, office_id: int | None
    ) -> list[tuple[str, str, str, int]]:
        """(service, received day, decided day, cases) for cases decided in [start, end)."""
        decided = self._decided().subquery()
        received, decided_day = utc_day(CaseRow.received_at), utc_day(decided.c.decided_at)
        statement = (
            select(CaseRow.service_id, received, decided_day, func.count())
            .select_from(CaseRow)
            .join(decided, decided.c.case_id == CaseRow.id)
            .where(*self._scope(decided.c.decided_at, start, end, office_id))
            .group_by(CaseRow.service_id, received, decided_day)
        )
        return [(s, str(r), str(d), int(n)) for s, r, d, n in self._rows(statement)]

    def decisions_by_actor(
        self, start: dt.datetime, end: dt.datetime, office_id: int | None
    ) -> list[tuple[int, str, int]]:
        """(office, clerk's login, decisions) in [start, end): the first decision of each case."""
        decided = (
            select(
                CaseEventRow.case_id,
                CaseEventRow.actor,
                func.row_number()
                .over(partition_by=CaseEventRow.case_id, order_by=CaseEventRow.at)
                .label("nth"),
                CaseEventRow.at,
            )
            .where(CaseEventRow.action.in_(DECISIONS))
            .subquery()
        )
        statement = (
            select(CaseRow.office_id, decided.c.actor, func.count())
            .join(decided, decided.c.case_id == CaseRow.id)
            .where(decided.c.nth == 1, *self._scope(decided.c.at, start, end, office_id))
            .group_by(CaseRow.office_id, decided.c.actor)
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
        later instant falls in [start, end): ranks from a window over the sorted durations."""
        decided = self._decided().subquery()
        if stage == "decision":
            first, second = CaseRow.received_at, decided.c.decided_at
            source: Any = select(CaseRow.service_id, first.label("a"), second.label("b")).join(
                decided, decided.c.case_id == CaseRow.id
            )
        else:
            handed = (
                select(CaseEventRow.case_id, func.min(CaseEventRow.at).label("handed_at"))
                .where(CaseEventRow.action.in_(HANDED_OVER))
                .group_by(CaseEventRow.case_id)
                .subquery()
            )
            first, second = decided.c.decided_at, handed.c.handed_at
            source = (
                select(CaseRow.service_id, first.label("a"), second.label("b"))
                .join(decided, decided.c.case_id == CaseRow.id)
                .join(handed, handed.c.case_id == CaseRow.id)
            )
        source = source.where(*self._scope(second, start, end, office_id)).subquery()
        seconds = seconds_between(source.c.a, source.c.b)
        ranked = select(
            source.c.service_id,
            seconds.label("seconds"),
            func.row_number()
            .over(partition_by=source.c.service_id, order_by=seconds)
            .label("rank"),
            func.count().over(partition_by=source.c.service_id).label("n"),
        ).subquery()
        columns = [
            func.min(case((ranked.c.rank * 100 >= p * ranked.c.n, ranked.c.seconds))).label(f"p{p}")
            for p in percentiles
        ]
        statement = select(ranked.c.service_id, func.max(ranked.c.n), *columns).group_by(
            ranked.c.service_id
        )
        result: dict[str, dict[str, float]] = {}
        for row in self._rows(statement):
            service, count, *values = row
            result[service] = {"cases": float(count)} | {
                f"p{p}_hours": round(float(v) / 3600, 2)
                for p, v in zip(percentiles, values, strict=True)
            }
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
        unpaid = and_(
            CaseRow.payment == "open",
            CaseRow.status.notin_([CaseStatus.CLOSED.value, CaseStatus.REJECTED.value]),
        )
        unreleased = and_(CaseRow.payment == "paid", CaseRow.status == CaseStatus.APPROVED.value)
        statement = select(
            func.count(case((unpaid, 1))), func.count(case((unreleased, 1)))
        ).select_from(CaseRow)
        if office_id is not None:
            statement = statement.where(CaseRow.office_id == office_id)
        ((unpaid_count, unreleased_count),) = self._rows(statement)
        return {"unpaid": int(unpaid_count), "paid_not_released": int(unreleased_count)}

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
