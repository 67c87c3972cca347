"""Every text key the window asks for exists in both languages (a missing key would show the
key itself, e.g. 'walkin.service', to a clerk)."""

from __future__ import annotations

import re
from pathlib import Path

from ui.i18n import TEXTS

UI = Path(__file__).resolve().parents[2] / "ui"


def test_every_literal_text_key_has_german_and_english() -> None:
    used = {
        (path.name, match.group(1))
        for path in UI.glob("*.py")
        for match in re.finditer(r'\btr\(\s*"([^"]+)"', path.read_text("utf-8"))
    }
    assert len(used) > 100
    assert [(name, key) for name, key in sorted(used) if key not in TEXTS] == []
    assert [key for key, (german, english) in TEXTS.items() if not german or not english] == []


def test_screen_reader_names_come_from_the_text_table() -> None:
    """A name written into the code would stay German in English mode."""
    literal = [
        (path.name, match.group(0))
        for path in UI.glob("*.py")
        for match in re.finditer(r'setAccessibleName\(\s*f?"[^"]*"', path.read_text("utf-8"))
    ]
    assert literal == []


def test_every_command_menu_and_page_key_has_both_languages() -> None:
    from ui.commands import MENUS, SHORTCUTS

    keys = {*SHORTCUTS, *MENUS, "page.cases", "page.quarantine"}
    assert sorted(key for key in keys if key not in TEXTS) == []


def test_dates_and_amounts_as_the_windows_language_writes_them() -> None:
    import datetime as dt

    from ui.i18n import format_day, format_moment, format_money, language, set_language

    before = language()
    try:
        set_language("de")
        assert format_day(dt.date(2026, 12, 7)) == "07.12.2026"
        assert format_money(900) == "9,00\u00a0€"  # no line break between amount and sign
        set_language("en")
        assert format_day(dt.date(2026, 12, 7)) == "7 Dec 2026"
        assert format_money(900) == "€9.00"
        assert format_moment(dt.datetime(2026, 12, 7, 13, 5, tzinfo=dt.UTC)).startswith("7 Dec")
    finally:
        set_language(before)
