"""What data protection reads (everything held on one person, who opened what) and deletes
(what is past its retention period)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from app.domain.access_report import CaseRecord, Person
from app.domain.retention import RetentionResult, RetentionRules


class PersonRecords(Protocol):
    def cases_of(self, person: Person) -> list[CaseRecord]: ...


class RetrievalLog(Protocol):
    def by_clerk(
        self, login: str, first: dt.datetime, last: dt.datetime
    ) -> list[tuple[dt.datetime, str, str]]: ...


class RetentionStore(Protocol):
    rules: RetentionRules

    def run(self, now: dt.datetime, *, actor: str, dry_run: bool = False) -> RetentionResult:
        """Delete what is due at `now` (a dry run only lists it), each deletion audited."""
        ...

    def hold(self, reference: str, reason: str, *, actor: str, at: dt.datetime) -> bool:
        """Keep (a reason) or release ("") a case whole; False: no such case."""
        ...

    def last_run(self) -> dt.datetime | None:
        """When the job last ran for real, by any seat (None: never)."""
        ...
