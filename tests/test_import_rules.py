"""The rules import-linter cannot say: the domain and the lanes import the standard library
and each other, nothing else, as an allow-list (a new third-party package needs no list
kept); and no module of app/ or ui/ grows past 400 lines."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PURE = [*sorted((ROOT / "app" / "domain").rglob("*.py")), ROOT / "app" / "lanes.py"]
OWN = ("app.domain", "app.lanes")


def imported(path: Path) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def allowed(module: str) -> bool:
    top = module.partition(".")[0]
    return top in sys.stdlib_module_names or module == "__future__" or module.startswith(OWN)


def test_the_domain_and_the_lanes_import_the_standard_library_and_each_other_only() -> None:
    assert len(PURE) > 10
    outside = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in PURE
        for line, module in imported(path)
        if not allowed(module)
    ]
    assert outside == []


def test_the_rule_sees_a_third_party_import() -> None:
    assert not allowed("phonenumbers") and not allowed("openpyxl.styles")
    assert not allowed("app.store.cases") and allowed("app.domain.cases") and allowed("json")


def test_no_module_of_the_application_or_the_window_is_over_400_lines() -> None:
    """Small modules with one job each: a module that grows past this is split by job."""
    long = {
        str(path.relative_to(ROOT)): lines
        for folder in ("app", "ui")
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}
