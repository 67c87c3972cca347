"""Our terminal (cardreader/) against the virtual card's chip (sandbox/virtual_card/), each
written on its own from the specifications, without PC/SC in between: PACE with the CAN and
the PIN, secure messaging, the eID data groups refused, the PIN's retry counter."""

from __future__ import annotations

import pytest

from cardreader import pace
from cardreader.errors import PasswordRejected, PasswordSuspended
from cardreader.secure_messaging import AesSuite, SecureChannel
from sandbox.virtual_card.chip import EF_CARD_ACCESS, EID_AID, Chip, Personality


def transmit(chip: Chip) -> pace.Transmit:
    def send(apdu: bytes) -> tuple[bytes, int]:
        answer = chip.respond(apdu)
        return answer[:-2], int.from_bytes(answer[-2:], "big")

    return send


def info() -> pace.PaceInfo:
    (found,) = [i for i in pace.pace_infos(EF_CARD_ACCESS) if i.supported]
    return found


def test_pace_with_the_right_can_opens_a_secure_channel() -> None:
    chip = Chip(Personality(can="482913"))
    result = pace.establish(transmit(chip), info(), "482913")
    channel = SecureChannel(AesSuite(result.k_enc, result.k_mac))
    send = transmit(chip)
    data, status = channel.unwrap(*send(channel.wrap(bytes.fromhex("00A4020C02011C"))))
    assert status == 0x9000
    data, status = channel.unwrap(*send(channel.wrap(bytes.fromhex("00B0000000"))))
    assert (data, status) == (EF_CARD_ACCESS, 0x9000)  # all of it (Le=00), as a real nPA says
    # the eID application's data groups need terminal authentication, which nobody here has
    _data, status = channel.unwrap(*send(channel.wrap(bytes.fromhex("00A4040C09") + EID_AID)))
    assert status == 0x9000
    _data, status = channel.unwrap(*send(channel.wrap(bytes.fromhex("00B0810000"))))
    assert status == 0x6982
    assert result.apdus == 5


def test_a_wrong_can_is_rejected_and_can_be_tried_again() -> None:
    chip = Chip(Personality(can="482913"))
    with pytest.raises(PasswordRejected) as rejected:
        pace.establish(transmit(chip), info(), "482914")
    assert rejected.value.status == 0x6300 and rejected.value.retries is None
    pace.establish(transmit(chip), info(), "482913")  # the right one still works


def test_the_pin_counts_down_and_then_wants_the_can_first() -> None:
    chip = Chip(Personality(can="482913", pin="123456"))
    for left in (2, 1):
        with pytest.raises(PasswordRejected) as rejected:
            pace.establish(transmit(chip), info(), "000000", kind=pace.PIN)
        assert rejected.value.retries == left
    with pytest.raises(PasswordSuspended):
        pace.establish(transmit(chip), info(), "123456", kind=pace.PIN)
    pace.establish(transmit(chip), info(), "482913")  # the CAN unlocks the last try
    pace.establish(transmit(chip), info(), "123456", kind=pace.PIN)
    assert chip.personality.pin_tries == 3
