"""Working through an outage, as use cases: prepare a seat (number blocks reserved in the
central database, the journal's copy of the office's open cases), carry the journal back once
the central database returns (then a fresh copy), and the supervisors' list of what the merge
could not decide. Database lane; the switch between the central database and the journal is
the wiring's (`app.wiring.outage.OutageSwitch`)."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.errors import PermissionDenied
from app.domain.outage import DEFAULT_BLOCK_SIZE, Conflict, NumberBlock, Series
from app.domain.users import Role, User
from app.ports import Clock, UserDirectory
from app.ports.outage import MergeOutcome, NumberBlocks, SeatJournal


@dataclass(frozen=True)
class Preparation:
    seat: str
    office: str
    blocks: list[NumberBlock]
    reserved: list[NumberBlock]  # this time
    cases_copied: int

    def as_json(self) -> dict[str, object]:
        def shown(block: NumberBlock) -> dict[str, object]:
            return {
                "series": block.series.value,
                "year": block.year,
                "first": block.first,
                "last": block.last,
            }

        return {
            "seat": self.seat,
            "office": self.office,
            "blocks": [shown(b) for b in self.blocks],
            "reserved_now": [shown(b) for b in self.reserved],
            "open_cases_copied": self.cases_copied,
        }


class OutageDesk:
    def __init__(
        self,
        *,
        blocks: NumberBlocks,
        journal: SeatJournal,
        users: UserDirectory,
        clock: Clock,
        seat: str,
        sizes: dict[Series, int] | None = None,
    ) -> None:
        self.blocks, self.journal, self.users, self.clock = blocks, journal, users, clock
        self.seat, self.sizes = seat, sizes or dict(DEFAULT_BLOCK_SIZE)

    def prepare(self, *, user: User, office: str) -> Preparation:
        """Blocks for every series this seat has none of this year, then a fresh copy. A
        journal with offline work is merged first, never overwritten."""
        user.require(Role.CLERK, "outage.prepare")
        office_id = {o.code: o.id for o in self.users.offices()}[office]
        now = self.clock.now()
        if any(self.journal.offline_work().values()):
            self.journal.merge(by=user.login, at=now)
        held = self.blocks.blocks(self.seat)
        reserved = []
        for series in Series:
            series_office = None if series is Series.DOCUMENT else office_id
            mine = [
                b
                for b in held
                if b.series is series and b.year == now.year and b.office_id == series_office
            ]
            if not mine:
                reserved.append(
                    self.blocks.reserve(
                        seat=self.seat,
                        series=series,
                        office_id=series_office,
                        year=now.year,
                        size=self.sizes[series],
                        by=user.login,
                        at=now,
                    )
                )
        copied = self.journal.refresh(seat=self.seat, office_id=office_id, at=now)
        return Preparation(self.seat, office, self.blocks.blocks(self.seat), reserved, copied)

    def refresh(self, *, office_id: int) -> int:
        """The copy renewed while the central database is there (nothing offline in it)."""
        return self.journal.refresh(seat=self.seat, office_id=office_id, at=self.clock.now())

    def merge_back(self, *, by: str, office_id: int) -> MergeOutcome:
        """The central database is back: the journal's work carried once, then a new copy."""
        outcome = self.journal.merge(by=by, at=self.clock.now())
        self.journal.refresh(seat=self.seat, office_id=office_id, at=self.clock.now())
        return outcome

    def conflicts(self, *, user: User, open_only: bool = True) -> list[Conflict]:
        if not user.has_role(Role.SUPERVISOR):
            raise PermissionDenied("user.permission", action="outage.conflicts", role="supervisor")
        return self.blocks.conflicts(open_only=open_only)

    def resolve(self, *, user: User, conflict_id: int, resolution: str) -> None:
        if not user.has_role(Role.SUPERVISOR):
            raise PermissionDenied("user.permission", action="outage.resolve", role="supervisor")
        self.blocks.resolve(conflict_id, by=user.login, resolution=resolution, at=self.clock.now())
