"""Secure messaging against ICAO Doc 9303 Part 11, Appendix D.4 (worked example after BAC:
3DES, retail MAC, the published session keys and SSC): SELECT EF.COM and two READ BINARY,
protected and unprotected byte by byte. The AES suite shares every step but the cipher."""

from __future__ import annotations

import pytest

from cardreader.errors import CardProtocolError
from cardreader.secure_messaging import AesSuite, SecureChannel, TdesSuite, pad, unpad

KS_ENC = bytes.fromhex("979EC13B1CBFE9DCD01AB0FED307EAE5")
KS_MAC = bytes.fromhex("F1CB1F1FB5ADF208806B89DC579DC1F8")
SSC = int("887022120C06C226", 16)


def h(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


def channel() -> SecureChannel:
    return SecureChannel(TdesSuite(KS_ENC, KS_MAC), ssc=SSC)


def test_select_and_read_ef_com_as_in_the_worked_example() -> None:
    session = channel()
    assert session.wrap(h("00A4020C 02 011E")) == h(
        "0CA4020C 15 8709016375432908C044F6 8E08BF8B92D635FF24F8 00"
    )
    assert session.unwrap(h("990290008E08FA855A5D4C50A8ED"), 0x9000) == (b"", 0x9000)

    assert session.wrap(h("00B00000 04")) == h("0CB00000 0D 970104 8E08ED6705417E96BA55 00")
    data, status = session.unwrap(h("8709019FF0EC34F9922651 99029000 8E08AD55CC17140B2DED"), 0x9000)
    assert (data, status) == (h("60145F01"), 0x9000)

    assert session.wrap(h("00B00004 12")) == h("0CB00004 0D 970112 8E082EA28A70F3C7B535 00")
    data, status = session.unwrap(
        h("871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A 99029000 8E08C8B2787EAEA07D74"),
        0x9000,
    )
    assert data == h("04303130365F36063034303030305C026175") and status == 0x9000


def test_a_wrong_mac_on_the_answer_is_refused() -> None:
    session = channel()
    session.wrap(h("00A4020C 02 011E"))
    with pytest.raises(CardProtocolError, match="wrong MAC"):
        session.unwrap(h("990290008E08FA855A5D4C50A8EE"), 0x9000)


def test_an_unprotected_answer_is_refused() -> None:
    session = channel()
    session.wrap(h("00B00000 04"))
    with pytest.raises(CardProtocolError, match="not protected"):
        session.unwrap(h("60145F01"), 0x9000)
    with pytest.raises(CardProtocolError, match="failed on the card"):
        session.unwrap(b"", 0x6988)


def test_padding_method_2() -> None:
    assert pad(b"\x01\x1e", 8) == h("011E800000000000")
    assert pad(bytes(8), 8) == bytes(8) + h("8000000000000000")
    assert unpad(h("011E800000000000")) == b"\x01\x1e"


def test_the_aes_suite_uses_the_encrypted_counter_as_iv_and_a_16_byte_counter() -> None:
    suite = AesSuite(bytes(range(16)), bytes(range(16, 32)))
    session = SecureChannel(suite)
    wrapped = session.wrap(h("00B00000 04"))
    assert wrapped[:5] == h("0CB00000 0D") and wrapped[5:8] == h("970104")
    assert session.ssc == 1
    ssc = (1).to_bytes(16, "big")
    assert wrapped[10:18] == suite.mac(pad(ssc + pad(h("0CB00000"), 16) + h("970104"), 16))
