"""PACE with DH generic mapping against ICAO Doc 9303 Part 11, Appendix G.2 (the 1024-bit MODP
group with a 160-bit subgroup, standardized parameter 0; AES-128): every command our terminal
sends, byte by byte, with the chip's answers and the terminal's random keys from the example;
the authentication tokens prove the derived keys."""

from __future__ import annotations

import pytest

from cardreader import pace
from cardreader.errors import CardProtocolError
from tests.cardreader.test_pace_worked_example import MRZ_PASSWORD, WorkedExampleChip

CARD_ACCESS = bytes.fromhex("3114 3012 060A 04007F00070202040102 020102 020100")
TERMINAL_MAP_KEY = int("5265030F751F4AD18B08AC565FC7AC952E41618D", 16)
TERMINAL_EPHEMERAL_KEY = int("89CCD99B0E8D3B1F11E1296DCA68EC53411CF2CA", 16)


def h(text: str) -> bytes:
    return bytes.fromhex("".join(text.split()))


TERMINAL_MAP = h(
    """23FB3749EA030D2A25B278D2A562047ADE3F01B74F17A15402CB7352CA7D2B3EB71C343DB13D1DEBCE9A3666
    DBCFC920B49174A602CB47965CAA73DC702489A44D41DB914DE9613DC5E98C94160551C0DF86274B9359BC04
    90D01B03AD54022DCB4F57FAD6322497D7A1E28D46710F461AFE710FBBBC5F8BA166F4311975EC6C"""
)
CHIP_MAP = h(
    """78879F57225AA8080D52ED0FC890A4B25336F699AA89A2D3A189654AF70729E623EA5738B26381E4DA19E0
    04706FACE7B235C2DBF2F38748312F3C98C2DD4882A41947B324AA1259AC22579DB93F7085655AF30889DBB8
    45D9E6783FE42C9F2449400306254C8AE8EE9DD812A804C0B66E8CAFC14F84D8258950A91B44126EE6"""
)
TERMINAL_EPHEMERAL = h(
    """907D89E2D425A178AA81AF4A7774EC8E388C115CAE67031E85EECE520BD911551B9AE4D04369F29A02626C
    86FBC6747CC7BC352645B6161A2A42D44EDA80A08FA8D61B76D3A154AD8A5A51786B0BC07147057871A92221
    2C5F67F43173172236B7747D1671E6D692A3C7D40A0C3C5CE397545D015C175EB5130551EDBC2EE5D4"""
)
CHIP_EPHEMERAL = h(
    """075693D9AE941877573E634B6E644F8E60AF17A0076B8B123D9201074D36152BD8B3A213F53820C42ADC79
    AB5D0AEEC3AEFB91394DA476BD97B9B14D0A65C1FC71A0E019CB08AF55E1F729005FBA7E3FA5DC41899238A2
    50767A6D46DB974064386CD456743585F8E5D90CC8B4004B1F6D866C79CE0584E49687FF61BC29AEA1"""
)
EXCHANGE = [
    (None, b"", 0x9000),
    (h("7C 00"), h("7C12 8010 854D8DF5827FA6852D1A4FA701CDDDCA"), 0x9000),
    (h("7C 8183 81 8180") + TERMINAL_MAP, h("7C 8183 82 8180") + CHIP_MAP, 0x9000),
    (h("7C 8183 83 8180") + TERMINAL_EPHEMERAL, h("7C 8183 84 8180") + CHIP_EPHEMERAL, 0x9000),
    (
        h("7C 0A 85 08 B46DD9BD4D98381F"),
        h("7C1B 8608 917F37B5C0E6D8D1 870F 444554455354435643413030303033"),
        0x9000,
    ),
]


def keys() -> object:
    sequence = iter([TERMINAL_MAP_KEY, TERMINAL_EPHEMERAL_KEY])
    return lambda _order: next(sequence)


def test_card_access_names_dh_generic_mapping_on_parameter_0() -> None:
    (info,) = pace.pace_infos(CARD_ACCESS)
    assert info == pace.PaceInfo("0.4.0.127.0.7.2.2.4.1.2", 2, 0) and info.supported


def test_pace_dh_follows_the_worked_example_byte_by_byte() -> None:
    (info,) = pace.pace_infos(CARD_ACCESS)
    chip = WorkedExampleChip(EXCHANGE)
    result = pace.establish(chip, info, MRZ_PASSWORD, kind=pace.MRZ, private_key=keys())  # type: ignore[arg-type]
    assert chip.sent[0] == h("0022C1A40F800A04007F00070202040102830101")
    assert result.apdus == 5 and not chip.exchange  # the chip's own token held too


def test_a_public_value_outside_the_group_is_refused() -> None:
    (info,) = pace.pace_infos(CARD_ACCESS)
    outside = [*EXCHANGE[:2], (EXCHANGE[2][0], h("7C 8183 82 8180") + bytes(127) + b"\x01", 0x9000)]
    with pytest.raises(CardProtocolError, match="outside the DH group"):
        pace.establish(
            WorkedExampleChip(outside), info, MRZ_PASSWORD, kind=pace.MRZ, private_key=keys()
        )  # type: ignore[arg-type]


def test_the_standardized_dh_groups_are_whole() -> None:
    """p and q of RFC 5114's three groups are (probable) primes, q divides p - 1 and g has
    order q: a mistyped digit fails here, not at a counter."""
    for parameter, group in pace.STANDARD_DH.items():
        assert (group.p - 1) % group.order == 0, parameter
        assert pow(group.g, group.order, group.p) == 1 and group.g != 1, parameter
        for witness in (2, 3, 5, 7, 11):
            assert pow(witness, group.p - 1, group.p) == 1, parameter
            assert pow(witness, group.order - 1, group.order) == 1, parameter
