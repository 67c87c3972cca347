"""The window's words and numbers in the clerk's language (the catalogue itself:
tests/test_message_catalogue.py)."""

from __future__ import annotations

import re
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"


def test_screen_reader_names_come_from_the_text_table() -> None:
    """A name written into the code would stay German in English mode."""
    literal = [
        (path.name, match.group(0))
        for path in UI.glob("*.py")
        for match in re.finditer(r'setAccessibleName\(\s*f?"[^"]*"', path.read_text("utf-8"))
    ]
    assert literal == []


def test_dates_and_amounts_as_the_windows_language_writes_them() -> None:
    import datetime as dt

    from ui.i18n import (
        format_day,
        format_moment,
        format_money,
        format_number,
        format_percent,
        language,
        set_language,
    )

    before = language()
    try:
        set_language("de")
        assert format_day(dt.date(2026, 12, 7)) == "07.12.2026"
        assert format_money(900) == "9,00\u00a0€"  # no line break between amount and sign
        set_language("en")
        assert format_day(dt.date(2026, 12, 7)) == "7 Dec 2026"
        assert format_money(900) == "€9.00"
        assert format_moment(dt.datetime(2026, 12, 7, 13, 5, tzinfo=dt.UTC)).startswith("7 Dec")
        assert (format_number(10000), format_percent(0.4167)) == ("10,000", "41.7%")
        set_language("de")
        assert (format_number(10000), format_percent(0.4167)) == ("10.000", "41,7\u00a0%")
    finally:
        set_language(before)
