"""The supervisors' figures from the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol


class ReportingStore(Protocol):
    """The supervisors' figures as aggregations (app/store/reporting.py)."""

    def offices(self) -> dict[int, str]: ...

    def incoming(
        self, start: dt.datetime, end: dt.datetime, office_id: int | None
    ) -> list[tuple[str, str, str, int]]: ...

    def open_by_received_day(
        self, as_of: dt.datetime, office_id: int | None
    ) -> list[tuple[int, str, str, int]]: ...

    def decided_by_days(
        self, start: dt.datetime, end: dt.datetime, office_id: int | None
    ) -> list[tuple[str, str, str, int]]: ...

    def processing_percentiles(
        self, start: dt.datetime, end: dt.datetime, office_id: int | None, *, stage: str
    ) -> dict[str, dict[str, float]]: ...

    def by_status(self, office_id: int | None, statuses: Sequence[str]) -> dict[str, int]: ...

    def decisions_by_actor(
        self, start: dt.datetime, end: dt.datetime, office_id: int | None
    ) -> list[tuple[int, str, int]]: ...

    def unpaid_and_unreleased(self, office_id: int | None) -> dict[str, int]: ...

    def payment_figures(
        self, start: dt.datetime, end: dt.datetime, office_id: int | None
    ) -> dict[str, int]: ...

    def box_figures(
        self, start: dt.datetime, end: dt.datetime, office_code: str | None
    ) -> dict[str, float] | None: ...
