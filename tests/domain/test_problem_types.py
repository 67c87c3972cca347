"""Problem type URIs for reject events: the built-in names, or a seat's overrides."""

from __future__ import annotations

import pytest

from app.domain.intake import PROBLEM_BASE, Problem, problem_types


def test_every_problem_has_a_type_under_the_fitko_base_by_default() -> None:
    types = problem_types()
    assert set(types) == set(Problem)
    assert types[Problem.HASH_MISMATCH] == PROBLEM_BASE + "hash-mismatch"


def test_overrides_replace_only_the_named_problems() -> None:
    types = problem_types(
        " hash-mismatch = https://schema.fitko.de/fit-connect/events/problems/incorrect-hash ;"
        "unsupported-service=urn:city:problems:service;"
    )
    assert types[Problem.HASH_MISMATCH].endswith("/incorrect-hash")
    assert types[Problem.UNSUPPORTED_SERVICE] == "urn:city:problems:service"
    assert types[Problem.SYNTAX] == PROBLEM_BASE + "syntax-violation"


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("hash-mismatch", "is not name=URI"),
        ("hash-mismatch=ftp://x", "is not name=URI"),
        ("hash-missmatch=https://x", "unknown problem 'hash-missmatch' (known: encryption-issue"),
    ],
)
def test_a_broken_setting_names_the_entry(setting: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        problem_types(setting)
