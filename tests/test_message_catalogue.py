"""The one message catalogue (app/locale, gettext): every text the code asks for is there in
German and English with the same placeholders, the compiled files are current, and the
catalogue's plural forms and context work through the standard library's gettext."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest

from app.domain.cases import CaseStatus, Channel, PaymentState
from app.domain.catalogue import default_catalogue
from app.domain.identity import DOCUMENTS, IdentityLevel, IdentityMethod
from app.domain.messages import LOCALE_DIR, catalogue_text, render, render_plural
from app.domain.outage import ConflictKind
from app.domain.outbox import Pending
from cardreader.passive_auth import Outcome


def _maintenance() -> ModuleType:
    path = LOCALE_DIR.parent.parent / "scripts" / "messages.py"
    spec = importlib.util.spec_from_file_location("catalogue_maintenance", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def maintenance() -> ModuleType:
    return _maintenance()


def test_the_catalogue_has_no_problem(maintenance: ModuleType) -> None:
    """A key the code uses but the catalogue lacks, a text missing in one language, a lost
    {placeholder} or Alt-key marker, a fuzzy entry, or a .mo older than its .po."""
    assert maintenance.problems() == []
    assert len(maintenance.used_keys()) > 300


def test_the_check_sees_what_a_translator_could_break(
    maintenance: ModuleType, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for language in ("de", "en"):
        target = tmp_path / language / "LC_MESSAGES"
        target.mkdir(parents=True)
        source = maintenance.po_path(language)
        target.joinpath(source.name).write_bytes(source.read_bytes())
        target.joinpath(source.with_suffix(".mo").name).write_bytes(
            source.with_suffix(".mo").read_bytes()
        )
    monkeypatch.setattr(maintenance, "LOCALE", tmp_path)
    english = tmp_path / "en" / "LC_MESSAGES" / "buergerbuero.po"
    text = english.read_text("utf-8")
    text = text.replace('msgstr "Off&ice:"', 'msgstr "Office:"')  # Alt-key marker lost
    text = text.replace('msgstr "At most {max} characters"', 'msgstr "At most {maxi} characters"')
    text = text.replace('msgstr "Unknown field {name}"', 'msgstr ""')
    english.write_text(text, "utf-8")
    found = "\n".join(maintenance.problems())
    assert "'box.office': an Alt-key marker (&) in one language only" in found
    assert "en: 'field.too_long' has {placeholders} differing" in found
    assert "en: 'field.unknown' has no text" in found
    assert "buergerbuero.mo is not the compiled .po" in found


def test_keys_built_at_run_time_are_in_the_catalogue() -> None:
    """The enums' texts are asked for as f"status.{state}": no literal to extract."""
    keys = [
        *(f"status.{s.value}" for s in CaseStatus),
        *(f"channel.{c.value}" for c in Channel),
        *(f"payment.{p.value}" for p in PaymentState),
        *(f"identity_level.{level.name.lower()}" for level in IdentityLevel),
        *(f"identity.method_{m.value}" for m in IdentityMethod),
        *(f"identity.document_{d}" for d in DOCUMENTS),
        *(f"table.channel.{c.value}" for c in Channel),
        *(f"health.pending.{kind.value}" for kind in Pending),
        *(f"conflicts.kind.{kind.value}" for kind in ConflictKind),
        *(
            f"passport.line_{o.value}"
            for o in Outcome
            if o.value not in ("genuine", "data_changed")
        ),
    ]
    for language in ("de", "en"):
        assert [key for key in keys if render(key, language) == key] == []


def test_plural_forms_context_and_placeholders_through_gettext() -> None:
    assert render_plural("inbox.count", 1, "de", shown=1, total=1) == "1 von 1 Vorgang"
    assert render_plural("inbox.count", 7, "de", shown=5, total=7) == "5 von 7 Vorgängen"
    assert render_plural("inbox.count", 1, "en", shown=1, total=1) == "1 of 1 case"
    assert render("field.too_long", "en", max=40) == "At most 40 characters"
    service = default_catalogue().service("meldebescheinigung_einfach")
    assert service.name("de") == "Meldebescheinigung (einfach)"
    assert service.name("en") == "Registration certificate (simple)"
    assert catalogue_text("Papier mit Siegel", "en") == "Paper with seal"
    assert render("no.such.key", "en") == "no.such.key"  # never an exception before a clerk
