"""PAdES B-LT where the seal certificate names its revocation services: the chain and an OCSP
answer fetched over real HTTP from the sandbox's responder at sealing time and embedded in the
document security store, so pyHanko's own LTV validator accepts the file offline after the
responder is gone. A revoked seal or an unreachable responder seals nothing."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest

from app.domain.documents import DocumentKind
from printing import pades, verify
from printing.maker import SealedDocumentMaker
from printing.seal_keys import Pkcs12SealKey
from sandbox.document_samples import sample_content
from sandbox.revocation import RevocationService
from sandbox.seal_pki import SIGNER_ID, SealPki
from sandbox.tsa import TimestampAuthority


def _maker(pki: SealPki, folder: Path, tsa_url: str | None = None) -> SealedDocumentMaker:
    pki.pkcs12(folder / "seal.p12", "Stadt Siegen Dienstsiegel", passphrase="pw", seal=True)
    return SealedDocumentMaker(
        Pkcs12SealKey(folder / "seal.p12", "pw"),
        signer_id=SIGNER_ID,
        location="Siegen",
        timestamp_url=tsa_url,
        trust_roots=(pki.ca,),
    )


def test_seal_embeds_chain_and_revocation_data(tmp_path: Path) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import DocumentSecurityStore, validate_pdf_signature

    pki = SealPki.create()
    with RevocationService(pki) as revocation, TimestampAuthority(pki) as tsa:
        maker = _maker(pki, tmp_path, tsa.url)
        made = maker.make(sample_content(DocumentKind.GEBURTSURKUNDE))
        assert revocation.ocsp_requests >= 1
    # the responder is gone: what validates now is what the file carries
    reader = PdfFileReader(io.BytesIO(made.pdf))
    assert "/OCSPs" in reader.root["/DSS"]
    # pyHanko's validator, offline, revocation required, fed only from the file's DSS
    context = DocumentSecurityStore.read_dss(reader).as_validation_context(
        {
            "trust_roots": [pades._asn1(pki.ca)],
            "allow_fetching": False,
            "revocation_mode": "require",
        }
    )
    status = validate_pdf_signature(reader.embedded_signatures[0], context)
    assert status.bottom_line, status.pretty_print_details()

    (signer_certificate,) = [c for c in pki.issued if "Dienstsiegel" in c.subject.rfc4514_string()]
    report = verify.report_electronic(made.pdf, pki.trust_list([signer_certificate]))
    assert report.answer is verify.Answer.AUTHENTIC, report.text
    assert "PAdES B-LT" in report.text and "mit Zeitstempel" in report.text
    document = tmp_path / "urkunde.pdf"
    document.write_bytes(made.pdf)
    poppler = subprocess.run(["pdfsig", str(document)], capture_output=True, text=True).stdout
    assert "Signature is Valid." in poppler
    assert "organizationIdentifier" in poppler or "2.5.4.97=AG:DE-05970040" in poppler


def test_a_revoked_seal_certificate_seals_nothing(tmp_path: Path) -> None:
    pki = SealPki.create()
    with RevocationService(pki):
        maker = _maker(pki, tmp_path)
        pki.revoke(pki.issued[-1])
        with pytest.raises(pades.RevocationUnavailable, match="Sperrstatus"):
            maker.make(sample_content(DocumentKind.MELDEBESCHEINIGUNG))


def test_an_unreachable_responder_seals_nothing(tmp_path: Path) -> None:
    pki = SealPki.create()
    with RevocationService(pki):
        maker = _maker(pki, tmp_path)
    with pytest.raises(pades.RevocationUnavailable, match="das Original wurde nicht erstellt"):
        maker.make(sample_content(DocumentKind.MELDEBESCHEINIGUNG))


def test_seal_certificate_looks_like_a_qualified_one(tmp_path: Path) -> None:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    pki = SealPki.create()
    first = pki.pkcs12(tmp_path / "a.p12", "Dienstsiegel", passphrase="x", seal=True)
    second = pki.pkcs12(tmp_path / "b.p12", "Dienstsiegel", passphrase="x", seal=True)
    assert first.serial_number != second.serial_number  # fresh per install
    assert first.subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)
    assert first.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    assert first.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
    usage = first.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.content_commitment and usage.digital_signature
