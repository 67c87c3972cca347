"""PACE against ICAO Doc 9303 Part 11, Appendix G.1 (worked example: PACE with generic
mapping, ECDH on brainpoolP256r1, AES-128): every command our terminal sends and every key it
derives, byte by byte, with the chip's answers and the terminal's random keys from the example."""

from __future__ import annotations

import pytest

from cardreader import pace
from cardreader.errors import CardProtocolError, PasswordRejected

CARD_ACCESS = bytes.fromhex("3114 3012 060A 04007F00070202040202 020102 02010D")
MRZ_PASSWORD = "T220001293" + "6408125" + "1010318"
TERMINAL_MAP_KEY = int("7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99", 16)
TERMINAL_EPHEMERAL_KEY = int("A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595", 16)


def h(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


# (what the terminal must send, what the chip answers) from the worked example
EXCHANGE = [
    (None, b"", 0x9000),  # MSE:Set AT
    (h("7C 00"), h("7C 12 80 10 95A3A016 522EE98D 01E76CB6 B98B42C3"), 0x9000),
    (
        h(
            "7C 43 81 41 04 7ACF3EFC 982EC455 65A4B155 129EFBC7 4650DCBF A6362D89 6FC70262"
            " E0C2CC5E 544552DC B6725218 799115B5 5C9BAA6D 9F6BC3A9 618E70C2 5AF71777 A9C4922D"
        ),
        h(
            "7C 43 82 41 04 824FBA91 C9CBE26B EF53A0EB E7342A3B F178CEA9 F45DE0B7 0AA60165"
            " 1FBA3F57 30D8C879 AAA9C9F7 3991E61B 58F4D52E B87A0A0C 709A49DC 63719363 CCD13C54"
        ),
        0x9000,
    ),
    (
        h(
            "7C 43 83 41 04 2DB7A64C 0355044E C9DF1905 14C625CB A2CEA487 54887122 F3A5EF0D"
            " 5EDD301C 3556F3B3 B186DF10 B857B58F 6A7EB80F 20BA5DC7 BE1D43D9 BF850149 FBB36462"
        ),
        h(
            "7C 43 84 41 04 9E880F84 2905B8B3 181F7AF7 CAA9F0EF B743847F 44A306D2 D28C1D9E"
            " C65DF6DB 7764B222 77A2EDDC 3C265A9F 018F9CB8 52E111B7 68B32690 4B59A019 3776F094"
        ),
        0x9000,
    ),
    (h("7C 0A 85 08 C2B0BD78 D94BA866"), h("7C 0A 86 08 3ABB9674 BCE93C08"), 0x9000),
]


class WorkedExampleChip:
    """Answers as the example's chip did, and checks the terminal sent the example's bytes."""

    def __init__(self, exchange: list[tuple[bytes | None, bytes, int]]) -> None:
        self.exchange, self.sent = list(exchange), []

    def __call__(self, apdu: bytes) -> tuple[bytes, int]:
        expected, answer, status = self.exchange.pop(0)
        self.sent.append(apdu)
        if expected is not None:
            assert apdu[1] == 0x86 and apdu[5:-1] == expected
        return answer, status


def keys() -> object:
    sequence = iter([TERMINAL_MAP_KEY, TERMINAL_EPHEMERAL_KEY])
    return lambda _order: next(sequence)


def run(exchange: list[tuple[bytes | None, bytes, int]]) -> pace.PaceResult:
    """PACE with the example's password and terminal keys against a chip answering `exchange`."""
    (info,) = pace.pace_infos(CARD_ACCESS)
    chip = WorkedExampleChip(exchange)
    return pace.establish(chip, info, MRZ_PASSWORD, kind=pace.MRZ, private_key=keys())  # type: ignore[arg-type]


def test_card_access_names_ecdh_generic_mapping_on_brainpool_p256r1() -> None:
    (info,) = pace.pace_infos(CARD_ACCESS)
    assert info == pace.PaceInfo("0.4.0.127.0.7.2.2.4.2.2", 2, 13) and info.supported


def test_the_password_key_from_the_mrz() -> None:
    secret = pace.password_secret(pace.MRZ, MRZ_PASSWORD)
    assert secret == h("7E2D2A41 C74EA0B3 8CD36F86 3939BFA8 E9032AAD")
    assert pace.kdf(secret, 3, 16) == h("89DED1B2 6624EC1E 634C1989 302849DD")


def test_pace_follows_the_worked_example_byte_by_byte() -> None:
    (info,) = pace.pace_infos(CARD_ACCESS)
    chip = WorkedExampleChip(EXCHANGE)
    result = pace.establish(chip, info, MRZ_PASSWORD, kind=pace.MRZ, private_key=keys())  # type: ignore[arg-type]
    assert result.k_enc == h("F5F0E35C 0D7161EE 6724EE51 3A0D9A7F")
    assert result.k_mac == h("FE251C78 58B356B2 4514B3BD 5F4297D1")
    assert chip.sent[0] == h("00 22 C1 A4 0F 80 0A 04007F00070202040202 83 01 01")
    assert [apdu[0] for apdu in chip.sent[1:]] == [0x10, 0x10, 0x10, 0x00]  # chained, last not
    assert result.apdus == 5 and not chip.exchange


def test_a_chip_refusing_the_terminal_token_rejects_the_password() -> None:
    refused = [*EXCHANGE[:-1], (EXCHANGE[-1][0], b"", 0x6300)]
    with pytest.raises(PasswordRejected) as rejected:
        run(refused)
    assert rejected.value.retries is None


def test_a_pin_refusal_says_how_many_tries_are_left() -> None:
    refused = [*EXCHANGE[:-1], (EXCHANGE[-1][0], b"", 0x63C2)]
    with pytest.raises(PasswordRejected) as rejected:
        run(refused)
    assert rejected.value.retries == 2


def test_a_chip_whose_own_token_is_wrong_is_not_trusted() -> None:
    forged = [*EXCHANGE[:-1], (EXCHANGE[-1][0], h("7C 0A 86 08 0000000000000000"), 0x9000)]
    with pytest.raises(CardProtocolError, match="chip's token"):
        run(forged)


def test_a_point_off_the_curve_is_refused() -> None:
    bad = bytearray(EXCHANGE[2][1])
    bad[-1] ^= 1
    off_curve = [*EXCHANGE[:2], (EXCHANGE[2][0], bytes(bad), 0x9000)]
    with pytest.raises(CardProtocolError, match="not on the curve"):
        run(off_curve)


def test_garbage_instead_of_a_nonce_is_a_protocol_error() -> None:
    garbage = [EXCHANGE[0], (EXCHANGE[1][0], b"\x01\x02\x03", 0x9000)]
    with pytest.raises(CardProtocolError):
        run(garbage)
