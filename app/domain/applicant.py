"""The person a case is for, as the application names them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.identity import icao_spelling


@dataclass(frozen=True, slots=True)
class Applicant:
    family_name: str
    given_names: str
    birth_date: dt.date | None  # None only while a scanned form's data waits to be typed
    email: str = ""
    mobile_phone: str = ""  # where set, the pickup code also goes by SMS (if a gateway is)

    @property
    def display_name(self) -> str:
        return f"{self.family_name}, {self.given_names}"

    def is_same_person(self, other: Applicant) -> bool:
        """Same names (as a passport spells them, so "Müller" is "Mueller") and the same known
        date of birth: enough to offer one sitting's identity check for the next case."""
        return (
            self.birth_date is not None
            and self.birth_date == other.birth_date
            and icao_spelling(self.family_name) == icao_spelling(other.family_name)
            and icao_spelling(self.given_names) == icao_spelling(other.given_names)
        )
