"""Reference numbers (Aktenzeichen): unique per office and year, e.g. ``SI-2026-000123``."""

import re

_REFERENCE = re.compile(r"^(?P<office>[A-Z]{2})-(?P<year>\d{4})-(?P<number>\d{6})$")


def format_reference(office_code: str, year: int, number: int) -> str:
    if not re.fullmatch(r"[A-Z]{2}", office_code) or not 0 < number < 1_000_000:
        raise ValueError(f"cannot form a reference from {office_code!r}, {year}, {number}")
    return f"{office_code}-{year:04d}-{number:06d}"


def parse_reference(reference: str) -> tuple[str, int, int]:
    match = _REFERENCE.match(reference)
    if match is None:
        raise ValueError(f"not a reference: {reference!r}")
    return match["office"], int(match["year"]), int(match["number"])
