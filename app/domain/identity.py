"""Identity assurance levels, as online accounts and the counter reach them, and how a
verification at the counter is recorded on the case."""

import datetime as dt
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
    # a passport or ICAO ID card read by chip: genuine by passive authentication, no copy by
    # its clone check, its photo compared with the person by the clerk
    PASSPORT_CHIP = "passport_chip"
    # a German ID card read on site (§ 18a PAuswG) through AusweisApp and the city's eID
    # service: the data compared with the person by the clerk
    EID_ON_SITE = "eid_on_site"
    VISUAL = "counter_visual"  # the document looked at, no reader: a note says why and what


NOTE_REQUIRED = frozenset({IdentityMethod.VISUAL})
# checks made in person at this counter: the ones a second case of the same sitting may reuse
AT_THE_COUNTER = frozenset(
    {
        IdentityMethod.CARD_CAN,
        IdentityMethod.PASSPORT_CHIP,
        IdentityMethod.EID_ON_SITE,
        IdentityMethod.VISUAL,
    }
)
# how long a check made at the counter may be taken over for the same person's next case by the
# same clerk: one sitting at the desk, not a later visit
TAKE_OVER_WINDOW = dt.timedelta(hours=2)
DOCUMENTS = ("german-eid", "passport", "other")  # what the card reader can tell apart


@dataclass(frozen=True, slots=True)
class IdentityCheck:
    """How an identity was verified at the counter, as the case's event records it (its
    reason): the method, the level reached, the document, the clerk's note."""

    method: str
    level: IdentityLevel
    document: str = ""
    note: str = ""
    taken_over_from: str = ""  # the reference of the case where the check was made

    def reason(self) -> str:
        parts = [f"{self.method}: {self.level.name}"]
        if self.document:
            parts.append(f"document={self.document}")
        if self.taken_over_from:
            parts.append(f"from={self.taken_over_from}")
        if self.note:  # last: a clerk's note may hold anything, " | " too
            parts.append(f"note={self.note}")
        return " | ".join(parts)[:500]

    @property
    def reusable(self) -> bool:
        """Made in person at the counter (not itself taken over): the same clerk may take it
        over for the same person's next case within TAKE_OVER_WINDOW."""
        return self.method in AT_THE_COUNTER and not self.taken_over_from

    @classmethod
    def from_reason(cls, reason: str) -> "IdentityCheck | None":
        coded, _note_field, note = reason.partition(" | note=")  # the note is last, free text
        head, *rest = coded.split(" | ")
        method, separator, level = head.partition(": ")
        if not separator or level not in IdentityLevel.__members__:
            return None
        fields = dict(part.split("=", 1) for part in rest if "=" in part)
        return cls(
            method,
            IdentityLevel[level],
            fields.get("document", ""),
            note,
            fields.get("from", ""),
        )


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
