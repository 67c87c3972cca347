"""What data protection reads: everything held on one person."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from app.domain.access_report import CaseRecord, Person


class PersonRecords(Protocol):
    def cases_of(self, person: Person) -> list[CaseRecord]: ...


class RetrievalLog(Protocol):
    def by_clerk(
        self, login: str, first: dt.datetime, last: dt.datetime
    ) -> list[tuple[dt.datetime, str, str]]: ...
