"""The VDS encoder against the worked examples of BSI TR-03137 Part 1 (as published in its annexes
and reproduced by the BSI's reference tooling): decoding and re-encoding gives the same bytes."""

from __future__ import annotations

import datetime as dt

import pytest

from printing import vds

# Annex examples: (name, hex, header fields, a feature to check)
SOCIAL_INSURANCE_CARD = (
    "DC02D9C56D32C8A519FC0F71346F1D67FC0401083FEE456D2DE019A8020B506572736368776569C39F03054F"
    "7363617204134AC3A2636F62C3A96E69646963747572697573FF401DCE81E863B01CFFE5B099A5BBFCA60730"
    "EC9E090A1C82FA00580EB592A9FC921D5F02CE8D1EC4E3AA3CB4CEA3AFEF1C382B44ED8DA7105372FC1D2E8D"
    "91A393"
)
ADDRESS_STICKER_ID_CARD = (
    "DC03D9C56D32C8A72CB16ECF476ECF47F9080106CF3519AF974C02061A70208519A1030E395E463E740C749F"
    "AD19D31EFE32FF388F16D14E828A86E0F8E31DDF13CC2CB3E0D8F5E4706562C9503D7326AD6C0FA84154607D"
    "70975E5B7DFB2E36197988ECE64345D37AD9B97C"
)
ARRIVAL_ATTESTATION = (
    "DC026ABC6D32C8A519FC0F71341145F4FD020230A5621353D9A275735BD4134BC549133C133C133C133C133C"
    "A32519A519A4344A5E681AE7204B20D532CF4B7C133C133F030820D5201019A51AEAFF404A1F218CA4392647"
    "ECFF6C8ABF9E796A78EEBE0B1AC8CC25C4EE17EED961D1189091358D7D616F1A517ABC747F6C4490FF159D4D"
    "CF50248B00B1E32E9E7805E7"
)
RESIDENCE_PERMIT = (
    "DC03D9C5D9CAC8A73A990F71346ECF47FB0602305CBA135875976EC066D417B59E8C6ABC133C133C133C133C"
    "3FEF3A2938EE43F1593D1AE52DBB26751FE64B7C133C136B0306D79519A65306FF408B7F3B5F9A83FDD4F46E"
    "C7DCCC3384BB6C540AAF52603CC66D1F08B7F5E71243475D0A833B51FD2A846622E847B1F3791803F26D734B"
    "9BD18178FA22CFF2A31A"
)


@pytest.mark.parametrize(
    ("example", "country", "signer", "reference", "issued", "signed", "feature_ref", "doc_type"),
    [
        (SOCIAL_INSURANCE_CARD, "UTO", "DETS", "00027", "2020-01-01", "2023-07-28", 0xFC, 0x04),
        (ADDRESS_STICKER_ID_CARD, "UTO", "DETS", "32", "2023-07-26", "2023-07-26", 0xF9, 0x08),
        (ARRIVAL_ATTESTATION, "D  ", "DETS", "00027", "2020-01-01", "2020-01-13", 0xFD, 0x02),
        (RESIDENCE_PERMIT, "UTO", "UTTS", "5B", "2020-01-01", "2023-07-26", 0xFB, 0x06),
    ],
)
def test_annex_examples_decode_and_encode_byte_for_byte(
    example: str,
    country: str,
    signer: str,
    reference: str,
    issued: str,
    signed: str,
    feature_ref: int,
    doc_type: int,
) -> None:
    raw = bytes.fromhex(example)
    seal = vds.VisibleDigitalSeal.decode(raw)
    header = seal.header
    assert (header.issuing_country, header.signer_id, header.certificate_reference) == (
        country,
        signer,
        reference,
    )
    assert header.issue_date == dt.date.fromisoformat(issued)
    assert header.signature_date == dt.date.fromisoformat(signed)
    assert (header.feature_reference, header.document_type) == (feature_ref, doc_type)
    # Built again from its parts, field by field, the seal is the same bytes.
    rebuilt = vds.VisibleDigitalSeal(
        vds.VdsHeader(
            issuing_country=country.replace(" ", "<"),
            signer_id=signer,
            certificate_reference=reference,
            issue_date=header.issue_date,
            signature_date=header.signature_date,
            feature_reference=feature_ref,
            document_type=doc_type,
            version=header.version,
        ),
        seal.features,
        seal.signature,
    )
    assert rebuilt.encode() == raw


def test_annex_feature_values() -> None:
    social = vds.VisibleDigitalSeal.decode(bytes.fromhex(SOCIAL_INSURANCE_CARD))
    assert vds.c40_decode(social.feature(1) or b"") == "65170839J003"
    assert (social.feature(2) or b"").decode() == "Perschweiß"
    assert (social.feature(4) or b"").decode() == "Jâcobénidicturius"
    sticker = vds.VisibleDigitalSeal.decode(bytes.fromhex(ADDRESS_STICKER_ID_CARD))
    # The annex's prose says "T2000AKA7"; its bytes say T2000AK47.
    assert vds.c40_decode(sticker.feature(1) or b"") == "T2000AK47"
    assert len(sticker.signature) == 56  # P-224: r‖s of 28 bytes each


def test_header_encodings_from_the_tr() -> None:
    header = vds.VdsHeader(
        issuing_country="D<<",
        signer_id="DETS",
        certificate_reference="32",
        issue_date=dt.date(2024, 9, 27),
        signature_date=dt.date(2024, 9, 27),
        feature_reference=0xFB,
        document_type=0x06,
    )
    assert header.encode().hex() == "dc036abc6d32c8a72cb18d7ad88d7ad8fb06"
    assert vds.encode_date(dt.date(1957, 3, 25)) == bytes.fromhex("319EF5")


@pytest.mark.parametrize("text", ["", "A", "AB", "ABC", "D<<", "DETS0232", "T2000AK47", "12 X"])
def test_c40_round_trip(text: str) -> None:
    assert vds.c40_decode(vds.c40_encode(text)) == text.replace("<", " ")


def test_c40_refuses_what_it_cannot_carry() -> None:
    with pytest.raises(vds.VdsError, match="C40"):
        vds.c40_encode("Ä")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda raw: b"\xdd" + raw[1:], "0xDC"),
        (lambda raw: raw[:10], "ends inside"),
        (lambda raw: raw[: raw.rindex(b"\xff\x40")], "no signature zone"),
        (lambda raw: raw + b"\x00", "after the signature"),
        (lambda raw: raw[:1] + b"\x07" + raw[2:], "version"),
    ],
)
def test_broken_seals_are_refused_with_a_reason(damage: object, message: str) -> None:
    raw = bytes.fromhex(SOCIAL_INSURANCE_CARD)
    with pytest.raises(vds.VdsError, match=message):
        vds.VisibleDigitalSeal.decode(damage(raw))  # type: ignore[operator]


def test_long_lengths_use_der_form() -> None:
    assert vds.der_length(0x7F) == b"\x7f"
    assert vds.der_length(0x80) == b"\x81\x80"
    assert vds.der_length(300) == b"\x82\x01\x2c"
