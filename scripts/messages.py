"""Keep the message catalogue (app/locale) in step with the code: `make messages` runs
`update` then `compile`; tests/test_message_catalogue.py runs `problems`.

    python scripts/messages.py update    # new keys of the code into de.po and en.po, the .pot
    python scripts/messages.py compile   # the .mo files the application reads
    python scripts/messages.py check     # what a translator still has to do (exit 1 if any)

German (de.po) is the source file: a new key gets its German there, then its English in en.po;
en.po carries each German text as a note, so Poedit shows it beside the key.
"""

from __future__ import annotations

import ast
import io
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "app" / "locale"
DOMAIN = "buergerbuero"
LANGUAGES = ("de", "en")
CONTEXT = "catalogue"
CODE = ("app", "ui", "printing", "cardreader")
# calls whose first argument is a message key; every error class of the domain is one too
KEY_CALLS = ("tr", "tr_title", "tr_plural", "render", "render_plural")
WIDTH = 96
# a fixed header date: regenerating an unchanged catalogue changes no byte
HEADER_DATE = "2026-12-07 00:00+0000"
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)[^{}]*\}")
MNEMONIC = re.compile(r"&[^&\s]")
KEY_SHAPE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]*[a-z0-9])+")


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(language: str) -> Catalog:
    with po_path(language).open("rb") as file:
        return read_po(file, locale=language, domain=DOMAIN)


