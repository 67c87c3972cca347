"""A seat's settings between two starts: what changed, old -> new, for the audit chain."""

from __future__ import annotations

SHOWN = 120  # characters of a value in the audit record (a path, a URL)


def _shown(value: str) -> str:
    return repr(value if len(value) <= SHOWN else value[: SHOWN - 1] + "…")


def settings_changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Each setting whose value differs, added or dropped, as `name: 'old' -> 'new'`, by name."""
    return [
        f"{name}: {_shown(before.get(name, ''))} -> {_shown(after.get(name, ''))}"
        for name in sorted(before.keys() | after.keys())
        if before.get(name, "") != after.get(name, "")
    ]
