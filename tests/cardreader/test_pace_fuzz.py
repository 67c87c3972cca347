"""Every field of every PACE answer, broken: the terminal's verdict is "cannot check"
(CardProtocolError, exit 2), never "the CAN was rejected" unless the chip said so by its status
word, and never an exception of another kind. In process, against the virtual chip's answers
(the same faults through real pcscd: test_pcsc_stack.py)."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from cardreader import pace
from cardreader.check import READ_CARD_ACCESS
from cardreader.errors import CardError, CardProtocolError, PasswordRejected
from sandbox.virtual_card.chip import Chip, Personality

CAN = "482913"
# the commands of PACE in order, after EF.CardAccess: MSE:Set AT, then GENERAL AUTHENTICATE
# for the nonce, the mapping, the key agreement and the mutual authentication
STEPS = ("mse", "nonce", "mapping", "key_agreement", "mutual")
# status words by which a chip refuses a password (TR-03110, ISO/IEC 7816-4)
REFUSING = {0x6300, 0x6982, 0x6983, 0x6984} | {0x63C0 + n for n in range(16)}
Mutation = Callable[[bytes], bytes]


def run(step: str, mutate: Mutation) -> tuple[BaseException | None, int]:
    """PACE against the chip with one answer changed; what it ended in and the status word of
    the last answer the terminal read (a damaged nonce leads the chip to refuse the token,
    6300: PACE cannot tell that from a wrong CAN, and it is the chip that says so)."""
    chip = Chip(Personality(can=CAN))
    card_access = chip.respond(READ_CARD_ACCESS)[:-2]
    info = next(i for i in pace.pace_infos(card_access) if i.supported)
    count, last_status = 0, 0x9000

    def transmit(apdu: bytes) -> tuple[bytes, int]:
        nonlocal count, last_status
        answer = chip.respond(apdu)
        if STEPS[count] == step:
            answer = mutate(answer)
        count += 1
        if len(answer) < 2:
            raise CardProtocolError("the card answered without a status word")
        last_status = int.from_bytes(answer[-2:], "big")
        return answer[:-2], last_status

    try:
        pace.establish(transmit, info, CAN)
    except BaseException as error:  # every kind counts: the test is what it ended in
        return error, last_status
    return None, last_status


def body(mutate: Callable[[bytes], bytes]) -> Mutation:
    """Change the data, keep the status word."""
    return lambda answer: mutate(answer[:-2]) + answer[-2:]


def inner(mutate: Callable[[bytes], bytes]) -> Mutation:
    """Change the contents of the one object inside 7C (the nonce, a point, the token)."""

    def change(data: bytes) -> bytes:
        value = mutate(data[4:])
        return bytes([0x7C, len(value) + 2, data[2], len(value)]) + value

    return body(change)


def flip(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 0x01]) if data else b"\x01"


# each a way a field can be wrong: length, TLV structure, point encoding, value
NAMED: dict[str, tuple[str, Mutation]] = {
    "nonce of 3 bytes": ("nonce", inner(lambda v: v[:3])),
    "nonce of 0 bytes": ("nonce", inner(lambda v: b"")),
    "nonce of 17 bytes": ("nonce", inner(lambda v: v + b"\x00")),
    "nonce object missing": ("nonce", body(lambda d: bytes.fromhex("7C03810100"))),
    "outer tag 7D": ("nonce", body(lambda d: b"\x7d" + d[1:])),
    "outer length too long": ("nonce", body(lambda d: d[:1] + bytes([d[1] + 9]) + d[2:])),
    "outer length too short": ("nonce", body(lambda d: d[:1] + bytes([d[1] - 3]) + d[2:])),
    "bytes after 7C": ("nonce", body(lambda d: d + b"\x00\x00")),
    "no data, 9000": ("mapping", body(lambda d: b"")),
    "point of 64 bytes": ("mapping", inner(lambda v: v[1:])),
    "point prefix 05": ("mapping", inner(lambda v: b"\x05" + v[1:])),
    "point off the curve": ("mapping", inner(flip)),
    "point all zero": ("mapping", inner(lambda v: b"\x04" + bytes(len(v) - 1))),
    "compressed point": ("mapping", inner(lambda v: b"\x02" + v[1:33])),
    "key agreement off the curve": ("key_agreement", inner(flip)),
    "key agreement of 1 byte": ("key_agreement", inner(lambda v: b"\x04")),
    "token of 4 bytes": ("mutual", inner(lambda v: v[:4])),
    "token wrong": ("mutual", inner(flip)),
    "token object missing": ("mutual", body(lambda d: bytes.fromhex("7C0A8708") + d[4:])),
    "status 6A80 on the nonce": ("nonce", lambda a: a[:-2] + b"\x6a\x80"),
    "status 6F00 on the mapping": ("mapping", lambda a: b"\x6f\x00"),
    "status 9000 on MSE wrong": ("mse", lambda a: b"\x6a\x88"),
    "one byte only": ("key_agreement", lambda a: b"\x90"),
}


@pytest.mark.parametrize("name", list(NAMED))
def test_a_malformed_answer_cannot_be_checked(name: str) -> None:
    step, mutate = NAMED[name]
    error, _status = run(step, mutate)
    assert isinstance(error, CardProtocolError), (name, error)


def test_the_chip_refusing_by_its_status_word_is_a_rejected_can() -> None:
    error, _status = run("mutual", lambda a: b"\x63\x00")
    assert isinstance(error, PasswordRejected)


def test_random_damage_to_every_answer_is_never_a_rejected_can_by_mistake() -> None:
    rng = random.Random(31)  # fixed: the same cases every run

    def damage(answer: bytes) -> bytes:
        data = bytearray(answer)
        for _ in range(rng.randint(1, 4)):
            choice = rng.randrange(4)
            where = rng.randrange(len(data) + 1)
            if choice == 0 and data:
                del data[min(where, len(data) - 1)]
            elif choice == 1:
                data.insert(where, rng.randrange(256))
            elif choice == 2 and data:
                data[min(where, len(data) - 1)] ^= 1 << rng.randrange(8)
            else:
                del data[where:]
        return bytes(data)

    outcomes: dict[str, int] = {}
    for case in range(400):
        step = STEPS[case % len(STEPS)]
        error, status = run(step, damage)
        kind = type(error).__name__ if error else "confirmed"
        outcomes[kind] = outcomes.get(kind, 0) + 1
        assert error is None or isinstance(error, CardError), (case, step, error)
        if isinstance(error, PasswordRejected):
            assert status in REFUSING, (case, step, hex(status))
    assert outcomes.get("CardProtocolError", 0) > 250, outcomes