def _write(catalog: Catalog, path: Path, *, template: bool = False) -> None:
    catalog.project, catalog.version = "Bürgerbüro Desk", "1"
    catalog.copyright_holder = "the city's Bürgerbüros"
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "Bürgerbüro Desk developers"
    catalog.language_team = "" if template else f"{catalog.locale} (Bürgerbüro Desk)"
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, sort_output=True, ignore_obsolete=True)
    text = re.sub(
        r'"(POT-Creation-Date|PO-Revision-Date): [^"\\]*',
        rf'"\1: {HEADER_DATE}',
        buffer.getvalue().decode(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def error_classes() -> set[str]:
    """Every class that derives (at any depth) from app.domain.errors.Explained."""
    bases: dict[str, set[str]] = {}
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ClassDef):
                names = {
                    b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
                }
                bases.setdefault(node.name, set()).update(names)
    found = {"Explained"}
    while grown := {name for name, of in bases.items() if of & found} - found:
        found |= grown
    return found


def _sources() -> Iterator[Path]:
    for folder in CODE:
        yield from (p for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts)


def _call_name(node: ast.Call) -> str:
    function = node.func
    return function.id if isinstance(function, ast.Name) else getattr(function, "attr", "")


def _literals(node: ast.expr) -> Iterator[str]:
    """The keys an argument can be: a literal, or either literal of `"a" if x else "b"`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _literals(node.body)
        yield from _literals(node.orelse)


def used_keys() -> dict[str, str]:
    """Each key the code asks for by a literal (key -> where first): the first argument of
    every call that takes a key (tr, render, each error class), and in the window's code every
    key-shaped literal of a known namespace (tables such as the shortcuts). A key built at
    run time (f"status.{state}") is the test's to check, by the enum it comes from."""
    calls = {*KEY_CALLS, *error_classes()}
    used: dict[str, str] = {}
    trees = {path: ast.parse(path.read_text("utf-8")) for path in _sources()}
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and _call_name(node) in calls:
                for key in _literals(node.args[0]):
                    used.setdefault(key, f"{path.relative_to(ROOT)}:{node.lineno}")
    namespaces = {key.partition(".")[0] for key in used}
    for path, tree in trees.items():
        if path.relative_to(ROOT).parts[0] != "ui":
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and KEY_SHAPE.fullmatch(node.value)
                and node.value.partition(".")[0] in namespaces
                and not _module(node.value)
            ):
                used.setdefault(node.value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return used


def _module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.is_dir() or path.with_suffix(".py").exists()


def catalogue_words() -> dict[str, str]:
    """The service catalogue's German words (service names, labels, choices, proofs), each
    with a note for the translator."""
    from app.domain.catalogue import BOX_FIELDS

    document = json.loads((ROOT / "app/domain/data/services.json").read_text("utf-8"))
    words: dict[str, str] = {}
    for field in document["applicant_fields"]:
        words.setdefault(field["label"], "The label of a field of every application form.")
    for service in document["services"]:
        words.setdefault(service["name"], "The name of a service (Leistung) in the catalogue.")
        for field in service["fields"]:
            words.setdefault(field["label"], f"A field of the form for “{service['name']}”.")
            for _value, label in field.get("choices", []):
                words.setdefault(label, f"A choice of the field “{field['label']}”.")
        for proof in service["proofs"]:
            words.setdefault(proof, "A proof (Nachweis) the citizen brings or uploads.")
    for spec in BOX_FIELDS:
        words.setdefault(spec.label_de, "A question about the pickup box on a form.")
    return words


def _blank(message: Message) -> str | tuple[str, ...]:
    return ("", "") if message.pluralizable else ""


def update() -> None:
    """Add the code's new keys and the catalogue's new words to both languages (German
    empty for the developer to write, English empty for the translator), drop what nothing
    uses any more, and write the template."""
    german = read("de")
    used = used_keys()
    words = catalogue_words()
    for key in used:
        if german.get(key) is None:
            german.add(key, "")
    for word, note in words.items():
        if german.get(word, context=CONTEXT) is None:
            german.add(word, word, context=CONTEXT, user_comments=[note])
    for message in list(german):
        if not message.id:
            continue
        gone = message.id not in words if message.context == CONTEXT else _key(message) not in used
        if gone and message.context == CONTEXT:
            german.delete(message.id, context=CONTEXT)
    template = Catalog(domain=DOMAIN, fuzzy=False)
    for message in german:
        if message.id:
            template.add(
                message.id,
                _blank(message),
                context=message.context,
                auto_comments=[*message.user_comments, f"German: {_flat(message.string)}"],
            )
    _write(template, LOCALE / f"{DOMAIN}.pot", template=True)
    _write(german, po_path("de"))
    english = read("en")
    english.update(template, no_fuzzy_matching=True)
    for message in english:
        source = german.get(message.id, context=message.context)
        if message.id and source is not None:  # the notes are the template's, not doubled
            message.user_comments = [
                c for c in message.user_comments if c not in source.user_comments
            ]
    _write(english, po_path("en"))


def _key(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _flat(string: str | tuple[str, ...] | None) -> str:
    return " | ".join(string) if isinstance(string, tuple) else string or ""


def compiled(language: str) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, read(language), use_fuzzy=False)
    return buffer.getvalue()


def compile_all() -> None:
    for language in LANGUAGES:
        po_path(language).with_suffix(".mo").write_bytes(compiled(language))


def _forms(message: Message) -> list[str]:
    string = message.string
    return list(string) if isinstance(string, tuple) else [string or ""]


def problems() -> list[str]:
    """Everything a person would see wrong: a key the code uses that the catalogue lacks, a
    text missing in one language, a placeholder or an Alt-key marker lost, a stale .mo."""
    found: list[str] = []
    catalogs = {language: read(language) for language in LANGUAGES}
    german, english = catalogs["de"], catalogs["en"]
    for key, where in sorted(used_keys().items()):
        if german.get(key) is None:
            found.append(f"{where}: the key {key!r} is not in the catalogue")
    for word in catalogue_words():
        if english.get(word, context=CONTEXT) is None:
            found.append(f"services.json: {word!r} has no English")
    ids = {language: {(m.context, _key(m)) for m in c if m.id} for language, c in catalogs.items()}
    for context, key in sorted(ids["de"] ^ ids["en"], key=str):
        found.append(f"{key!r} ({context or 'no context'}) is in one language only")
    for message in german:
        if not message.id:
            continue
        other = english.get(message.id, context=message.context)
        if other is None:
            continue
        for language, entry in (("de", message), ("en", other)):
            if entry.fuzzy:
                found.append(f"{language}: {_key(entry)!r} is marked fuzzy")
            if any(not form for form in _forms(entry)):
                found.append(f"{language}: {_key(entry)!r} has no text")
        expected = set(PLACEHOLDER.findall(" ".join(_forms(message))))
        for language, entry in (("de", message), ("en", other)):
            for form in _forms(entry):
                if form and set(PLACEHOLDER.findall(form)) != expected and not message.pluralizable:
                    found.append(f"{language}: {_key(entry)!r} has {{placeholders}} differing")
                if message.pluralizable and form and not set(PLACEHOLDER.findall(form)) <= expected:
                    found.append(f"{language}: {_key(entry)!r} has a placeholder of its own")
        marked = {bool(MNEMONIC.search(" ".join(_forms(e)))) for e in (message, other)}
        if len(marked) > 1:
            found.append(f"{_key(message)!r}: an Alt-key marker (&) in one language only")
    for language in LANGUAGES:
        mo = po_path(language).with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != compiled(language):
            found.append(f"{language}/{mo.name} is not the compiled .po: run `make messages`")
    return found


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "check":
        listed = problems()
        print("\n".join(listed) or "the catalogue is complete")
        return 1 if listed else 0
    else:
        print(f"unknown command {command!r}: update, compile or check", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
