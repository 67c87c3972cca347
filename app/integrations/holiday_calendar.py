"""The public holidays of North Rhine-Westphalia, from the maintained `holidays` package (Easter
and its feasts, Corpus Christi, All Saints' Day, ...), for the working-day arithmetic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import holidays

from app.domain.working_days import WorkingDays


def nrw_holidays(years: Iterable[int]) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("DE", subdiv="NW", years=list(years)).keys())


def nrw_working_days(first: dt.date, last: dt.date) -> WorkingDays:
    """Working days for the years from `first` to `last`, one either side for SLAs that run over
    a new year."""
    return WorkingDays(nrw_holidays(range(first.year - 1, last.year + 2)))
