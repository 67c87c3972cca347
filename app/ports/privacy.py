"""What data protection reads: everything held on one person."""

from __future__ import annotations

from typing import Protocol

from app.domain.access_report import CaseRecord, Person


class PersonRecords(Protocol):
    def cases_of(self, person: Person) -> list[CaseRecord]: ...
