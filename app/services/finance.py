"""The confirmed day's counter bookings for the city's finance system: each entry with its
account, cost centre and product from the catalogue, written through the FinanceExport port.
Only confirmed days go out: a day still open or waiting for its second person is named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.domain.catalogue import Catalogue
from app.domain.errors import DomainError
from app.domain.till import DayState
from app.ports import CaseRepository
from app.ports.till import FinanceExport, FinanceRow, TillJournal


class FinanceDesk:
    def __init__(
        self,
        *,
        journal: TillJournal,
        cases: CaseRepository,
        catalogue: Catalogue,
        export: FinanceExport,
    ) -> None:
        self.journal, self.cases, self.catalogue, self.export = journal, cases, catalogue, export

    def rows(self, office_id: int, day: dt.date) -> list[FinanceRow]:
        entries = self.journal.entries_of_office(office_id, day)
        for counter in sorted({entry.counter for entry in entries}):
            if self.journal.day(office_id, counter, day).state is not DayState.CONFIRMED:
                raise DomainError("finance.not_confirmed", counter=counter, day=day.isoformat())
        rows = []
        for entry in entries:
            case = self.cases.get(entry.case_id)
            service = self.catalogue.service(case.service_id)
            kind = "Storno " if entry.cancels else ""
            rows.append(
                FinanceRow(
                    day=entry.day,
                    kassenzeichen=entry.receipt,
                    amount_cents=entry.amount_cents,
                    method=entry.method.value,
                    account=service.booking.account,
                    cost_centre=service.booking.cost_centre,
                    product=service.booking.product,
                    booking_text=f"{kind}{service.name_de} {entry.case_reference}"[:140],
                )
            )
        return rows

    def export_day(self, office_id: int, day: dt.date, target: Path) -> int:
        """Write the day's file; the number of bookings in it."""
        rows = self.rows(office_id, day)
        self.export.write(rows, target)
        return len(rows)
