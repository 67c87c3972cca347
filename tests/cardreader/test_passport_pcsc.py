"""`buergerbuero card passport` through the real PC/SC stack (pcscd with the virtual reader
driver, the virtual passport inserted over vpcd's protocol, the command as a real process),
checked against a master list file of a test issuing state: a genuine original, wrong MRZ
data, a cloned chip, the card pulled mid-read, bad input, no master list."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509

from cardreader.mrz import AccessKey
from sandbox import emrtd_issuer as issuer
from sandbox.pcsc import PrivatePcscd
from sandbox.virtual_card.passport import PassportChip, PassportPersonality
from sandbox.virtual_card.vpcd import Faults, VirtualCard
from tests.cardreader.test_pcsc_stack import inserted

START = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
MRZ = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F3112319ZE184226B<<<<<18"
ACCESS = ["--document-number", "L898902C3", "--birth", "740812", "--expiry", "311231"]


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> tuple[issuer.Document, Path]:
    csca = issuer.csca("UT", start=START)
    signer = issuer.issued(csca, "DS 1", start=START, days=4000)
    lists = issuer.issued(
        csca, "ML", start=START, days=4000, usage=x509.ObjectIdentifier(issuer.MASTER_LIST_SIGNING)
    )
    master_list = tmp_path_factory.mktemp("trust") / "test.ml"
    master_list.write_bytes(issuer.master_list(lists, [csca], at=START))
    document = issuer.Document(MRZ, issuer.face_jpeg(), active_authentication=issuer.aa_key())
    return issuer.issue(document, signer, at=START), master_list


@pytest.fixture
def reader(pcscd: PrivatePcscd) -> str:
    return f"{pcscd.reader_prefix} 00 00"


def passport_card(
    document: issuer.Document, *, faults: Faults | None = None, **variant: Any
) -> VirtualCard:
    personality = PassportPersonality(
        files=dict(document.files),
        mrz_information=AccessKey("L898902C3", "740812", "311231").information,
        active_authentication=document.active_authentication,
    )
    for name, value in variant.items():
        setattr(personality, name, value)
    return VirtualCard(PassportChip.of(personality), faults=faults)


@pytest.fixture
def cards() -> Iterator[list[VirtualCard]]:
    made: list[VirtualCard] = []
    yield made
    for card in made:
        card.remove()


def passport_command(*args: str, settings: Path | None = None) -> tuple[int, dict[str, Any], str]:
    done = subprocess.run(
        [sys.executable, "-m", "ui.main", "card", "passport", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "BUERGERBUERO_SETTINGS_FILE": str(settings or "/nonexistent.toml"),
        },
    )
    return done.returncode, json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


def test_a_genuine_passport_by_its_mrz_data(
    reader: str, issued: tuple[issuer.Document, Path], cards: list[VirtualCard], tmp_path: Path
) -> None:
    document, master_list = issued
    card = passport_card(document)
    cards.append(card)
    inserted(card, reader)
    photo = tmp_path / "face.jpg"
    code, result, _err = passport_command(
        *ACCESS, "--master-list", str(master_list), "--reader", reader, "--photo", str(photo)
    )
    assert code == 0, result
    assert (result["verdict"], result["clone_check"], result["access"]) == (
        "genuine",
        "passed",
        "pace-mrz",
    )
    assert result["document"]["family_name"] == "ERIKSSON" and "CSCA UT" in result["csca"]
    assert photo.read_bytes() == document.photo
    code, result, _err = passport_command("--mrz", MRZ, "--master-list", str(master_list))
    assert (code, result["verdict"]) == (0, "genuine")  # the MRZ lines as a scanner reads them


def test_wrong_data_a_clone_and_a_card_pulled_mid_read(
    reader: str, issued: tuple[issuer.Document, Path], cards: list[VirtualCard]
) -> None:
    document, master_list = issued
    card = passport_card(document)
    cards.append(card)
    inserted(card, reader)
    wrong = ["--document-number", "L898902C3", "--birth", "740813", "--expiry", "311231"]
    code, result, _err = passport_command(*wrong, "--master-list", str(master_list))
    assert (code, result["verdict"]) == (1, "wrong_access_data")
    card.remove()
    clone = passport_card(document, active_authentication=issuer.aa_key())
    cards.append(clone)
    inserted(clone, reader)
    code, result, _err = passport_command(*ACCESS, "--master-list", str(master_list))
    assert (code, result["verdict"], result["passive_authentication"]) == (
        1,
        "clone_check_failed",
        "genuine",
    )
    clone.remove()
    pulled = passport_card(document, faults=Faults(pull_at=12))
    cards.append(pulled)
    inserted(pulled, reader)
    code, result, err = passport_command(*ACCESS, "--master-list", str(master_list))
    assert code == 2 and "error" in result and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_bad_input_and_no_master_list_cannot_check(
    reader: str, issued: tuple[issuer.Document, Path], cards: list[VirtualCard], tmp_path: Path
) -> None:
    document, master_list = issued
    code, result, err = passport_command("--document-number", "X1", "--birth", "1974-08-12")
    assert code == 2 and "six digits" in result["error"] and "Traceback" not in err
    code, result, err = passport_command("--mrz", "P<UTOERIKSSON<<ANNA")
    assert code == 2 and "MRZ" in result["error"] and "Traceback" not in err
    broken = tmp_path / "broken.ml"
    broken.write_bytes(master_list.read_bytes()[:-20])
    code, result, err = passport_command(*ACCESS, "--master-list", str(broken))
    assert code == 2 and result["error"].startswith("master list") and "Traceback" not in err
    card = passport_card(document)
    cards.append(card)
    inserted(card, reader)
    code, result, _err = passport_command(*ACCESS)
    assert (code, result["verdict"]) == (2, "no_master_list")
