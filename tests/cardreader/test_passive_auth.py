"""Passive authentication against documents a test issuing state made (sandbox/emrtd_issuer.py:
its CSCA, document signer and signed master list): genuine; a changed DG1; a document signer
of a CSCA not on the list; an expired CSCA and an expired document signer; a revoked signer;
a master list whose signature or signer does not hold."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from cardreader import lds
from cardreader.passive_auth import (
    MasterListError,
    Outcome,
    authenticate,
    load_master_list,
)
from sandbox import emrtd_issuer as issuer

START = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
MRZ = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"


@pytest.fixture(scope="module")
def state() -> dict[str, issuer.Authority]:
    csca = issuer.csca("UT", start=START)
    return {
        "csca": csca,
        "signer": issuer.issued(csca, "DS 1", start=START, days=4000),
        "lists": issuer.issued(
            csca,
            "ML Signer",
            start=START,
            days=4000,
            usage=x509.ObjectIdentifier(issuer.MASTER_LIST_SIGNING),
        ),
    }


def groups(document: issuer.Document) -> dict[int, bytes]:
    return {int(name[2:]): data for name, data in document.files.items() if name.startswith("DG")}


def test_a_genuine_document_and_what_its_files_say(state: dict[str, issuer.Authority]) -> None:
    trust = load_master_list(issuer.master_list(state["lists"], [state["csca"]], at=START))
    document = issuer.issue(issuer.Document(MRZ, issuer.face_jpeg()), state["signer"], at=START)
    result = authenticate(groups(document), document.files["SOD"], trust, at=NOW)
    assert result.outcome is Outcome.GENUINE, result
    assert result.checked == (1, 2) and "CSCA UT" in result.csca
    assert lds.mrz_of(document.files["DG1"]).family_name == "ERIKSSON"
    face = lds.face_of(document.files["DG2"])
    assert (face.kind, face.width, face.height) == ("jpeg", 360, 480)
    assert face.data.startswith(b"\xff\xd8\xff") and 10_000 < len(face.data) < 60_000
    assert lds.data_groups_listed(document.files["COM"]) == [1, 2]


def test_a_changed_data_group_is_named(state: dict[str, issuer.Authority]) -> None:
    trust = load_master_list(issuer.master_list(state["lists"], [state["csca"]], at=START))
    document = issuer.issue(issuer.Document(MRZ, issuer.face_jpeg()), state["signer"], at=START)
    changed = replace(document, mrz=MRZ.replace("ERIKSSON", "ERIKSSEN")).dg1()
    result = authenticate({**groups(document), 1: changed}, document.files["SOD"], trust, at=NOW)
    assert (result.outcome, result.changed, result.detail) == (Outcome.DATA_CHANGED, (1,), "DG1")


def test_unknown_and_expired_cscas_and_signers_are_never_genuine(
    state: dict[str, issuer.Authority],
) -> None:
    other = issuer.csca("XX", start=START)
    trust = load_master_list(issuer.master_list(state["lists"], [state["csca"]], at=START))
    stranger = issuer.issue(
        issuer.Document(MRZ, issuer.face_jpeg()),
        issuer.issued(other, "DS X", start=START, days=4000),
        at=START,
    )
    assert (
        authenticate(groups(stranger), stranger.files["SOD"], trust, at=NOW).outcome
        is Outcome.UNKNOWN_CSCA
    )
    short = issuer.issue(
        issuer.Document(MRZ, issuer.face_jpeg()),
        issuer.issued(state["csca"], "DS short", start=START, days=300),
        at=START,
    )
    late = authenticate(groups(short), short.files["SOD"], trust, at=NOW)
    assert late.outcome is Outcome.SIGNER_EXPIRED
    much_later = START + dt.timedelta(days=16 * 365)
    document = issuer.issue(issuer.Document(MRZ, issuer.face_jpeg()), state["signer"], at=START)
    assert (
        authenticate(groups(document), document.files["SOD"], trust, at=much_later).outcome
        is Outcome.CSCA_EXPIRED
    )


def test_a_revoked_document_signer(state: dict[str, issuer.Authority]) -> None:
    trust = load_master_list(issuer.master_list(state["lists"], [state["csca"]], at=START))
    document = issuer.issue(issuer.Document(MRZ, issuer.face_jpeg()), state["signer"], at=START)
    revoked = (
        x509.RevokedCertificateBuilder()
        .serial_number(state["signer"].certificate.serial_number)
        .revocation_date(START + dt.timedelta(days=10))
        .build()
    )
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(state["csca"].certificate.subject)
        .last_update(START)
        .next_update(NOW + dt.timedelta(days=90))
        .add_revoked_certificate(revoked)
        .sign(state["csca"].key, hashes.SHA256())
    )
    result = authenticate(groups(document), document.files["SOD"], trust, at=NOW, crls=[crl])
    assert result.outcome is Outcome.SIGNER_REVOKED


def test_a_master_list_must_hold_its_signature_and_its_signer(
    state: dict[str, issuer.Authority],
) -> None:
    good = issuer.master_list(state["lists"], [state["csca"]], at=START)
    position = good.index(state["csca"].der[40:60])
    broken = good[:position] + bytes([good[position] ^ 1]) + good[position + 1 :]
    with pytest.raises(MasterListError):
        load_master_list(broken)
    other = issuer.csca("XX", start=START)
    with pytest.raises(MasterListError, match="no CSCA"):
        load_master_list(issuer.master_list(state["lists"], [other], at=START))
    with pytest.raises(MasterListError):
        load_master_list(b"not a master list")


def test_explicit_ec_parameters_in_signer_csca_and_chip_keys(
    state: dict[str, issuer.Authority],
) -> None:
    """Keys with their curve written out (as many states issue them): the document signer's,
    the CSCA's and the chip's Chip Authentication key are recognised as the named curves."""
    from cardreader import ec_keys

    csca = issuer.csca("EX", start=START)
    explicit_csca = issuer.with_explicit_key(csca, csca)
    signer = issuer.with_explicit_key(
        issuer.issued(csca, "DS explicit", start=START, days=4000), explicit_csca
    )
    lists = issuer.issued(
        csca, "ML", start=START, days=4000, usage=x509.ObjectIdentifier(issuer.MASTER_LIST_SIGNING)
    )
    trust = load_master_list(issuer.master_list(lists, [explicit_csca], at=START))
    document = issuer.issue(issuer.Document(MRZ, issuer.face_jpeg()), signer, at=START)
    result = authenticate(groups(document), document.files["SOD"], trust, at=NOW)
    assert result.outcome is Outcome.GENUINE, result
    chip_key = issuer.ca_key()
    from cryptography.hazmat.primitives import serialization

    spki = chip_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    loaded = ec_keys.public_key(issuer.explicit_parameters(spki))
    assert loaded == chip_key.public_key()
