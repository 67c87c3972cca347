"""Working through an outage of the central database: the numbers a seat reserved in advance
(blocks of case references, document numbers and receipt numbers, so every number stays
unique across seats and the registers have no gaps), and what the return finds that a person
must decide (conflicts: never overwritten, both sides kept)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from app.domain.errors import DomainError


class Series(StrEnum):
    """A numbered series: per office and year (cases, receipts) or per year (documents)."""

    CASE = "case"
    DOCUMENT = "document"
    RECEIPT = "receipt"


# how many numbers `outage prepare` reserves per series for a seat: a busy counter's weeks
DEFAULT_BLOCK_SIZE = {Series.CASE: 400, Series.DOCUMENT: 400, Series.RECEIPT: 400}


@dataclass(frozen=True)
class NumberBlock:
    """Numbers `first`..`last` of a series, reserved for one seat in the central database."""

    series: Series
    office_id: int | None  # None for the documents' series (one per year)
    year: int
    first: int
    last: int
    seat: str
    reserved_at: dt.datetime
    reserved_by: str

    @property
    def size(self) -> int:
        return self.last - self.first + 1

    def holds(self, number: int) -> bool:
        return self.first <= number <= self.last


class BlockExhausted(DomainError):
    """The seat has used every number it reserved for the series (offline)."""


def next_in_blocks(number: int, blocks: list[NumberBlock]) -> int:
    """The number to use offline when the counter says `number`: itself where a block holds
    it, else the first of the next block; BlockExhausted when no block is left."""
    for block in sorted(blocks, key=lambda b: b.first):
        if block.holds(number):
            return number
        if block.first > number:
            return block.first
    raise BlockExhausted("outage.block_exhausted", series=blocks[0].series.value if blocks else "")


class ConflictKind(StrEnum):
    SAME_PERSON = "same_person"  # opened offline and centrally for the same person and service
    CHANGED_ON_BOTH_SIDES = "changed_on_both_sides"  # a copied case changed offline and centrally
    NUMBER_USED_TWICE = "number_used_twice"  # a number outside the seat's blocks, taken centrally
    TILL_DAY_DIFFERS = "till_day_differs"  # a counter's day closed differently on both sides


@dataclass(frozen=True)
class Conflict:
    """What the merge found and did not decide: both sides as they were, for a supervisor."""

    kind: ConflictKind
    reference: str
    central: dict[str, object]
    local: dict[str, object]
    seat: str
    found_at: dt.datetime
    id: int | None = None
    resolved_by: str = ""
    resolution: str = ""
