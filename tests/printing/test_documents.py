"""Every template, sealed: its text, its fonts, its PAdES seal judged by pyHanko, by pyHanko's
CLI and by poppler's pdfsig, and its printed seal read back from a 200 dpi rendering."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.domain.documents import DocumentKind, MadeDocument
from printing import layout, verify
from sandbox.document_samples import sample_content
from tests.conftest import SealSetup
from tests.support.pdf_forgery import draw_after_sealing, flip_byte_in_signed_range

EXPECTED_TEXT: dict[DocumentKind, tuple[str, ...]] = {
    DocumentKind.MELDEBESCHEINIGUNG: (
        "Meldebescheinigung",
        "§ 18 Abs. 1",
        "Müller-Lüdenscheidt",
        "Weidenauer Straße 12",
        "Doktorgrad",
        "gebräuchlich: Jörg",
    ),
    DocumentKind.MELDEBESCHEINIGUNG_ERWEITERT: (
        "Erweiterte Meldebescheinigung",
        "Staatsangehörigkeit",
        "Frühere Anschriften",
        "Große Straße 3",
        "verheiratet",
    ),
    DocumentKind.BEWOHNERPARKAUSWEIS: ("BEWOHNERPARKAUSWEIS", "SI-ÖK 123", "Zone", "21.11.2027"),
    DocumentKind.GEBURTSURKUNDE: ("Geburtsurkunde", "Tag der Geburt", "29.02.1980", "Eltern"),
    DocumentKind.EHEURKUNDE: ("Eheurkunde", "Gülşen Öztürk", "Tag der Eheschließung"),
    DocumentKind.STERBEURKUNDE: ("Sterbeurkunde", "Margarete Weiß geb. Strauß", "Tag des Todes"),
    DocumentKind.ABLEHNUNGSBESCHEID: (
        "Bescheid",
        "abgelehnt",
        "Begründung",
        "Rechtsbehelfsbelehrung",
        "Verwaltungsgericht Arnsberg",
    ),
}


@pytest.fixture(scope="module")
def documents(seal: SealSetup) -> dict[DocumentKind, MadeDocument]:
    return {kind: seal.maker.make(sample_content(kind)) for kind in DocumentKind}


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_template_text_letterhead_and_page_numbers(
    documents: dict[DocumentKind, MadeDocument], kind: DocumentKind
) -> None:
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(documents[kind].pdf)).pages
    )
    text = " ".join(text.split())
    for expected in (
        *EXPECTED_TEXT[kind],
        "Stadt Siegen",
        "Bürgerbüro Innenstadt",
        "Jürgen Weiß",
        "2026-000042",
        "22.11.2026",
        "Seite 1 von 1",
        "Prüfen: https://www.siegen.de/pruefen (auch offline, im Browser)",
    ):
        assert expected in text, (kind, expected)


def test_without_a_verifier_page_the_caption_names_the_tools() -> None:
    content = sample_content(DocumentKind.MELDEBESCHEINIGUNG)
    plain = replace(content, issuer=replace(content.issuer, verifier_url=""))
    caption = layout.seal_caption(plain)
    assert "»buergerbuero verify-seal« offline prüfbar" in caption and "Prüfen:" not in caption


def test_fonts_are_embedded(documents: dict[DocumentKind, MadeDocument], tmp_path: Path) -> None:
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(documents[DocumentKind.MELDEBESCHEINIGUNG].pdf)
    listing = subprocess.run(
        ["pdffonts", str(pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert listing
    assert all(" yes " in line for line in listing), listing


def test_pades_seal_valid_for_pyhanko(
    documents: dict[DocumentKind, MadeDocument], seal: SealSetup
) -> None:
    for kind, document in documents.items():
        verdict = verify.check_pdf(document.pdf, seal.trust)
        assert verdict.ok, (kind, verdict)
        (signature,) = verdict.signatures
        assert "Stadt Siegen Dienstsiegel" in signature.signer
        assert signature.signed_at is not None


def test_a_changed_byte_is_invalid_for_pyhanko(
    documents: dict[DocumentKind, MadeDocument], seal: SealSetup
) -> None:
    damaged = flip_byte_in_signed_range(documents[DocumentKind.MELDEBESCHEINIGUNG].pdf)
    verdict = verify.check_pdf(damaged, seal.trust)
    assert not verdict.ok
    assert "nach dem Siegeln verändert" in verdict.reason()


def test_unknown_issuer_is_not_trusted(documents: dict[DocumentKind, MadeDocument]) -> None:
    from sandbox.seal_pki import SealPki

    stranger = SealPki.create()
    verdict = verify.check_pdf(
        documents[DocumentKind.MELDEBESCHEINIGUNG].pdf, stranger.trust_list([])
    )
    assert not verdict.ok
    assert "kein Dienstsiegel der Stadt" in verdict.reason()


def _pyhanko_cli(pdf: Path, ca: Path) -> subprocess.CompletedProcess[str]:
    tool = Path(sys.executable).with_name("pyhanko")
    return subprocess.run(
        [
            str(tool),
            "sign",
            "validate",
            "--trust",
            str(ca),
            "--trust-replace",
            "--no-revocation-check",
            "--executive-summary",
            str(pdf),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_independent_validators_agree(
    documents: dict[DocumentKind, MadeDocument], seal: SealSetup, tmp_path: Path
) -> None:
    good = tmp_path / "good.pdf"
    good.write_bytes(documents[DocumentKind.GEBURTSURKUNDE].pdf)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(flip_byte_in_signed_range(good.read_bytes()))

    accepted = _pyhanko_cli(good, seal.ca_pem)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "VALID" in accepted.stdout and "INVALID" not in accepted.stdout
    refused = _pyhanko_cli(bad, seal.ca_pem)
    assert refused.returncode != 0
    assert "INVALID" in refused.stdout + refused.stderr

    assert shutil.which("pdfsig"), "poppler-utils is installed by scripts/bootstrap.sh"
    poppler_good = subprocess.run(["pdfsig", str(good)], capture_output=True, text=True)
    assert "Signature is Valid." in poppler_good.stdout
    assert "Total document signed" in poppler_good.stdout
    poppler_bad = subprocess.run(["pdfsig", str(bad)], capture_output=True, text=True)
    assert "Signature is Valid." not in poppler_bad.stdout
    assert "Digest Mismatch" in poppler_bad.stdout


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_printed_seal_read_back_from_200_dpi_and_verified(
    documents: dict[DocumentKind, MadeDocument], seal: SealSetup, kind: DocumentKind
) -> None:
    document = documents[kind]
    found = verify.seals_in_pdf(document.pdf, dpi=200)
    assert b"".join(dict.fromkeys(found)) == document.seal
    verdict = verify.check_seals(found, seal.trust)
    assert verdict.ok, verdict.message
    assert verdict.reading is not None
    content = sample_content(kind)
    assert verdict.reading.number == content.number
    assert verdict.reading.facts == content.facts  # every printed fact, in clear
    assert "Jörg Äneas Müller-Lüdenscheidt" in verdict.message


def test_a_changed_seal_byte_fails(
    documents: dict[DocumentKind, MadeDocument], seal: SealSetup
) -> None:
    printed = bytearray(documents[DocumentKind.BEWOHNERPARKAUSWEIS].seal)
    position = printed.index("SI-ÖK 123".encode())
    printed[position + 3] = ord("X")  # another plate
    verdict = verify.check_seal(bytes(printed), seal.trust)
    assert not verdict.ok
    assert "Signatur falsch" in verdict.message


def test_seal_of_an_unlisted_signer_fails(
    documents: dict[DocumentKind, MadeDocument], seal: SealSetup
) -> None:
    empty = seal.pki.trust_list([])
    verdict = verify.check_seal(documents[DocumentKind.MELDEBESCHEINIGUNG].seal, empty)
    assert not verdict.ok
    assert "nicht in der Vertrauensliste" in verdict.message


def test_garbage_is_not_a_seal(seal: SealSetup) -> None:
    verdict = verify.check_seal(b"hello", seal.trust)
    assert verdict.answer is verify.Answer.CANNOT_CHECK
    assert verdict.message.startswith("kein lesbares 2D-Siegel")


def test_report_on_a_scan_a_sealed_pdf_and_a_changed_one(
    documents: dict[DocumentKind, MadeDocument], seal: SealSetup, tmp_path: Path
) -> None:
    import pypdfium2

    original = documents[DocumentKind.EHEURKUNDE].pdf
    page = pypdfium2.PdfDocument(original)[0]
    scan = tmp_path / "scan.pdf"
    page.render(scale=200 / 72, grayscale=True).to_pil().save(scan, "PDF", resolution=200)
    scanned = verify.report_file(scan, seal.trust)
    assert scanned.authentic is True, scanned.text
    assert "PDF-Scan" in scanned.text and "Eheurkunde" in scanned.text

    sealed = tmp_path / "sealed.pdf"
    sealed.write_bytes(original)
    both = verify.report_file(sealed, seal.trust)
    assert both.authentic is True, both.text
    assert "elektronisches Siegel der Stadt gültig" in both.text and "Eheurkunde" in both.text

    changed = tmp_path / "changed.pdf"
    changed.write_bytes(flip_byte_in_signed_range(original))
    assert verify.report_file(changed, seal.trust).authentic is False

    photo = tmp_path / "notes.txt"
    photo.write_text("kein Bild")
    assert verify.report_file(photo, seal.trust).authentic is None


def test_content_added_after_sealing_is_not_valid(
    documents: dict[DocumentKind, MadeDocument], seal: SealSetup
) -> None:
    """An incremental update that draws on the page keeps the signed bytes intact: the seal
    itself still verifies, and the change must still be caught."""
    changed = draw_after_sealing(
        documents[DocumentKind.MELDEBESCHEINIGUNG].pdf, b"BT /F1 24 Tf 100 100 Td (Zone B) Tj ET"
    )
    verdict = verify.check_pdf(changed, seal.trust)
    assert not verdict.ok
    assert "nach dem Siegeln wurde Inhalt ergänzt" in verdict.reason()


def test_long_notice_runs_over_pages_numbered_with_the_seal_on_each(seal: SealSetup) -> None:
    from dataclasses import replace

    content = sample_content(DocumentKind.ABLEHNUNGSBESCHEID)
    long_reasons = "\n\n".join(
        f"{n}. Die Voraussetzungen nach § 45 Abs. 1b StVO liegen nicht vor; die Prüfung der "
        "vorgelegten Unterlagen hat ergeben, dass die Hauptwohnung außerhalb der Zone liegt."
        for n in range(1, 25)
    )
    made = seal.maker.make(replace(content, reasons=long_reasons))
    assert made.pages >= 2
    reader = PdfReader(io.BytesIO(made.pdf))
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join((page.extract_text() or "").split())
        assert f"Seite {number} von {made.pages}" in text
        assert "Dokumentnummer 2026-000042" in text
    from printing import rasterize

    on_pages = [verify.seals_in_image(page) for page in rasterize.pages(made.pdf, dpi=200)]
    assert on_pages == [[made.seal]] * made.pages
    assert verify.check_pdf(made.pdf, seal.trust).ok


def test_fee_line_and_coat_of_arms_on_the_page(seal: SealSetup, tmp_path: Path) -> None:
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    from printing.maker import SealedDocumentMaker
    from sandbox.seal_pki import SIGNER_ID, demo_coat_of_arms

    arms = tmp_path / "wappen.png"
    demo_coat_of_arms(arms)
    maker = SealedDocumentMaker(
        seal.key, signer_id=SIGNER_ID, location="Siegen", coat_of_arms=arms.read_bytes()
    )
    content = sample_content(DocumentKind.MELDEBESCHEINIGUNG)
    assert content.fee.endswith("bezahlt")
    made = maker.make(content)
    text = " ".join(PdfReader(io.BytesIO(made.pdf)).pages[0].extract_text().split())
    assert f"Gebühr {content.fee}" in text
    page = pypdfium2.PdfDocument(made.pdf)[0]
    images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
    assert len(images) == 1  # the arms (the seal is vector modules)
    assert verify.check_pdf(made.pdf, seal.trust).ok
    notice = sample_content(DocumentKind.ABLEHNUNGSBESCHEID)
    assert notice.fee == ""  # a rejection notice charges nothing here
