"""The machine readable zone (ICAO Doc 9303 Parts 3, 4, 5): check digits, the three formats
(TD1: ID cards, 3 lines of 30; TD2: 2 of 36; TD3: passports, 2 of 44), and the MRZ
information the chip's access keys come from (Part 11 §9.7.2): document number, date of
birth and date of expiry, each with its check digit."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

WEIGHTS = (7, 3, 1)
FILLER = "<"
ALLOWED = re.compile(r"[0-9A-Z<]*")
DATE = re.compile(r"[0-9]{6}")


class MrzError(ValueError):
    """MRZ data that cannot be (a line of the wrong length, a check digit that does not fit,
    a character outside 0-9, A-Z and <)."""


def _value(character: str) -> int:
    if character.isdigit():
        return int(character)
    if "A" <= character <= "Z":
        return ord(character) - ord("A") + 10
    if character == FILLER:
        return 0
    raise MrzError(f"{character!r} is no MRZ character")


def check_digit(field: str) -> str:
    """Part 3 §4.9: weights 7, 3, 1 repeating; digits count as themselves, A to Z as 10 to 35,
    the filler as 0; the sum modulo 10."""
    return str(sum(_value(c) * WEIGHTS[i % 3] for i, c in enumerate(field)) % 10)


def _checked(field: str, digit: str, what: str) -> str:
    if check_digit(field) != digit:
        raise MrzError(f"the check digit of the {what} does not fit")
    return field


@dataclass(frozen=True, slots=True)
class AccessKey:
    """What the clerk types (or a scanner reads) to open a chip with BAC or PACE-MRZ."""

    document_number: str
    birth: str  # YYMMDD
    expiry: str  # YYMMDD

    @classmethod
    def typed(cls, document_number: str, birth: str, expiry: str) -> AccessKey:
        """From the clerk's input: upper case, spaces and dashes dropped; MrzError when a
        part cannot be MRZ data."""
        number = re.sub(r"[\s-]", "", document_number).upper()
        if not number or not ALLOWED.fullmatch(number) or len(number) > 22:
            raise MrzError("the document number has 1 to 22 letters and digits")
        for date, what in ((birth, "date of birth"), (expiry, "date of expiry")):
            if not DATE.fullmatch(date):
                raise MrzError(f"the {what} is six digits, YYMMDD")
        return cls(number, birth, expiry)

    @property
    def information(self) -> str:
        """Part 11 §9.7.2: the document number (at least nine characters, filled with <), the
        dates, each followed by its check digit."""
        number = self.document_number.ljust(9, FILLER)
        return "".join(f"{part}{check_digit(part)}" for part in (number, self.birth, self.expiry))

    @property
    def seed(self) -> bytes:
        """K_seed for BAC: the first 16 bytes of SHA-1 over the MRZ information."""
        return hashlib.sha1(self.information.encode("ascii")).digest()[:16]


@dataclass(frozen=True, slots=True)
class MrzData:
    """DG1's MRZ (or the printed one) read field by field."""

    document_code: str
    issuing_state: str
    family_name: str
    given_names: str
    document_number: str
    nationality: str
    birth: str  # YYMMDD, < for unknown parts
    sex: str  # M, F or <
    expiry: str
    optional: str

    @property
    def access_key(self) -> AccessKey:
        return AccessKey(self.document_number, self.birth, self.expiry)


def _names(field: str) -> tuple[str, str]:
    family, _sep, given = field.partition("<<")
    return family.replace(FILLER, " ").strip(), given.replace(FILLER, " ").strip()


def _long_number(number: str, digit: str, optional: str) -> tuple[str, str]:
    """A document number longer than nine characters: the rest and its check digit lead the
    optional data, the number's own check digit place holds < (Part 5 §4.2.2 note j)."""
    if digit != FILLER:
        return number.rstrip(FILLER), digit
    rest, _sep, _tail = optional.partition(FILLER)
    full = number + rest[:-1]
    return full, rest[-1:] if rest else ""


def parse(text: str) -> MrzData:
    """The MRZ of a TD1, TD2 or TD3 document, its lines separated by newlines or written one
    after the other; MrzError for anything else or a check digit that does not fit."""
    joined = re.sub(r"\s", "", text.upper())
    if not ALLOWED.fullmatch(joined):
        raise MrzError("an MRZ has only 0-9, A-Z and <")
    if len(joined) == 90:
        return _td1(joined[:30], joined[30:60], joined[60:])
    if len(joined) in (72, 88):
        return _two_lines(joined[: len(joined) // 2], joined[len(joined) // 2 :])
    raise MrzError(f"{len(joined)} characters: no MRZ of 3x30, 2x36 or 2x44")


def _td1(first: str, second: str, third: str) -> MrzData:
    number, digit = _long_number(first[5:14], first[14], first[15:30])
    _checked(number, digit, "document number")
    family, given = _names(third)
    return MrzData(
        document_code=first[0:2].rstrip(FILLER),
        issuing_state=first[2:5].rstrip(FILLER),
        family_name=family,
        given_names=given,
        document_number=number,
        nationality=second[15:18].rstrip(FILLER),
        birth=_checked(second[0:6], second[6], "date of birth"),
        sex=second[7],
        expiry=_checked(second[8:14], second[14], "date of expiry"),
        optional=(first[15:30] + second[18:29]).strip(FILLER),
    )


def _two_lines(first: str, second: str) -> MrzData:
    width = len(first)
    family, given = _names(first[5:width])
    optional_end = 42 if width == 44 else 35
    number, digit = _long_number(second[0:9], second[9], second[28:optional_end])
    _checked(number, digit, "document number")
    return MrzData(
        document_code=first[0:2].rstrip(FILLER),
        issuing_state=first[2:5].rstrip(FILLER),
        family_name=family,
        given_names=given,
        document_number=number,
        nationality=second[10:13].rstrip(FILLER),
        birth=_checked(second[13:19], second[19], "date of birth"),
        sex=second[20],
        expiry=_checked(second[21:27], second[27], "date of expiry"),
        optional=second[28:optional_end].strip(FILLER),
    )
