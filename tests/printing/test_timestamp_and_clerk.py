"""A timestamp from a TSA over real HTTP when one is configured, and the clerk's own signature
after the authority's seal: both checked by pyHanko and by poppler's pdfsig."""

from __future__ import annotations

import subprocess
from pathlib import Path

from app.domain.documents import DocumentKind
from printing import pades, verify
from printing.maker import SealedDocumentMaker
from printing.seal_keys import Pkcs12SealKey
from sandbox.document_samples import sample_content
from sandbox.seal_pki import SIGNER_ID
from sandbox.tsa import TimestampAuthority
from tests.conftest import SealSetup


def test_timestamp_from_a_tsa(seal: SealSetup) -> None:
    with TimestampAuthority(seal.pki) as tsa:
        maker = SealedDocumentMaker(
            seal.key, signer_id=SIGNER_ID, location="Siegen", timestamp_url=tsa.url
        )
        made = maker.make(sample_content(DocumentKind.GEBURTSURKUNDE))
        assert tsa.requests == 1
    verdict = verify.check_pdf(made.pdf, seal.trust)
    assert verdict.ok, verdict
    assert verdict.signatures[0].timestamped
    assert "mit Zeitstempel" in verify.describe_signatures(verdict)


def test_tsa_down_is_a_clear_error_and_makes_nothing(seal: SealSetup) -> None:
    import pytest

    maker = SealedDocumentMaker(
        seal.key, signer_id=SIGNER_ID, location="Siegen", timestamp_url="http://127.0.0.1:9/tsa"
    )
    with pytest.raises(pades.TimestampUnavailable, match="Zeitstempeldienst nicht erreichbar"):
        maker.make(sample_content(DocumentKind.GEBURTSURKUNDE))


def test_clerk_signs_after_the_seal(seal: SealSetup, tmp_path: Path) -> None:
    clerk_p12 = tmp_path / "clerk.p12"
    seal.pki.pkcs12(clerk_p12, "Jürgen Weiß", serial=0x7711, passphrase="clerk")
    maker = SealedDocumentMaker(
        seal.key,
        signer_id=SIGNER_ID,
        location="Siegen",
        clerk_key=Pkcs12SealKey(clerk_p12, "clerk"),
    )
    made = maker.make(sample_content(DocumentKind.STERBEURKUNDE))
    verdict = verify.check_pdf(made.pdf, seal.trust)
    assert [s.field for s in verdict.signatures] == [pades.SEAL_FIELD, pades.CLERK_FIELD]
    assert verdict.ok, verdict
    assert verdict.signatures[1].covers_whole_file
    document = tmp_path / "signed.pdf"
    document.write_bytes(made.pdf)
    poppler = subprocess.run(["pdfsig", str(document)], capture_output=True, text=True).stdout
    assert poppler.count("Signature is Valid.") == 2
