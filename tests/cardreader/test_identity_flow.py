"""The identity check's state machine alone: every state it reaches from what the reader shows,
what the clerk types and what the card answers (the device steps given as functions, so each
answer can be made to happen); a card that moves mid-check is asked again with the same CAN.
tests/ui/test_identity_gui.py runs the same flow on pcscd with the virtual card."""

from __future__ import annotations

import pytest

from cardreader.ausweisapp import AuthFailed, OnSiteData
from cardreader.check import CanCheck
from cardreader.clone_check import CloneCheck
from cardreader.errors import (
    CardMute,
    CardRemoved,
    NoService,
    PasswordRejected,
    SharingViolation,
    UnknownCard,
)
from cardreader.identity_flow import FlowState, IdentityFlow
from cardreader.mrz import AccessKey
from cardreader.passport import NeedsMrz

READER = "Virtual PCD 00 00"
CAN = "482913"


def answered(confirmed: bool) -> CanCheck:
    return CanCheck(READER, "german-eid", confirmed, 0.4, 0.1, 12, 300, 400)


class Card:
    """What the chip answers, in turn."""

    def __init__(self, *answers: object) -> None:
        self.answers = list(answers)
        self.cans: list[str] = []

    def recognise(self, reader: str) -> str:
        return "german-eid"

    def pace(self, reader: str, can: str) -> CanCheck:
        self.cans.append(can)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        assert isinstance(answer, CanCheck)
        return answer


def flow_with(card: Card) -> IdentityFlow:
    return IdentityFlow(recognise=card.recognise, pace=card.pace)


def test_reader_card_recognised_wrong_can_then_confirmed() -> None:
    card = Card(answered(False), answered(True))
    flow = flow_with(card)
    assert flow.observe({}, service_lost=False).state is FlowState.NO_READER
    assert flow.observe({READER: False}, service_lost=False).state is FlowState.WAITING_FOR_CARD
    assert flow.enter_can(CAN).state is FlowState.WAITING_FOR_CARD  # no card: nothing to ask
    assert flow.observe({READER: True}, service_lost=False).state is FlowState.RECOGNISING
    view = flow.work()
    assert (view.state, view.card) == (FlowState.READY_FOR_CAN, "german-eid")
    assert flow.enter_can("12345").state is FlowState.READY_FOR_CAN  # not six digits
    assert flow.enter_can("111111").state is FlowState.CHECKING
    assert flow.work().state is FlowState.WRONG_CAN
    assert flow.enter_can(CAN).state is FlowState.CHECKING
    view = flow.work()
    assert view.state is FlowState.CONFIRMED and view.check is not None and view.card_present
    # taken away before recording: the confirmation goes with the card
    assert flow.observe({READER: False}, service_lost=False).state is FlowState.WAITING_FOR_CARD


def test_a_card_that_moved_mid_check_is_asked_again_with_the_same_can() -> None:
    card = Card(CardRemoved("moved"), answered(True))
    flow = flow_with(card)
    flow.observe({READER: True}, service_lost=False)
    flow.work()
    flow.enter_can(CAN)
    assert flow.work().state is FlowState.CARD_MOVED
    assert flow.observe({READER: False}, service_lost=False).state is FlowState.CARD_MOVED
    assert flow.observe({READER: True}, service_lost=False).state is FlowState.CHECKING
    assert flow.work().state is FlowState.CONFIRMED
    assert card.cans == [CAN, CAN]  # the clerk typed it once


@pytest.mark.parametrize(
    ("error", "state"),
    [
        (CardMute("no answer"), FlowState.TIMEOUT),
        (UnknownCard("no PACE"), FlowState.UNKNOWN_CARD),
        (NoService("stopped"), FlowState.NO_SERVICE),
        (SharingViolation("busy"), FlowState.CARD_ERROR),
    ],
)
def test_each_failure_is_a_named_state(error: Exception, state: FlowState) -> None:
    flow = flow_with(Card(error))
    flow.observe({READER: True}, service_lost=False)
    flow.work()
    flow.enter_can(CAN)
    view = flow.work()
    assert view.state is state and view.error == type(error).__name__


def test_the_service_gone_and_back() -> None:
    flow = flow_with(Card())
    assert flow.observe({READER: True}, service_lost=True).state is FlowState.NO_SERVICE
    assert flow.observe({READER: True}, service_lost=False).state is FlowState.RECOGNISING


def test_a_card_that_is_no_id_document() -> None:
    def recognise(reader: str) -> str:
        raise UnknownCard("no EF.CardAccess")

    flow = IdentityFlow(recognise=recognise, pace=Card().pace)
    flow.observe({READER: True}, service_lost=False)
    assert flow.work().state is FlowState.UNKNOWN_CARD
    assert flow.enter_can(CAN).state is FlowState.UNKNOWN_CARD  # nothing to ask it


# --- a passport: read with the CAN or the MRZ data, checked ----------------------------------


def passport_result(verdict: str) -> object:
    from cardreader.passport_check import PassportCheck, PassportResult, PassportVerdict

    check = PassportCheck(PassportVerdict(verdict), None, CloneCheck.PASSED, None)
    return PassportResult(read=None, check=check, photo=b"")  # type: ignore[arg-type]


