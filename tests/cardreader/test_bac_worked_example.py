"""BAC and the MRZ information against ICAO Doc 9303 Part 11 Appendix D.2 and D.3 byte by
byte (the specimen of Anna Maria Eriksson, document L898902C), and the three MRZ formats
against the specimens of Parts 4 and 5."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cardreader import bac
from cardreader.errors import CardProtocolError, PasswordRejected
from cardreader.mrz import AccessKey, MrzError, check_digit, parse
from cardreader.secure_messaging import TdesSuite

KEY = AccessKey("L898902C", "690806", "940623")
RND_IC = bytes.fromhex("4608F91988702212")
RND_IFD = bytes.fromhex("781723860C06C226")
K_IFD = bytes.fromhex("0B795240CB7049B01C19B33E32804F0B")
COMMAND_DATA = bytes.fromhex(
    "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7"
)
ANSWER = bytes.fromhex(
    "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449"
)


def test_mrz_information_seed_and_keys() -> None:
    assert KEY.information == "L898902C<369080619406236"
    assert KEY.seed.hex().upper() == "239AB9CB282DAF66231DC5A4DF6BFBAE"
    assert bac.derive(KEY.seed, 1).hex().upper() == "AB94FDECF2674FDFB9B391F85D7F76F2"
    assert bac.derive(KEY.seed, 2).hex().upper() == "7962D9ECE03D1ACD4C76089DCE131543"


def _chip(sent: list[bytes], answer: bytes = ANSWER, status: int = 0x9000):
    def transmit(apdu: bytes) -> tuple[bytes, int]:
        sent.append(apdu)
        if apdu == bac.GET_CHALLENGE:
            return RND_IC, 0x9000
        return answer, status

    return transmit


def _terminal_random() -> Iterator[bytes]:
    yield RND_IFD
    yield K_IFD


def test_the_session_keys_and_counter_of_the_worked_example() -> None:
    sent: list[bytes] = []
    randoms = _terminal_random()
    channel = bac.establish(_chip(sent), KEY, random=lambda _n: next(randoms))
    assert sent[1] == bytes.fromhex("0082000028") + COMMAND_DATA + b"\x28"
    suite = channel.suite
    assert isinstance(suite, TdesSuite)
    assert suite.k_enc[:16].hex().upper() == "979EC13B1CBFE9DCD01AB0FED307EAE5"
    assert suite.k_mac.hex().upper() == "F1CB1F1FB5ADF208806B89DC579DC1F8"
    assert channel.ssc == int("887022120C06C226", 16)
    # the first protected command of Appendix D.4: SELECT EF.COM
    assert channel.wrap(bytes.fromhex("00A4020C02011E")) == bytes.fromhex(
        "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800"
    )


def test_wrong_mrz_data_and_a_broken_answer() -> None:
    randoms = _terminal_random()
    with pytest.raises(PasswordRejected):
        bac.establish(_chip([], b"", 0x6300), KEY, random=lambda _n: next(randoms))
    randoms = _terminal_random()
    broken = ANSWER[:-1] + bytes([ANSWER[-1] ^ 1])
    with pytest.raises(CardProtocolError, match="wrong MAC"):
        bac.establish(_chip([], broken), KEY, random=lambda _n: next(randoms))


def test_check_digits_and_the_three_formats() -> None:
    assert check_digit("L898902C<") == "3" and check_digit("520727") == "3"
    td3 = parse(
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
    )
    assert (td3.family_name, td3.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert (td3.document_number, td3.birth, td3.expiry) == ("L898902C3", "740812", "120415")
    assert (td3.nationality, td3.sex, td3.document_code) == ("UTO", "F", "P")
    td1 = parse(
        "I<UTOD231458907<<<<<<<<<<<<<<<7408122F1204159UTO<<<<<<<<<<<6ERIKSSON<<ANNA<MARIA<<<<<<<<<<"
    )
    assert (td1.document_number, td1.birth, td1.expiry) == ("D23145890", "740812", "120415")
    assert td1.access_key.information == "D23145890774081221204159"
    td2 = parse("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6")
    assert (td2.document_number, td2.family_name) == ("D23145890", "ERIKSSON")
    with pytest.raises(MrzError, match="check digit"):
        parse(
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
            "L898902C36UTO7408123F1204159ZE184226B<<<<<10"
        )
    with pytest.raises(MrzError):
        parse("nonsense")
    with pytest.raises(MrzError, match="six digits"):
        AccessKey.typed("C01X00T47", "1964-08-12", "310101")
    assert AccessKey.typed("c01x 00t47", "640812", "310101").document_number == "C01X00T47"
