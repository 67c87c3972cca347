"""Working through an outage: the number blocks and conflicts in the central database, and a
seat's journal (its copy while the central database is there, its work while it is not)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from app.domain.outage import Conflict, NumberBlock, Series


class NumberBlocks(Protocol):
    def reserve(
        self,
        *,
        seat: str,
        series: Series,
        office_id: int | None,
        year: int,
        size: int,
        by: str,
        at: dt.datetime,
    ) -> NumberBlock: ...

    def blocks(self, seat: str | None = None) -> list[NumberBlock]: ...

    def conflicts(self, *, open_only: bool = True) -> list[Conflict]: ...

    def resolve(self, conflict_id: int, *, by: str, resolution: str, at: dt.datetime) -> None: ...


class MergeOutcome(Protocol):
    journal: str
    cases: int
    changed: int
    conflicts: int

    def as_json(self) -> dict[str, object]: ...


class SeatJournal(Protocol):
    """The seat's journal beside the central database (database lane)."""

    def refresh(self, *, seat: str, office_id: int, at: dt.datetime) -> int:
        """Copy the office's open cases afresh (after a merge); how many."""
        ...

    def merge(self, *, by: str, at: dt.datetime) -> MergeOutcome: ...

    def offline_work(self) -> dict[str, int]:
        """What the journal holds that the central database does not have yet."""
        ...

    def prepared(self) -> bool:
        """Whether the journal holds a copy a seat can work on."""
        ...
