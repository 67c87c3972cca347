"""The fields of an application form: their types, how a value is checked and normalised
(plates, phone numbers, dates as the counter and the portal type them), the error a person
reads. The catalogue (app.domain.catalogue) says which fields each service's form has."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from app.domain.messages import catalogue_text


class FieldType(StrEnum):
    TEXT = "text"
    NAME = "name"
    DATE = "date"
    PAST_DATE = "past_date"
    CHOICE = "choice"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    EMAIL = "email"
    PHONE = "phone"
    PLATE = "plate"
    POSTCODE = "postcode"
    DOCUMENT_NUMBER = "document_number"


_PATTERNS: dict[FieldType, tuple[re.Pattern[str], str]] = {
    # German plate: district (1-3 letters), 1-2 letters, 1-4 digits, optional E/H suffix
    FieldType.PLATE: (
        re.compile(r"^[A-ZÄÖÜ]{1,3}[- ][A-Z]{1,2} ?[1-9][0-9]{0,3}[EH]?$"),
        "SI-AB 123",
    ),
    FieldType.POSTCODE: (re.compile(r"^[0-9]{5}$"), "57072"),
    FieldType.NAME: (re.compile(r"^[^\d@<>{}\[\]|\\^~]+$"), "Müller-Lüdenscheidt"),
    # ID card/passport serial: 9 characters from the ICAO alphabet without vowels' look-alikes
    FieldType.DOCUMENT_NUMBER: (re.compile(r"^[CFGHJKLMNPRTVWXYZ0-9]{9}$"), "L01X00T47"),
    FieldType.EMAIL: (re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"), "name@example.org"),
    # as people write numbers: "0171 2345678", "+49 (171) 234-5678"; the SMS gateway's client
    # decides whether it is a mobile number it can reach
    FieldType.PHONE: (re.compile(r"^\+?[0-9][0-9 ()/-]{5,22}$"), "0171 2345678"),
}


@dataclass(frozen=True, slots=True)
class FieldError:
    """Why one field's value is invalid: a message key and its parameters."""

    field: str
    key: str
    params: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label_de: str  # the catalogue's German; label(language) for a person

    def label(self, language: str) -> str:
        return catalogue_text(self.label_de, language)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One input of an application form."""

    name: str
    label_de: str
    type: FieldType
    required: bool
    max_length: int | None = None
    choices: tuple[Choice, ...] = ()
    minimum: int | None = None
    maximum: int | None = None

    def label(self, language: str) -> str:
        return catalogue_text(self.label_de, language)

    def validate(self, raw: str, *, today: dt.date) -> FieldError | None:
        """Check one value as typed (strings, dates as DD.MM.YYYY or ISO); None when valid."""
        value = raw.strip()
        if not value:
            return FieldError(self.name, "field.required") if self.required else None
        if self.max_length is not None and len(value) > self.max_length:
            return FieldError(self.name, "field.too_long", (("max", self.max_length),))
        if self.type in (FieldType.DATE, FieldType.PAST_DATE):
            parsed = parse_date(value)
            if parsed is None:
                return FieldError(self.name, "field.date")
            if self.type is FieldType.PAST_DATE and parsed > today:
                return FieldError(self.name, "field.date_future")
            return None
        if self.type is FieldType.CHOICE:
            if value not in {choice.value for choice in self.choices}:
                return FieldError(self.name, "field.choice")
            return None
        if self.type is FieldType.INTEGER:
            low, high = self.minimum or 0, self.maximum or 10**9
            if not value.isdigit() or not low <= int(value) <= high:
                return FieldError(self.name, "field.integer", (("min", low), ("max", high)))
            return None
        if self.type is FieldType.BOOLEAN:
            return None if value in ("true", "false") else FieldError(self.name, "field.choice")
        if self.type in _PATTERNS:
            pattern, hint = _PATTERNS[self.type]
            candidate = value.upper() if self.type is FieldType.PLATE else value
            if not pattern.match(candidate):
                key = "field.email" if self.type is FieldType.EMAIL else "field.pattern"
                return FieldError(self.name, key, (("hint", hint),))
        return None


_PLATE_PARTS = re.compile(r"^([A-ZÄÖÜ]{1,3})[- ]+([A-Z]{1,2}) *([1-9][0-9]{0,3}[EH]?)$")


def normalize_plate(value: str) -> str:
    """A plate as the registration writes it, 'SI-AB 123', however it was typed
    ('si ab 123', 'SI-AB123'); a value that is no plate is returned as it was."""
    parts = _PLATE_PARTS.match(" ".join(value.upper().split()))
    return f"{parts[1]}-{parts[2]} {parts[3]}" if parts else value


def normalize_phone(value: str) -> str:
    """A number without its typing aids, '+49 (171) 234-5678' as '+491712345678'; an
    international prefix 00 as '+'. National numbers stay national ('01712345678')."""
    compact = "".join(character for character in value if character.isdigit() or character == "+")
    return "+" + compact[2:] if compact.startswith("00") else compact


def parse_date(value: str) -> dt.date | None:
    """A date typed as DD.MM.YYYY (the counter's habit) or ISO YYYY-MM-DD (the portal's)."""
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    return None
