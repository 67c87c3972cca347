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
