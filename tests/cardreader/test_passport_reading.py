"""The terminal's passport reading against the virtual passport chip, which a test issuing
state filled (sandbox/emrtd_issuer.py): PACE with the MRZ data or the CAN, BAC on a chip
without PACE, the files, passive authentication with the state's master list, and the clone
check by Active Authentication; wrong data, a BAC-only chip asked with the CAN, a changed DG1,
an unknown CSCA and a cloned chip (the same data, another key)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from cryptography import x509

from cardreader.clone_check import CloneCheck
from cardreader.errors import PasswordRejected
from cardreader.mrz import AccessKey
from cardreader.passive_auth import MasterList, Outcome, authenticate, load_master_list
from cardreader.passport import NeedsMrz, PassportRead, read_passport
from sandbox import emrtd_issuer as issuer
from sandbox.virtual_card.passport import PassportChip, PassportPersonality

START = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
MRZ = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F3112319ZE184226B<<<<<18"
KEY = AccessKey("L898902C3", "740812", "311231")


@pytest.fixture(scope="module")
def state() -> tuple[issuer.Authority, issuer.Authority, MasterList]:
    csca = issuer.csca("UT", start=START)
    signer = issuer.issued(csca, "DS 1", start=START, days=4000)
    lists = issuer.issued(
        csca, "ML", start=START, days=4000, usage=x509.ObjectIdentifier(issuer.MASTER_LIST_SIGNING)
    )
    return csca, signer, load_master_list(issuer.master_list(lists, [csca], at=START))


@pytest.fixture(scope="module")
def document(state: tuple[issuer.Authority, issuer.Authority, MasterList]) -> issuer.Document:
    made = issuer.Document(MRZ, issuer.face_jpeg(), active_authentication=issuer.aa_key())
    return issuer.issue(made, state[1], at=START)


def chip_of(document: issuer.Document, **variant: object) -> PassportChip:
    personality = PassportPersonality(
        files=dict(document.files),
        mrz_information=KEY.information,
        active_authentication=document.active_authentication,
    )
    return PassportChip.of(replace(personality, **variant))  # type: ignore[arg-type]


def read(chip: PassportChip, **access: object) -> PassportRead:
    def transmit(apdu: bytes) -> tuple[bytes, int]:
        answer = chip.respond(apdu)
        return answer[:-2], int.from_bytes(answer[-2:], "big")

    return read_passport(transmit, **access)  # type: ignore[arg-type]


def test_pace_with_the_mrz_reads_a_genuine_original(
    document: issuer.Document, state: tuple[issuer.Authority, issuer.Authority, MasterList]
) -> None:
    result = read(chip_of(document), key=KEY)
    assert result.access == "pace-mrz"
    assert (result.mrz.family_name, result.mrz.document_number) == ("ERIKSSON", "L898902C3")
    assert result.face.kind == "jpeg" and result.face.data == document.photo
    assert sorted(result.groups) == [1, 2, 15]
    assert result.clone_check is CloneCheck.PASSED
    verdict = authenticate(result.groups, result.sod, state[2], at=NOW)
    assert verdict.outcome is Outcome.GENUINE and verdict.checked == (1, 2, 15)


def test_the_can_opens_a_pace_chip_and_bac_a_chip_without_pace(document: issuer.Document) -> None:
    assert read(chip_of(document), can="123456").access == "pace-can"
    older = chip_of(document, pace=False)
    result = read(older, key=KEY)
    assert result.access == "bac" and result.clone_check is CloneCheck.PASSED
    with pytest.raises(NeedsMrz):
        read(chip_of(document, pace=False), can="123456")


def test_wrong_mrz_data_is_refused_by_the_chip(document: issuer.Document) -> None:
    wrong = AccessKey("L898902C3", "740813", "311231")
    with pytest.raises(PasswordRejected):
        read(chip_of(document), key=wrong)
    with pytest.raises(PasswordRejected):
        read(chip_of(document, pace=False), key=wrong)


def test_a_changed_dg1_and_an_unknown_csca(
    document: issuer.Document, state: tuple[issuer.Authority, issuer.Authority, MasterList]
) -> None:
    changed = dict(document.files)
    changed["DG1"] = replace(document, mrz=MRZ.replace("ANNA", "ANNE")).dg1()
    result = read(chip_of(document, files=changed), key=KEY)
    verdict = authenticate(result.groups, result.sod, state[2], at=NOW)
    assert (verdict.outcome, verdict.changed) == (Outcome.DATA_CHANGED, (1,))
    stranger = issuer.csca("XX", start=START)
    foreign = issuer.issue(
        document, issuer.issued(stranger, "DS X", start=START, days=400), at=START
    )
    result = read(chip_of(foreign), key=KEY)
    assert authenticate(result.groups, result.sod, state[2], at=NOW).outcome is Outcome.UNKNOWN_CSCA


def test_a_cloned_chip_passes_passive_authentication_but_not_the_clone_check(
    document: issuer.Document, state: tuple[issuer.Authority, issuer.Authority, MasterList]
) -> None:
    clone = chip_of(document, active_authentication=issuer.aa_key())  # the data, not the key
    result = read(clone, key=KEY)
    assert authenticate(result.groups, result.sod, state[2], at=NOW).genuine
    assert result.clone_check is CloneCheck.FAILED
    without = issuer.issue(replace(document, active_authentication=None), state[1], at=START)
    assert read(chip_of(without, active_authentication=None), key=KEY).clone_check is (
        CloneCheck.NOT_OFFERED
    )


def test_a_face_image_beyond_32_kb_is_read_with_the_odd_read_binary(
    state: tuple[issuer.Authority, issuer.Authority, MasterList],
) -> None:
    large = issuer.face_jpeg(quality=92)
    assert len(large) > 0x7FFF
    document = issuer.issue(issuer.Document(MRZ, large), state[1], at=START)
    for variant in ({}, {"pace": False}):
        result = read(chip_of(document, active_authentication=None, **variant), key=KEY)
        assert result.face.data == large
        assert authenticate(result.groups, result.sod, state[2], at=NOW).genuine


def test_chip_authentication_where_dg14_offers_it(
    state: tuple[issuer.Authority, issuer.Authority, MasterList],
) -> None:
    """DG14's key agreed with, secure messaging renewed: the original passes; a copy with the
    data but another static key answers with a MAC the terminal refuses. By PACE and by BAC."""
    made = issuer.Document(MRZ, issuer.face_jpeg(), chip_authentication=issuer.ca_key())
    document = issuer.issue(made, state[1], at=START)
    for variant in ({}, {"pace": False}):
        original = chip_of(document, active_authentication=None, **variant)
        original.passport.chip_authentication = document.chip_authentication
        result = read(original, key=KEY)
        assert (result.clone_check, result.clone_check_method) == (
            CloneCheck.PASSED,
            "chip_authentication",
        )
        assert authenticate(result.groups, result.sod, state[2], at=NOW).checked == (1, 2, 14)
        copy = chip_of(document, active_authentication=None, **variant)
        copy.passport.chip_authentication = issuer.ca_key()
        assert read(copy, key=KEY).clone_check is CloneCheck.FAILED


def test_a_jpeg_2000_photo_is_read_and_made_drawable(
    state: tuple[issuer.Authority, issuer.Authority, MasterList],
) -> None:
    from cardreader.passport_check import displayable

    photo = issuer.face_jp2()
    document = issuer.issue(issuer.Document(MRZ, photo, photo_jp2=True), state[1], at=START)
    result = read(chip_of(document, active_authentication=None), key=KEY)
    assert (result.face.kind, result.face.data) == ("jp2", photo)
    assert displayable(result.face).startswith(b"\x89PNG")


def test_active_authentication_with_an_ec_key_and_the_hash_dg14_names(
    state: tuple[issuer.Authority, issuer.Authority, MasterList],
) -> None:
    """An EC Active Authentication key (brainpoolP256r1): the chip signs ecdsa-plain-SHA256 as
    DG14's ActiveAuthenticationInfo says; a copy with another key fails."""
    made = issuer.Document(MRZ, issuer.face_jpeg(), active_authentication=issuer.aa_ec_key())
    document = issuer.issue(made, state[1], at=START)
    result = read(chip_of(document), key=KEY)
    assert (result.clone_check, result.clone_check_method) == (
        CloneCheck.PASSED,
        "active_authentication",
    )
    assert sorted(result.groups) == [1, 2, 14, 15]
    copy = chip_of(document, active_authentication=issuer.aa_ec_key())
    assert read(copy, key=KEY).clone_check is CloneCheck.FAILED
