"""What the inbox asks for and what a row of it shows."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.cases import CaseStatus, Channel


class SortKey(StrEnum):
    RECEIVED = "received"
    REFERENCE = "reference"
    APPLICANT = "applicant"
    SERVICE = "service"
    STATUS = "status"
    DUE = "due"


@dataclass(frozen=True, slots=True)
class InboxQuery:
    statuses: frozenset[CaseStatus] = field(default_factory=frozenset)
    service_id: str | None = None
    office_id: int | None = None
    channel: Channel | None = None
    received_before: dt.datetime | None = None
    search: str = ""
    assignee: str | None = None
    box_pickup: bool = False  # only cases whose citizen asked to collect at the pickup box
    sort: SortKey = SortKey.RECEIVED
    descending: bool = False


@dataclass(frozen=True, slots=True)
class InboxRow:
    id: int
    reference: str
    applicant: str
    service_id: str
    office_id: int
    channel: Channel
    status: CaseStatus
    assignee: str | None
    received_at: dt.datetime
    due_at: dt.datetime
    version: int
    needs_data_entry: bool = False  # no applicant yet: typed from a scan first


# letters that Unicode does not decompose into a base letter and a mark, written as ICAO 9303
# transliterates them in a passport's machine-readable zone
_TRANSLITERATED = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ø": "oe",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ł": "l",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
    }
)


def search_key(text: str) -> str:
    """Lower-case, every Latin diacritic dropped and the German and ICAO spellings of umlauts
    folded, so 'Müller', 'MUELLER' and 'muller' find each other, and so do 'Ayşe' and 'Ayse',
    'Łukasz' and 'Lukasz', 'Søren' and 'Soeren'."""
    folded = text.casefold().translate(_TRANSLITERATED)
    folded = "".join(
        char for char in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(char)
    )
    for spelled, plain in (("ae", "a"), ("oe", "o"), ("ue", "u")):
        folded = folded.replace(spelled, plain)
    for separator in ",;/()":
        folded = folded.replace(separator, " ")
    return " ".join(folded.split())


def search_tokens(reference: str, family_name: str, given_names: str) -> set[str]:
    """The words a case can be found by, each matched by prefix: every name part (hyphenated
    names also whole), the reference, and its running number with and without leading zeros."""
    tokens: set[str] = set()
    for word in search_key(f"{family_name} {given_names}").split():
        tokens.add(word)
        tokens.update(part for part in word.split("-") if part)
    reference_key = search_key(reference)
    tokens.add(reference_key)
    number = reference_key.rsplit("-", 1)[-1]
    tokens.update({number, number.lstrip("0") or "0"})
    return {token[:64] for token in tokens}
