"""PC/SC through pyscard's low-level API (smartcard.scard): the readers and their cards, a
connection to a card, and transmit. Every PC/SC call is bounded by a watchdog (a mute card
blocks SCardTransmit with no timeout of its own, and while pcscd still waits on it the next
SCardConnect blocks too), and a conversation with a card as a whole by its budget. Every PC/SC
failure becomes one of cardreader.errors. Runs on the card-reader lane only."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from smartcard import scard

from app.lanes import Lane, require_lane
from cardreader.errors import (
    CardError,
    CardMute,
    CardProtocolError,
    CardRemoved,
    CardReset,
    NoCard,
    NoReader,
    NoService,
    SharingViolation,
)

TRANSMIT_TIMEOUT_S = 5.0  # the longest a card may think; PACE's steps take milliseconds
CALL_TIMEOUT_S = 5.0  # any other PC/SC call: connect, status, list readers
CONVERSATION_BUDGET_S = 8.0  # a whole check (a real PACE takes well under a second)
REMOVAL_WAIT_S = 1.0  # pcscd notices a card taken out within 0.2-0.4 s
GONE = {  # what the service says of a card that is no longer there
    scard.SCARD_W_REMOVED_CARD,
    scard.SCARD_E_NO_SMARTCARD,
    scard.SCARD_W_UNPOWERED_CARD,
    scard.SCARD_E_READER_UNAVAILABLE,
}
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


def bounded(what: str, call: Callable[[], T], *, seconds: float = CALL_TIMEOUT_S) -> T:
    """`call()` on a watchdog thread; CardMute when it has not returned in `seconds`. The
    stuck call is left to end when the card or the reader goes (a daemon thread), so the
    lane, and the clerk's dialog, are free again."""
    if seconds <= 0:
        raise CardMute(f"{what}: the card took longer than {CONVERSATION_BUDGET_S:.0f} s")
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as error:  # handed to the waiting thread
            outcome.append(error)

    worker = threading.Thread(
        target=run, name=f"{threading.current_thread().name}-pcsc", daemon=True
    )
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise CardMute(
            f"{what}: no answer within {seconds:.1f} s (the reader may still wait for the "
            "card: take it out and put it back)"
        )
    (result,) = outcome
    if isinstance(result, BaseException):
        raise result
    return result  # type: ignore[no-any-return]


def establish() -> Any:
    """A PC/SC context; NoService when the service is not running."""
    try:
        result, handle = bounded(
            "PC/SC", lambda: scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        )
    except CardError:
        raise
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
        _release(handle)


def _release(handle: Any) -> None:
    # a release that hangs is left behind: pcscd drops the context when this process ends
    with contextlib.suppress(CardError):
        bounded("release", lambda: scard.SCardReleaseContext(handle))


def reader_states(handle: Any) -> list[ReaderState]:
    result, names = bounded("list readers", lambda: scard.SCardListReaders(handle, []))
    if result == scard.SCARD_E_NO_READERS_AVAILABLE:
        return []
    _check(result, "list readers")
    query = [(name, scard.SCARD_STATE_UNAWARE) for name in names]
    result, states = bounded("reader states", lambda: scard.SCardGetStatusChange(handle, 0, query))
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
    """A card in a reader, held shared; `transmit` under a watchdog and within the
    conversation's budget (`deadline`, a time.monotonic() value)."""

    def __init__(
        self, handle: Any, card: Any, protocol: int, reader: str, *, deadline: float
    ) -> None:
        self._context, self._card, self._protocol, self.reader = handle, card, protocol, reader
        self.deadline = deadline
        self.mute = False

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        if self.mute:
            raise CardMute("the card stopped answering earlier")
        left = self.deadline - time.monotonic()
        try:
            result, response = bounded(
                "transmit",
                lambda: scard.SCardTransmit(self._card, self._protocol, list(apdu)),
                seconds=min(TRANSMIT_TIMEOUT_S, left),
            )
        except CardMute as mute:
            self.mute = True  # the stuck call ends when the card or the reader goes
            if left < TRANSMIT_TIMEOUT_S:  # the check's budget ran out, not the watchdog
                raise CardMute(
                    f"the card took longer than the check's {CONVERSATION_BUDGET_S:.0f} s"
                ) from mute
            raise
        except Exception as error:
            if self._card_gone():
                raise CardRemoved("the card was taken out during a command") from error
            raise CardError(f"transmit: {error}") from error
        if result != scard.SCARD_S_SUCCESS and self._card_gone():
            raise CardRemoved("the card was taken out during a command")
        _check(result, "transmit")
        if len(response) < 2:
            # a card pulled mid-command often leaves just this: ask the reader first
            if self._card_gone():
                raise CardRemoved("the card was taken out during a command")
            raise CardProtocolError("the card answered without a status word")
        data = bytes(response[:-2])
        return data, (response[-2] << 8) | response[-1]

    def _card_gone(self) -> bool:
        """Whether the card has left the reader, waiting the moment pcscd takes to notice."""
        until = time.monotonic() + REMOVAL_WAIT_S
        while True:
            try:
                result = bounded("status", lambda: scard.SCardStatus(self._card))[0]
            except CardError:
                return False
            if result & 0xFFFFFFFF in GONE:
                return True
            if time.monotonic() >= until:
                return False
            time.sleep(0.1)

    def close(self) -> None:
        if self.mute:
            return
        # a disconnect that hangs ends with the card; nothing of ours waits on it
        with contextlib.suppress(CardError):
            bounded("disconnect", lambda: scard.SCardDisconnect(self._card, scard.SCARD_LEAVE_CARD))


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


def with_card(
    work: Callable[[Connection], T],
    *,
    reader: str | None = None,
    budget: float = CONVERSATION_BUDGET_S,
) -> T:
    """Run `work` on a connection to the card in `reader` (default: the first with a card),
    all of it within `budget` seconds. After a mute card the context is left as it is:
    releasing it would wait for the stuck transmit; pcscd drops both when the card goes or
    this process ends."""
    require_lane(Lane.CARD_READER)
    deadline = time.monotonic() + budget
    handle = establish()
    connection: Connection | None = None
    stuck = False
    try:
        state = first_reader_with_card(reader_states(handle), reader)
        try:
            result, card, protocol = bounded(
                f"connect to {state.name}",
                lambda: scard.SCardConnect(
                    handle,
                    state.name,
                    scard.SCARD_SHARE_SHARED,
                    scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
                ),
                seconds=min(CALL_TIMEOUT_S, deadline - time.monotonic()),
            )
        except CardMute:
            stuck = True
            raise
        _check(result, f"connect to {state.name}")
        connection = Connection(handle, card, protocol, state.name, deadline=deadline)
        return work(connection)
    finally:
        if not stuck and (connection is None or not connection.mute):
            if connection is not None:
                connection.close()
            _release(handle)
