"""The public holidays of North Rhine-Westphalia, from the maintained `holidays` package (Easter
and its feasts, Corpus Christi, All Saints' Day, ...), for the working-day calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from app.domain.working_days import WorkingDays


def nrw_holidays(years: Iterable[int]) -> frozenset[dt.date]:
    import holidays  # its tables load when a date is first asked about, not at start

    return frozenset(holidays.country_holidays("DE", subdiv="NW", years=list(years)).keys())


def nrw_working_days() -> WorkingDays:
    """Working days in NRW, each year's holidays looked up when that year is first asked."""
    return WorkingDays(lambda year: nrw_holidays([year]))
