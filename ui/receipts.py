"""A till booking's Quittung for the window: the entry and its case read (database lane), the
PDF made by printing.receipt; the till dialog prints it on the printing lane."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from app.domain.catalogue import Catalogue
from app.domain.users import Office
from app.ports import CaseRepository
from app.services.fees import FeeDesk
from printing.receipt import ReceiptIssuer, receipt_pdf


class _Authority(Protocol):
    @property
    def authority_name(self) -> str: ...

    @property
    def authority_address(self) -> str: ...


class _Core(Protocol):
    """What of app.wiring.Core a receipt needs (the window's core)."""

    @property
    def cases(self) -> CaseRepository: ...

    @property
    def catalogue(self) -> Catalogue: ...

    @property
    def settings(self) -> _Authority: ...


def receipt_maker(
    fees: FeeDesk, core: _Core, offices: Callable[[], list[Office]]
) -> Callable[[int], tuple[bytes, str]]:
    def make(entry_id: int) -> tuple[bytes, str]:
        entry = fees.till.journal.entry(entry_id)
        case = core.cases.get(entry.case_id)
        office = next(o.name for o in offices() if o.id == entry.office_id)
        settings = core.settings
        issuer = ReceiptIssuer(settings.authority_name, office, settings.authority_address)
        service = core.catalogue.service(case.service_id).name_de
        return receipt_pdf(entry, issuer=issuer, service=service), f"Quittung {entry.receipt}"

    return make