class Passport(Card):
    def recognise(self, reader: str) -> str:
        return "passport"

    def read(self, reader: str, access: object) -> object:
        self.cans.append(str(access))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def passport_flow(card: Passport) -> IdentityFlow:
    flow = IdentityFlow(recognise=card.recognise, pace=card.pace, passport=card.read)  # type: ignore[arg-type]
    flow.observe({READER: True}, service_lost=False)
    assert flow.work().state is FlowState.READY_FOR_CAN
    return flow


KEY = AccessKey("L898902C3", "740812", "311231")


def test_a_passport_read_with_mrz_data_or_can_and_its_verdicts() -> None:
    card = Passport(
        PasswordRejected(0x6300),
        passport_result("genuine"),
        passport_result("data_changed"),
        passport_result("not_verifiable"),
        passport_result("document_expired"),
        passport_result("clone_check_failed"),
        passport_result("genuine_no_clone_check"),
    )
    flow = passport_flow(card)
    assert flow.enter_mrz(KEY).state is FlowState.READING_PASSPORT
    assert flow.work().state is FlowState.WRONG_MRZ
    assert flow.enter_mrz(KEY).state is FlowState.READING_PASSPORT
    view = flow.work()
    assert view.state is FlowState.PASSPORT_GENUINE and view.passport is not None
    for expected in (
        FlowState.DATA_CHANGED,
        FlowState.NOT_VERIFIABLE,
        FlowState.DOCUMENT_EXPIRED,
        FlowState.CLONE_CHECK_FAILED,
        FlowState.PASSPORT_GENUINE,
    ):
        assert flow.enter_can(CAN).state is FlowState.READING_PASSPORT  # a CAN reads it too
        assert flow.work().state is expected
    assert card.cans[:2] == [str(KEY), str(KEY)] and card.cans[2] == CAN


def test_a_bac_only_passport_asks_for_the_mrz_and_a_moved_one_is_read_again() -> None:
    card = Passport(NeedsMrz("BAC only"), CardRemoved(), passport_result("genuine"))
    flow = passport_flow(card)
    flow.enter_can(CAN)
    assert flow.work().state is FlowState.NEEDS_MRZ
    flow.enter_mrz(KEY)
    assert flow.work().state is FlowState.CARD_MOVED
    assert flow.observe({READER: False}, service_lost=False).state is FlowState.CARD_MOVED
    assert flow.observe({READER: True}, service_lost=False).state is FlowState.READING_PASSPORT
    assert flow.work().state is FlowState.PASSPORT_GENUINE
    assert card.cans[1:] == [str(KEY), str(KEY)]  # the same MRZ data, not typed again
    assert flow.enter_mrz(KEY).state is FlowState.READING_PASSPORT
    id_card = Card(answered(True))
    other = flow_with(id_card)
    other.observe({READER: True}, service_lost=False)
    other.work()
    assert other.enter_mrz(KEY).state is FlowState.READY_FOR_CAN  # an ID card takes no MRZ


# --- a German ID card read on site through AusweisApp ---------------------------------------


class OnSiteService:
    """What AusweisApp and the eID service answer, in turn; whether the seat may read."""

    def __init__(self, *answers: object, configured: bool = True) -> None:
        self.answers, self.is_configured, self.cans = list(answers), configured, []

    def configured(self) -> bool:
        return self.is_configured

    def read(self, reader: str, can: str) -> object:
        self.cans.append(can)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


ERIKA = OnSiteData("MUSTERMANN", "ERIKA", "1964-08-12", "KÖLN", "ID", "D", {})


def test_on_site_reading_where_configured_and_the_can_check_where_not() -> None:
    service = OnSiteService(
        PasswordRejected(0x6300), AuthFailed("…#cancellationByUser", "cancelled"), ERIKA
    )
    card = Card(answered(True))
    flow = IdentityFlow(recognise=card.recognise, pace=card.pace, on_site=service)  # type: ignore[arg-type]
    flow.observe({READER: True}, service_lost=False)
    assert flow.work().on_site_reading
    assert flow.enter_can("111111").state is FlowState.READING_ON_SITE
    assert flow.work().state is FlowState.WRONG_CAN
    flow.enter_can(CAN)
    view = flow.work()
    assert view.state is FlowState.ON_SITE_FAILED and "cancel" in view.error
    flow.enter_can(CAN)
    view = flow.work()
    assert (view.state, view.on_site) == (FlowState.ON_SITE_READ, ERIKA)
    assert service.cans == ["111111", CAN, CAN] and card.cans == []  # no PACE of ours
    without = OnSiteService(configured=False)
    plain = Card(answered(True))
    flow = IdentityFlow(recognise=plain.recognise, pace=plain.pace, on_site=without)  # type: ignore[arg-type]
    flow.observe({READER: True}, service_lost=False)
    assert not flow.work().on_site_reading
    assert flow.enter_can(CAN).state is FlowState.CHECKING  # the CAN check applies
    assert flow.work().state is FlowState.CONFIRMED
