"""Identity assurance levels, as online accounts and the counter reach them."""

from enum import IntEnum


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
