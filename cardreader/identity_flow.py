"""The identity check at the counter as an explicit state machine (AusweisApp's workflow shape):
find the service and a reader, wait for a card, recognise it from EF.CardAccess, take the CAN,
run PACE, confirmed. A passport (or an ICAO ID card) is read instead: with the CAN or the MRZ
data, its chip opened, its data, photo and signature checked and the clone check run. Every
failure is a named state, and a card that moved while the chip was being asked is asked again
with the same CAN or MRZ data once it lies still, instead of starting over.

The flow is driven from the card-reader lane only: `observe` after each poll of the reader
watch, `enter_can` with the clerk's input, `work` for the one device step the current state
needs. Each returns an immutable `FlowView`, which the dialog shows; nothing here knows a word
of German."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from app.lanes import Lane, require_lane
from cardreader.ausweisapp import OnSiteData, SdkError
from cardreader.check import (
    GERMAN_EID,
    PASSPORT,
    CanCheck,
    check_can,
    recognise_card,
    valid_can,
)
from cardreader.errors import (
    CardError,
    CardMute,
    CardRemoved,
    CardReset,
    NoCard,
    NoReader,
    NoService,
    PasswordRejected,
    UnknownCard,
)
from cardreader.mrz import AccessKey
from cardreader.on_site import OnSite, SettingsOnSite
from cardreader.passport import NeedsMrz
from cardreader.passport_check import Access, PassportResult, PassportVerdict, read_and_check


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
    # a passport or ICAO ID card, read and checked
    READING_PASSPORT = "reading_passport"
    PASSPORT_GENUINE = "passport_genuine"  # genuine, no copy, valid: the photo is compared
    WRONG_MRZ = "wrong_mrz"  # the chip refused the MRZ data typed
    NEEDS_MRZ = "needs_mrz"  # a chip with BAC only: the CAN cannot open it
    DATA_CHANGED = "data_changed"  # a data group does not match its signed hash
    NOT_VERIFIABLE = "not_verifiable"  # unknown or expired CSCA, expired signer, no master list
    DOCUMENT_EXPIRED = "document_expired"
    CLONE_CHECK_FAILED = "clone_check_failed"  # the chip is a copy
    # a German ID card read on site through AusweisApp and the city's eID service
    READING_ON_SITE = "reading_on_site"
    ON_SITE_READ = "on_site_read"  # the service handed over the card's data
    ON_SITE_FAILED = "on_site_failed"  # AusweisApp or the service could not (the error says)


# the states in which no card lies on a reader the flow can use
WITHOUT_CARD = frozenset(
    {FlowState.NO_SERVICE, FlowState.NO_READER, FlowState.WAITING_FOR_CARD, FlowState.CARD_MOVED}
)
# a passport's outcomes, by the check's verdict
PASSPORT_STATES = {
    PassportVerdict.GENUINE: FlowState.PASSPORT_GENUINE,
    PassportVerdict.GENUINE_NO_CLONE_CHECK: FlowState.PASSPORT_GENUINE,
    PassportVerdict.DATA_CHANGED: FlowState.DATA_CHANGED,
    PassportVerdict.NOT_VERIFIABLE: FlowState.NOT_VERIFIABLE,
    PassportVerdict.SIGNATURE_INVALID: FlowState.NOT_VERIFIABLE,
    PassportVerdict.NO_MASTER_LIST: FlowState.NOT_VERIFIABLE,
    PassportVerdict.DOCUMENT_EXPIRED: FlowState.DOCUMENT_EXPIRED,
    PassportVerdict.CLONE_CHECK_FAILED: FlowState.CLONE_CHECK_FAILED,
}
# where a step may start: the flow refuses the clerk's CAN or MRZ data anywhere else
TAKES_CAN = frozenset(
    {
        FlowState.READY_FOR_CAN,
        FlowState.WRONG_CAN,
        FlowState.CONFIRMED,
        FlowState.TIMEOUT,
        FlowState.WRONG_MRZ,
        FlowState.NEEDS_MRZ,
        FlowState.CARD_ERROR,
        FlowState.ON_SITE_READ,
        FlowState.ON_SITE_FAILED,
        *PASSPORT_STATES.values(),
    }
)
NEEDS_DEVICE = frozenset(
    {
        FlowState.RECOGNISING,
        FlowState.CHECKING,
        FlowState.READING_PASSPORT,
        FlowState.READING_ON_SITE,
    }
)
ASKING_THE_CHIP = frozenset(
    {FlowState.CHECKING, FlowState.READING_PASSPORT, FlowState.READING_ON_SITE}
)
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
    passport: PassportResult | None = None  # a passport's data, photo and check, once read
    on_site: OnSiteData | None = None  # a German ID card's data from the eID service
    on_site_reading: bool = False  # the seat reads German ID cards on site (else: CAN check)

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
        passport: Callable[[str, Access], PassportResult] | None = None,
        on_site: OnSite | None = None,
    ) -> None:
        self._recognise, self._pace = recognise, pace
        self._on_site = on_site if on_site is not None else SettingsOnSite()
        self._on_site_configured = False  # asked when a German ID card is recognised
        self._passport = passport or (lambda reader, access: read_and_check(reader, access))
        self.state = FlowState.NO_READER
        self.reader: str | None = None
        self.card: str | None = None
        self._can = ""  # the CAN of a check under way (or interrupted by a moved card)
        self._mrz: AccessKey | None = None  # or a passport's MRZ data
        self._check: CanCheck | None = None
        self._result: PassportResult | None = None
        self._data: OnSiteData | None = None
        self._error = ""

    def view(self) -> FlowView:
        return FlowView(
            self.state,
            self.reader,
            self.card,
            self._check,
            self._error,
            self._result,
            self._data,
            self._on_site_configured and self.card == GERMAN_EID,
        )

    @property
    def _access(self) -> Access | None:
        return self._mrz or self._can or None

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
            if self._access and self.state in (*ASKING_THE_CHIP, FlowState.CARD_MOVED):
                return self._to(FlowState.CARD_MOVED)  # the access data kept for its return
            self.card, self._can, self._mrz, self._result = None, "", None, None
            return self._to(FlowState.WAITING_FOR_CARD)
        if self.state is FlowState.CARD_MOVED and self._access:
            return self._to(self._asking())  # back on the reader: ask again, same data
        if self.state in WITHOUT_CARD:
            return self._to(FlowState.RECOGNISING)
        return self.view()

    # --- what the clerk did ------------------------------------------------------------------

    def enter_can(self, can: str) -> FlowView:
        require_lane(Lane.CARD_READER)
        if self.state in TAKES_CAN and valid_can(can):
            self._can, self._mrz = can, None
            return self._to(self._asking())
        return self.view()

    def enter_mrz(self, key: AccessKey) -> FlowView:
        """A passport's document number, date of birth and date of expiry."""
        require_lane(Lane.CARD_READER)
        if self.state in TAKES_CAN and self.card == PASSPORT:
            self._can, self._mrz = "", key
            return self._to(FlowState.READING_PASSPORT)
        return self.view()

    def _asking(self) -> FlowState:
        """A passport is read; a German ID card read on site where the seat may, else its CAN
        confirmed by PACE."""
        if self.card == PASSPORT:
            return FlowState.READING_PASSPORT
        if self.card == GERMAN_EID and self._on_site_configured:
            return FlowState.READING_ON_SITE
        return FlowState.CHECKING

    # --- what the card answered --------------------------------------------------------------

    def work(self) -> FlowView:
        """The device step of the current state, if it has one (recognising, PACE)."""
        require_lane(Lane.CARD_READER)
        if self.state not in NEEDS_DEVICE or self.reader is None:
            return self.view()
        try:
            if self.state is FlowState.RECOGNISING:
                self.card = self._recognise(self.reader)
                self._on_site_configured = self.card == GERMAN_EID and self._on_site.configured()
                return self._to(FlowState.READY_FOR_CAN, error="")
            if self.state is FlowState.READING_ON_SITE:
                return self._read_on_site(self.reader)
            if self.state is FlowState.READING_PASSPORT:
                return self._read_passport(self.reader)
            result = self._pace(self.reader, self._can)
        except CardError as error:
            return self._failed(error)
        self._check, self._can, self.card = result, "", result.card
        return self._to(FlowState.CONFIRMED if result.confirmed else FlowState.WRONG_CAN, error="")

    def _read_on_site(self, reader: str) -> FlowView:
        """AusweisApp and the eID service (card-reader lane): the data, a wrong CAN, or what
        failed by name (AusweisApp absent or busy, the service out of reach, cancelled)."""
        try:
            data = self._on_site.read(reader, self._can)
        except PasswordRejected as error:
            self._can = ""
            return self._to(FlowState.WRONG_CAN, error=type(error).__name__)
        except SdkError as error:
            self._can = ""
            return self._to(FlowState.ON_SITE_FAILED, error=str(error))
        self._data, self._can = data, ""
        return self._to(FlowState.ON_SITE_READ, error="")

    def _read_passport(self, reader: str) -> FlowView:
        access = self._access
        assert access is not None
        try:
            result = self._passport(reader, access)
        except NeedsMrz as error:
            self._can = ""
            return self._to(FlowState.NEEDS_MRZ, error=type(error).__name__)
        except PasswordRejected as error:
            wrong = FlowState.WRONG_MRZ if self._mrz else FlowState.WRONG_CAN
            self._can, self._mrz = "", None
            return self._to(wrong, error=type(error).__name__)
        self._result, self._can, self._mrz = result, "", None
        return self._to(PASSPORT_STATES[result.check.verdict], error="")

    def _failed(self, error: CardError) -> FlowView:
        state = next((s for kind, s in _ERROR_STATES if isinstance(error, kind)), None)
        if state is FlowState.CARD_MOVED and not self._access:
            state = FlowState.WAITING_FOR_CARD  # gone while being recognised: nothing to resume
        if state is not FlowState.CARD_MOVED:
            self._can, self._mrz = "", None
        return self._to(state or FlowState.CARD_ERROR, error=type(error).__name__)

    def _to(self, state: FlowState, *, error: str | None = None) -> FlowView:
        self.state = state
        if error is not None:
            self._error = error
        if state is not FlowState.CONFIRMED:
            self._check = self._check if state is FlowState.WRONG_CAN else None
        if state not in PASSPORT_STATES.values():
            self._result = None
        if state is not FlowState.ON_SITE_READ:
            self._data = None
        return self.view()
