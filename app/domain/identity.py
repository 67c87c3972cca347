"""Identity assurance levels, as online accounts and the counter reach them, and how a
verification at the counter is recorded on the case."""

import unicodedata
from dataclasses import dataclass
from enum import IntEnum, StrEnum


class IdentityLevel(IntEnum):
    """Ordered: a higher level satisfies every lower requirement."""

    NONE = 0
    BASIC = 1  # portal account without eIDAS level (user name and password)
    SUBSTANTIAL = 2  # eIDAS "substanziell", e.g. ELSTER certificate
    HIGH = 3  # eIDAS "hoch": online ID function, or the document checked in person

    @classmethod
    def parse(cls, text: str) -> "IdentityLevel":
        try:
            return cls[text.upper()]
        except KeyError as error:
            raise ValueError(f"unknown identity level {text!r}") from error


class IdentityMethod(StrEnum):
    ONLINE_EID = "online_eid"  # the portal's eID report (the online ID function)
    CARD_CAN = "card_can"  # the card in the counter's reader, its CAN confirmed by the chip
    VISUAL = "counter_visual"  # the document looked at, no reader: a note says why and what


NOTE_REQUIRED = frozenset({IdentityMethod.VISUAL})
DOCUMENTS = ("german-eid", "passport", "other")  # what the card reader can tell apart


@dataclass(frozen=True, slots=True)
class IdentityCheck:
    """How an identity was verified at the counter, as the case's event records it (its
    reason): the method, the level reached, the document, the clerk's note."""

    method: str
    level: IdentityLevel
    document: str = ""
    note: str = ""

    def reason(self) -> str:
        parts = [f"{self.method}: {self.level.name}"]
        if self.document:
            parts.append(f"document={self.document}")
        if self.note:
            parts.append(f"note={self.note}")
        return " | ".join(parts)[:500]

    @classmethod
    def from_reason(cls, reason: str) -> "IdentityCheck | None":
        head, *rest = reason.split(" | ")
        method, separator, level = head.partition(": ")
        if not separator or level not in IdentityLevel.__members__:
            return None
        fields = dict(part.split("=", 1) for part in rest if "=" in part)
        return cls(method, IdentityLevel[level], fields.get("document", ""), fields.get("note", ""))


_ICAO = str.maketrans(
    {
        "Ä": "AE",
        "Ö": "OE",
        "Ü": "UE",
        "ß": "SS",
        "Æ": "AE",
        "Œ": "OE",
        "Ø": "OE",
        "Þ": "TH",
        "Ð": "D",
        "Đ": "D",
        "Ł": "L",
        "Ħ": "H",
        "Ŧ": "T",
        "ẞ": "SS",
    }
)


def icao_spelling(name: str) -> str:
    """A name as the card's machine-readable zone spells it (ICAO Doc 9303 Part 3, 6.A):
    upper case, umlauts as AE/OE/UE, ß as SS, other diacritics dropped."""
    upper = name.upper().translate(_ICAO)
    plain = "".join(
        char for char in unicodedata.normalize("NFKD", upper) if not unicodedata.combining(char)
    )
    return " ".join(plain.split())
