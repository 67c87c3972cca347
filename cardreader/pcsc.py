"""PC/SC through pyscard's low-level API (smartcard.scard): the readers and their cards, a
connection to a card, and transmit with a watchdog (a mute card blocks SCardTransmit with no
timeout of its own). Every PC/SC failure becomes one of cardreader.errors. Runs on the
card-reader lane only."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from smartcard import scard

from app.lanes import Lane, require_lane
from cardreader.errors import (
    CardError,
    CardMute,
    CardRemoved,
    CardReset,
    NoCard,
    NoReader,
    NoService,
    SharingViolation,
)

TRANSMIT_TIMEOUT_S = 5.0  # the longest a card may think; PACE's steps take milliseconds
T = TypeVar("T")

_ERRORS: dict[int, type[CardError]] = {
    scard.SCARD_E_NO_SERVICE: NoService,
    scard.SCARD_E_SERVICE_STOPPED: NoService,
    scard.SCARD_E_NO_READERS_AVAILABLE: NoReader,
    scard.SCARD_E_UNKNOWN_READER: NoReader,
    scard.SCARD_E_READER_UNAVAILABLE: NoReader,
    scard.SCARD_E_NO_SMARTCARD: NoCard,
    scard.SCARD_W_REMOVED_CARD: CardRemoved,
    scard.SCARD_W_RESET_CARD: CardReset,
    scard.SCARD_E_SHARING_VIOLATION: SharingViolation,
    scard.SCARD_W_UNRESPONSIVE_CARD: CardMute,
    scard.SCARD_W_UNPOWERED_CARD: CardRemoved,
}


def _check(result: int, what: str) -> None:
    if result != scard.SCARD_S_SUCCESS:
        error = _ERRORS.get(result & 0xFFFFFFFF, CardError)
        raise error(f"{what}: {scard.SCardGetErrorMessage(result)} (0x{result & 0xFFFFFFFF:08X})")


@dataclass(frozen=True, slots=True)
class ReaderState:
    name: str
    card_present: bool
    atr: bytes


def establish() -> Any:
    """A PC/SC context; NoService when the service is not running."""
    try:
        result, handle = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    except Exception as error:  # pyscard raises its own type when the service is gone
        raise NoService(f"PC/SC: {error}") from error
    _check(result, "PC/SC")
    return handle


@contextmanager
def context() -> Iterator[Any]:
    handle = establish()
    try:
        yield handle
    finally:
        scard.SCardReleaseContext(handle)


def reader_states(handle: Any) -> list[ReaderState]:
    result, names = scard.SCardListReaders(handle, [])
    if result == scard.SCARD_E_NO_READERS_AVAILABLE:
        return []
    _check(result, "list readers")
    query = [(name, scard.SCARD_STATE_UNAWARE) for name in names]
    result, states = scard.SCardGetStatusChange(handle, 0, query)
    if result not in (scard.SCARD_S_SUCCESS, scard.SCARD_E_TIMEOUT):
        _check(result, "reader states")
    return [
        ReaderState(name, bool(state & scard.SCARD_STATE_PRESENT), bytes(atr))
        for name, state, atr in states
    ]


def readers() -> list[ReaderState]:
    require_lane(Lane.CARD_READER)
    with context() as handle:
        return reader_states(handle)


class Connection:
    """A card in a reader, held shared; `transmit` under a watchdog."""

    def __init__(self, handle: Any, card: Any, protocol: int, reader: str) -> None:
        self._context, self._card, self._protocol, self.reader = handle, card, protocol, reader
        self.mute = False

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        if self.mute:
            raise CardMute("the card stopped answering earlier")
        outcome: list[Any] = []

        def send() -> None:
            try:
                outcome.append(scard.SCardTransmit(self._card, self._protocol, list(apdu)))
            except Exception as error:  # handed to the waiting thread
                outcome.append(error)

        worker = threading.Thread(
            target=send, name=f"{threading.current_thread().name}-transmit", daemon=True
        )
        worker.start()
        worker.join(TRANSMIT_TIMEOUT_S)
        if worker.is_alive():
            # the lane is free again; the stuck call ends when the card or reader goes
            self.mute = True
            raise CardMute(f"no answer within {TRANSMIT_TIMEOUT_S:.0f} s")
        (answer,) = outcome
        if isinstance(answer, Exception):
            raise CardError(f"transmit: {answer}") from answer
        result, response = answer
        _check(result, "transmit")
        if len(response) < 2:
            raise CardError("the card answered without a status word")
        data = bytes(response[:-2])
        return data, (response[-2] << 8) | response[-1]

    def close(self) -> None:
        if not self.mute:
            scard.SCardDisconnect(self._card, scard.SCARD_LEAVE_CARD)


def first_reader_with_card(states: list[ReaderState], name: str | None) -> ReaderState:
    if not states:
        raise NoReader("no card reader attached")
    if name is not None:
        chosen = [state for state in states if state.name == name]
        if not chosen:
            raise NoReader(f"no reader named {name!r}")
        if not chosen[0].card_present:
            raise NoCard(f"no card in {name!r}")
        return chosen[0]
    with_card = [state for state in states if state.card_present]
    if not with_card:
        raise NoCard("no card in any reader")
    return with_card[0]


def with_card(work: Callable[[Connection], T], *, reader: str | None = None) -> T:
    """Run `work` on a connection to the card in `reader` (default: the first with a card).
    After a mute card the context is left as it is: releasing it would wait for the stuck
    transmit; pcscd drops both when the card goes or this process ends."""
    require_lane(Lane.CARD_READER)
    handle = establish()
    connection: Connection | None = None
    try:
        state = first_reader_with_card(reader_states(handle), reader)
        result, card, protocol = scard.SCardConnect(
            handle,
            state.name,
            scard.SCARD_SHARE_SHARED,
            scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
        )
        _check(result, f"connect to {state.name}")
        connection = Connection(handle, card, protocol, state.name)
        return work(connection)
    finally:
        if connection is None or not connection.mute:
            if connection is not None:
                connection.close()
            scard.SCardReleaseContext(handle)
