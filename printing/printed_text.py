"""A scan's or photo's printed text compared with its sealed facts. The printed seal proves the
facts it carries, not the page around it: a printout whose text was changed still carries a
genuine seal. Tesseract (Debian's `tesseract-ocr` with the German data) reads the page; each
fact-table row the seal names is looked up by its label, and its printed value compared with
the sealed one, allowing for what OCR misreads. Where Tesseract is not installed or reads too
little, the answer says that the clerk compares by eye, as before."""

from __future__ import annotations

import os
from dataclasses import dataclass

from PIL import Image
from rapidfuzz import fuzz

from printing.seal_profile import SealReading, normalise

LANGUAGE = "deu"
LABEL_SCORE = 90  # a label read with at most a letter wrong
VALUE_SCORE = 80  # a value read with about one character in five wrong, as OCR does
TEXT_DPI = 200


class TextUnreadable(RuntimeError):
    """No text could be read: Tesseract is missing or failed; the message says which."""


@dataclass(frozen=True, slots=True)
class Comparison:
    """`compared`: facts whose row was found on the page; `differing`: those whose printed
    value is not the sealed one."""

    compared: tuple[str, ...]
    differing: tuple[str, ...]
    facts: int

    @property
    def enough(self) -> bool:
        """Whether the page was read well enough to vouch for a difference or agreement: at
        least half of the sealed rows found, and most of those agreeing (a forger changes a
        fact or two; a page where nearly nothing agrees was misread, e.g. its table's columns
        read one after the other, and is never called a forgery on that)."""
        return (
            self.facts > 0
            and 2 * len(self.compared) >= self.facts
            and 2 * len(self.differing) <= len(self.compared)
        )


def _normal(text: str) -> str:
    text = text.replace("„", '"').replace("“", '"').replace("–", "-").replace("—", "-")
    return normalise(text).casefold()


def page_text(image: Image.Image) -> str:
    import pytesseract

    # one thread: Tesseract's OpenMP threads cost a page six times the time they save (1.3 s
    # instead of 8 s for a 200 dpi A4 page on two cores); the subprocess inherits this
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    try:
        return str(pytesseract.image_to_string(image.convert("L"), lang=LANGUAGE))
    except pytesseract.TesseractNotFoundError as error:
        raise TextUnreadable("Texterkennung (Tesseract) nicht installiert") from error
    except (pytesseract.TesseractError, OSError) as error:
        raise TextUnreadable(f"Texterkennung gescheitert ({error})") from error


def _values_after(label: str, lines: list[str]) -> list[str]:
    """What follows `label` on the lines that start with it (with the next line, for a value
    the table wrapped). Only the lines whose start matches best: "Ehegatte 1" is not the row
    "Ehegatte 2", nor "Tag der Eheschließung" the row "Ort der Eheschließung"."""
    rows: list[tuple[float, str]] = []
    for index, line in enumerate(lines):
        score = fuzz.partial_ratio(label, line[: len(label) + 2])
        # a label alone on its line: the table was read column by column, no value beside it
        if score >= LABEL_SCORE and line[len(label) :].strip(" :"):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            rows.append((score, f"{line[len(label) :].strip(' :')} {following}".strip()))
    best = max((score for score, _ in rows), default=0)
    return [value for score, value in rows if score == best]


def _shows(wanted: str, printed: str) -> bool:
    if not any(character.isalnum() for character in wanted):  # "—": no such fact (no degree)
        first = printed.split(" ", 1)[0] if printed else ""
        return not any(character.isalnum() for character in first)
    return fuzz.partial_ratio(wanted, printed) >= VALUE_SCORE


def compare(reading: SealReading, text: str) -> Comparison:
    lines = [_normal(line) for line in text.splitlines() if line.strip()]
    compared: list[str] = []
    differing: list[str] = []
    for label, value in reading.facts:
        printed = _values_after(_normal(label), lines)
        if not printed:
            continue
        compared.append(label)
        if not all(_shows(_normal(value), candidate) for candidate in printed):
            differing.append(label)
    return Comparison(tuple(compared), tuple(differing), len(reading.facts))
