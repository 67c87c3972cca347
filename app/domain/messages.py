"""Every text the application shows or sends a person, from one gettext catalogue.

The catalogue is `app/locale/<language>/LC_MESSAGES/buergerbuero.po` (German and English,
compiled to `.mo` beside it; `make messages` extracts, updates and compiles, see
docs/translating.md). The code asks by key ("box.office", "field.required"): a wording
changes in the catalogue alone, and the German is a translation like the English. The service
catalogue's own words (service names, field labels, choices, proofs) are the legal German of
`services.json`; their English is the catalogue's under the context "catalogue".
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

DOMAIN = "buergerbuero"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
LANGUAGES = ("de", "en")
CATALOGUE_CONTEXT = "catalogue"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of `language` ('en', anything else German); without one, keys
    stand for themselves (the catalogue test keeps that from reaching a person)."""
    chosen = "en" if language == "en" else "de"
    try:
        return gettext.translation(DOMAIN, LOCALE_DIR, languages=[chosen])
    except OSError:
        return gettext.NullTranslations()


def _filled(template: str, params: dict[str, object]) -> str:
    try:
        return template.format(**params) if params else template
    except (KeyError, IndexError):
        return template


def render(key: str, language: str = "de", **params: object) -> str:
    """The text for `key` in `language` ('de' or 'en'), with its parameters filled in."""
    return _filled(translations(language).gettext(key), params)


def render_plural(key: str, count: int, language: str = "de", **params: object) -> str:
    """The text for `key` in the plural form `count` asks for (`count` is not filled in by
    itself: pass it among the parameters under the name the text uses)."""
    return _filled(translations(language).ngettext(key, key, count), params)


def catalogue_text(german: str, language: str) -> str:
    """A word of the service catalogue (its German as written there) in `language`."""
    if language != "en":
        return german
    return translations("en").pgettext(CATALOGUE_CONTEXT, german)
