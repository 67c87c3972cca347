"""The identity check at the counter as an explicit state machine (AusweisApp's workflow shape):
find the service and a reader, wait for a card, recognise it from EF.CardAccess, take the CAN,
run PACE, confirmed. Every failure is a named state, and a card that moved while the chip was
being asked is asked again with the same CAN once it lies still, instead of starting over.

The flow is driven from the card-reader lane only: `observe` after each poll of the reader
watch, `enter_can` with the clerk's input, `work` for the one device step the current state
needs. Each returns an immutable `FlowView`, which the dialog shows; nothing here knows a word
of German."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from app.lanes import Lane, require_lane
from cardreader.check import CanCheck, check_can, recognise_card, valid_can
from cardreader.errors import (
    CardError,
    CardMute,
    CardRemoved,
    CardReset,
    NoCard,
    NoReader,
    NoService,
    UnknownCard,
)


class FlowState(StrEnum):
    NO_SERVICE = "no_service"  # the PC/SC service is not running
    NO_READER = "no_reader"
    WAITING_FOR_CARD = "waiting_for_card"
    RECOGNISING = "recognising"  # reading EF.CardAccess: an ID card, a passport, or neither
    READY_FOR_CAN = "ready_for_can"
    CHECKING = "checking"  # PACE with the CAN
    CONFIRMED = "confirmed"  # the chip accepted the CAN: this card is the one in the hand
    WRONG_CAN = "wrong_can"  # the chip refused it; the clerk may type it again
    UNKNOWN_CARD = "unknown_card"  # not a card this check speaks (no PACE, no EF.CardAccess)
    CARD_MOVED = "card_moved"  # the card left the reader mid-check: it resumes when back
    TIMEOUT = "timeout"  # the card stopped answering
    CARD_ERROR = "card_error"  # anything else the card or reader did (busy, garbage)


# the states in which no card lies on a reader the flow can use
WITHOUT_CARD = frozenset(
    {FlowState.NO_SERVICE, FlowState.NO_READER, FlowState.WAITING_FOR_CARD, FlowState.CARD_MOVED}
)
# where a step may start: the flow refuses the clerk's CAN anywhere else
TAKES_CAN = frozenset(
    {FlowState.READY_FOR_CAN, FlowState.WRONG_CAN, FlowState.CONFIRMED, FlowState.TIMEOUT}
)
NEEDS_DEVICE = frozenset({FlowState.RECOGNISING, FlowState.CHECKING})
_ERROR_STATES: tuple[tuple[type[CardError], FlowState], ...] = (
    (NoService, FlowState.NO_SERVICE),
    (NoReader, FlowState.NO_READER),
    (UnknownCard, FlowState.UNKNOWN_CARD),
    (CardMute, FlowState.TIMEOUT),
    (CardRemoved, FlowState.CARD_MOVED),
    (CardReset, FlowState.CARD_MOVED),
    (NoCard, FlowState.CARD_MOVED),
)


@dataclass(frozen=True, slots=True)
class FlowView:
    """What the dialog shows: the state, the reader, the card recognised, the chip's answer."""

    state: FlowState
    reader: str | None = None
    card: str | None = None  # german-eid | passport, once recognised
    check: CanCheck | None = None  # the last PACE run's figures
    error: str = ""  # the card error's class name, for a state that came from one

    @property
    def card_present(self) -> bool:
        return self.state not in WITHOUT_CARD


class IdentityFlow:
    """One identity check's state, from the dialog's opening to its closing."""

    def __init__(
        self,
        *,
        recognise: Callable[[str], str] = lambda reader: recognise_card(reader=reader),
        pace: Callable[[str, str], CanCheck] = lambda reader, can: check_can(can, reader=reader),
    ) -> None:
        self._recognise, self._pace = recognise, pace
        self.state = FlowState.NO_READER
        self.reader: str | None = None
        self.card: str | None = None
        self._can = ""  # the CAN of a check under way (or interrupted by a moved card)
        self._check: CanCheck | None = None
        self._error = ""

    def view(self) -> FlowView:
        return FlowView(self.state, self.reader, self.card, self._check, self._error)

    # --- what happened at the reader ---------------------------------------------------------

    def observe(self, readers: dict[str, bool], *, service_lost: bool) -> FlowView:
        """The watch's latest picture: each reader and whether a card lies on it."""
        require_lane(Lane.CARD_READER)
        with_card = [name for name, present in readers.items() if present]
        if service_lost or not readers:
            self.reader = None
            return self._to(FlowState.NO_SERVICE if service_lost else FlowState.NO_READER)
        if self.reader not in readers or (with_card and self.reader not in with_card):
            self.reader = with_card[0] if with_card else next(iter(readers))
        if not readers[self.reader]:
            if self._can and self.state in (FlowState.CHECKING, FlowState.CARD_MOVED):
                return self._to(FlowState.CARD_MOVED)  # the CAN is kept for its return
            self.card, self._can = None, ""
            return self._to(FlowState.WAITING_FOR_CARD)
        if self.state is FlowState.CARD_MOVED and self._can:
            return self._to(FlowState.CHECKING)  # back on the reader: ask again, same CAN
        if self.state in WITHOUT_CARD:
            return self._to(FlowState.RECOGNISING)
        return self.view()

    # --- what the clerk did ------------------------------------------------------------------

    def enter_can(self, can: str) -> FlowView:
        require_lane(Lane.CARD_READER)
        if self.state in TAKES_CAN and valid_can(can):
            self._can = can
            return self._to(FlowState.CHECKING)
        return self.view()

    # --- what the card answered --------------------------------------------------------------

    def work(self) -> FlowView:
        """The device step of the current state, if it has one (recognising, PACE)."""
        require_lane(Lane.CARD_READER)
        if self.state not in NEEDS_DEVICE or self.reader is None:
            return self.view()
        try:
            if self.state is FlowState.RECOGNISING:
                self.card = self._recognise(self.reader)
                return self._to(FlowState.READY_FOR_CAN, error="")
            result = self._pace(self.reader, self._can)
        except CardError as error:
            return self._failed(error)
        self._check, self._can, self.card = result, "", result.card
        return self._to(FlowState.CONFIRMED if result.confirmed else FlowState.WRONG_CAN, error="")

    def _failed(self, error: CardError) -> FlowView:
        state = next((s for kind, s in _ERROR_STATES if isinstance(error, kind)), None)
        if state is FlowState.CARD_MOVED and not self._can:
            state = FlowState.WAITING_FOR_CARD  # gone while being recognised: nothing to resume
        if state is not FlowState.CARD_MOVED:
            self._can = ""
        return self._to(state or FlowState.CARD_ERROR, error=type(error).__name__)

    def _to(self, state: FlowState, *, error: str | None = None) -> FlowView:
        self.state = state
        if error is not None:
            self._error = error
        if state is not FlowState.CONFIRMED:
            self._check = self._check if state is FlowState.WRONG_CAN else None
        return self.view()
