"""The window's own texts, German first, then English, by key, one module per area;
`ui.i18n.tr` picks one. The core's messages (errors, rules) are app.domain.messages'."""

from __future__ import annotations

from ui.texts import box, cases, identity, shell, supervision

_AREAS = (shell, cases, box, identity, supervision)
TEXTS: dict[str, tuple[str, str]] = {
    key: pair for area in _AREAS for key, pair in area.TEXTS.items()
}
if len(TEXTS) != sum(len(area.TEXTS) for area in _AREAS):
    raise AssertionError("a text key is defined in two areas")
