"""The CAN check at the counter: read EF.CardAccess, recognise the card by its PACEInfo (never
by ATR or reader name), run PACE with the CAN the clerk typed; the chip confirms the CAN or
refuses it."""

from __future__ import annotations

import time
from dataclasses import dataclass

from cardreader import lds, pace
from cardreader.errors import CardProtocolError, PasswordRejected, UnknownCard
from cardreader.pcsc import Connection, with_card

# EF.CardAccess by its short file identifier 1C, read without authentication
READ_CARD_ACCESS = bytes.fromhex("00B09C0000")
TERMINAL_AUTHENTICATION = "0.4.0.127.0.7.2.2.2"  # id-TA: the eID application's sign
GERMAN_EID, PASSPORT = "german-eid", "passport"
# What each kind can be: without terminal authentication (a certificate of the eID PKI) a
# German ID card, an eAT and an EU citizen's eID card show the same EF.CardAccess, PACE and
# ATR; only their data groups, behind terminal authentication, say which. A chip with PACE
# and no terminal authentication is an ICAO 9303 document: a passport or a foreign ID card.
COULD_BE = {
    GERMAN_EID: ("german-id-card", "german-residence-permit", "eu-eid-card"),
    PASSPORT: ("passport", "icao-id-card"),
}


@dataclass(frozen=True, slots=True)
class CanCheck:
    """What the chip said about a CAN, and what it took."""

    reader: str
    card: str  # german-eid (ID card or residence permit) | passport
    confirmed: bool
    seconds: float
    crypto_seconds: float
    apdus: int
    bytes_sent: int
    bytes_received: int


def valid_can(can: str) -> bool:
    return len(can) == 6 and can.isascii() and can.isdigit()


def read_card_access(connection: Connection) -> bytes:
    data, status = connection.transmit(READ_CARD_ACCESS)
    if status in (0x6A82, 0x6A86, 0x6982, 0x6D00, 0x6E00):
        raise UnknownCard("the card has no EF.CardAccess: no ID card, residence permit or passport")
    if status not in (0x9000, 0x6282) or not data:
        raise CardProtocolError(f"EF.CardAccess: the card answered {status:04X}")
    return data


def card_kind(card_access: bytes) -> str:
    """A German ID card or residence permit announces terminal authentication for its eID
    application in EF.CardAccess; a passport with PACE announces PACE only."""
    protocols = {oid for oid, _rest in pace.security_infos(card_access)}
    return GERMAN_EID if TERMINAL_AUTHENTICATION in protocols else PASSPORT


def recognise_card(*, reader: str | None = None) -> str:
    """What the card in `reader` is (german-eid or passport), from its EF.CardAccess, or a
    passport with BAC only by its eMRTD application; UnknownCard if it announces no PACE this
    version speaks and has no eMRTD application."""

    def recognise(connection: Connection) -> str:
        try:
            card_access = read_card_access(connection)
        except UnknownCard:
            # no EF.CardAccess: an older passport (BAC only) still has the eMRTD application
            _data, status = connection.transmit(lds.SELECT_EMRTD)
            if status == 0x9000:
                return PASSPORT
            raise
        if not any(info.supported for info in pace.pace_infos(card_access)):
            raise UnknownCard("the card announces no PACE this version speaks")
        return card_kind(card_access)

    return with_card(recognise, reader=reader)


def check_can(can: str, *, reader: str | None = None) -> CanCheck:
    """PACE with `can` on the card in `reader` (default: the first reader with a card)."""

    def check(connection: Connection) -> CanCheck:
        started = time.perf_counter()
        card_access = read_card_access(connection)
        supported = [info for info in pace.pace_infos(card_access) if info.supported]
        if not supported:
            raise UnknownCard("the card announces no PACE this version speaks")
        kind = card_kind(card_access)
        try:
            result = pace.establish(connection.transmit, supported[0], can)
        except PasswordRejected:
            return CanCheck(
                connection.reader, kind, False, time.perf_counter() - started, 0.0, 0, 0, 0
            )
        return CanCheck(
            reader=connection.reader,
            card=kind,
            confirmed=True,
            seconds=time.perf_counter() - started,
            crypto_seconds=result.crypto_seconds,
            apdus=result.apdus + 1,
            bytes_sent=result.bytes_sent + len(READ_CARD_ACCESS),
            bytes_received=result.bytes_received + len(card_access) + 2,
        )

    return with_card(check, reader=reader)
