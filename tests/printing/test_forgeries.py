"""Forgeries made by hand and damaged files, each judged by `verify`, by `verify-seal` (both run
as a clerk would run them) and by the same check the window uses; and by independent tools on
the same files: pyHanko's own validator trusting only the seal certificate the trust list names,
poppler's `pdfsig`, and `qpdf --check`. Ours must agree with theirs on every file."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pypdfium2
import pytest
from cryptography.hazmat.primitives import serialization

from app.domain.documents import DocumentContent, DocumentKind
from printing import layout, verify
from printing.maker import SealedDocumentMaker
from printing.seal_keys import Pkcs12SealKey
from printing.templates import TEMPLATES
from sandbox.document_samples import sample_content
from sandbox.seal_pki import SIGNER_ID, SealPki
from tests.conftest import SealSetup
from tests.support.pdf_forgery import draw_after_sealing, flip_byte_in_signed_range

AUTHENTIC, NOT_AUTHENTIC, CANNOT_CHECK = 0, 1, 2
FORGED_ADDRESS = "Fälscherweg 1, 57072 Siegen"


@dataclass(frozen=True)
class Case:
    """A file, what each of our checks must answer (exit codes; None: that check does not
    apply), and what the independent tools must say about it."""

    name: str
    verify: int | None
    verify_seal: int
    pyhanko: str | None  # "VALID", "INVALID", "NONE" (no signature / unreadable)
    pdfsig: str | None  # a phrase pdfsig prints
    qpdf_ok: bool | None


CASES = (
    Case("original.pdf", AUTHENTIC, AUTHENTIC, "VALID", "Signature is Valid.", True),
    Case("with_clerk_signature.pdf", AUTHENTIC, AUTHENTIC, "VALID", "Jürgen Weiß", True),
    Case("scan.pdf", NOT_AUTHENTIC, AUTHENTIC, "NONE", "does not contain any signatures", True),
    Case("photo.png", CANNOT_CHECK, AUTHENTIC, None, None, None),
    # 1: the text changed, signed with a clerk's personal certificate from the same CA
    Case("signed_by_colleague.pdf", NOT_AUTHENTIC, NOT_AUTHENTIC, "INVALID", "Jürgen Weiß", True),
    # 3: the electronic seal stripped from a changed PDF; the printed seal kept
    Case("seal_stripped.pdf", NOT_AUTHENTIC, NOT_AUTHENTIC, "NONE", "does not contain", True),
    Case("byte_changed.pdf", NOT_AUTHENTIC, NOT_AUTHENTIC, "INVALID", "Digest Mismatch", None),
    Case("text_added.pdf", NOT_AUTHENTIC, NOT_AUTHENTIC, "INVALID", None, True),
    Case("foreign_key.pdf", NOT_AUTHENTIC, NOT_AUTHENTIC, "INVALID", None, True),
    # 5: bad files
    Case("truncated.pdf", CANNOT_CHECK, CANNOT_CHECK, "NONE", None, False),
    Case("not_a_pdf.pdf", CANNOT_CHECK, CANNOT_CHECK, "NONE", None, False),
    Case("missing.pdf", CANNOT_CHECK, CANNOT_CHECK, None, None, None),
)


def _changed(content: DocumentContent) -> DocumentContent:
    facts = tuple(
        (label, FORGED_ADDRESS if label == "Anschrift (Hauptwohnung)" else value)
        for label, value in content.facts
    )
    return replace(content, facts=facts)


def _scan(pdf: bytes, path: Path) -> None:
    page = pypdfium2.PdfDocument(pdf)[0]
    page.render(scale=200 / 72, grayscale=True).to_pil().save(path, "PDF", resolution=200)


@pytest.fixture(scope="module")
def folder(seal: SealSetup, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("forgeries")
    content = sample_content(DocumentKind.MELDEBESCHEINIGUNG)
    original = seal.maker.make(content)
    (folder / "original.pdf").write_bytes(original.pdf)
    (folder / "trust.json").write_text(seal.trust.to_json(), encoding="utf-8")
    (folder / "seal.pem").write_bytes(seal.certificate.public_bytes(serialization.Encoding.PEM))

    clerk = Pkcs12SealKey(_clerk_p12(seal, folder), "clerk")
    signed = SealedDocumentMaker(seal.key, signer_id=SIGNER_ID, location="Siegen", clerk_key=clerk)
    (folder / "with_clerk_signature.pdf").write_bytes(signed.make(content).pdf)
    _scan(original.pdf, folder / "scan.pdf")
    page = pypdfium2.PdfDocument(original.pdf)[0]
    page.render(scale=300 / 72, grayscale=True).to_pil().rotate(3, expand=True, fillcolor=255).save(
        folder / "photo.png"
    )

    forger = SealedDocumentMaker(clerk, signer_id=SIGNER_ID, location="Siegen")
    (folder / "signed_by_colleague.pdf").write_bytes(forger.make(_changed(content)).pdf)
    seals = tuple(verify.seals_in_pdf(original.pdf))
    changed = _changed(content)
    stripped, _ = layout.render(changed, seals, TEMPLATES[changed.kind](changed, seals))
    (folder / "seal_stripped.pdf").write_bytes(stripped)
    (folder / "byte_changed.pdf").write_bytes(flip_byte_in_signed_range(original.pdf))
    (folder / "text_added.pdf").write_bytes(
        draw_after_sealing(original.pdf, b"BT /F1+0 11 Tf 230 420 Td (Prof.) Tj ET")
    )

    stranger = SealPki.create()
    same_name = "Stadt Siegen Dienstsiegel"
    stranger.pkcs12(folder / "stranger.p12", same_name, serial=0x51E6E1, passphrase="x")
    foreign = SealedDocumentMaker(
        Pkcs12SealKey(folder / "stranger.p12", "x"), signer_id=SIGNER_ID, location="Siegen"
    )
    (folder / "foreign_key.pdf").write_bytes(foreign.make(content).pdf)
    (folder / "truncated.pdf").write_bytes(original.pdf[: len(original.pdf) // 2])
    (folder / "not_a_pdf.pdf").write_text("Meldebescheinigung (keine PDF)\n", encoding="utf-8")
    return folder


def _clerk_p12(seal: SealSetup, folder: Path) -> Path:
    path = folder / "clerk.p12"
    seal.pki.pkcs12(path, "Jürgen Weiß", serial=0x7711, passphrase="clerk")
    return path


def _ours(*arguments: str) -> subprocess.CompletedProcess[str]:
    tool = Path(sys.executable).with_name("buergerbuero")
    return subprocess.run(
        [str(tool), *arguments], capture_output=True, text=True, timeout=120, check=False
    )


def _pyhanko(pdf: Path, trusted: Path) -> str:
    """pyHanko's verdict on the document's first signature (where the seal belongs), trusting
    only the seal certificate: a clerk's signature after it is not the seal's business."""
    tool = Path(sys.executable).with_name("pyhanko")
    result = subprocess.run(
        [
            *(str(tool), "sign", "validate", "--trust", str(trusted), "--trust-replace"),
            *("--no-revocation-check", "--executive-summary", str(pdf)),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [line for line in result.stdout.splitlines() if line.count(":") >= 2]
    if not lines:
        return "NONE"
    return "VALID" if lines[0].rsplit(":", 1)[1] == "VALID" else "INVALID"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_our_checks_answer_as_expected(folder: Path, case: Case) -> None:
    trust = ("--trust-list", str(folder / "trust.json"))
    path = folder / case.name
    if case.verify is not None:
        result = _ours("verify", str(path), *trust)
        assert result.returncode == case.verify, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
    result = _ours("verify-seal", str(path), *trust)
    assert result.returncode == case.verify_seal, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    from printing.trust_list import TrustList

    window = verify.report_file(path, TrustList.load(folder / "trust.json"))  # the window's check
    assert window.answer.exit_code == case.verify_seal, window.text


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.pyhanko or c.pdfsig or c.qpdf_ok is not None], ids=str
)
def test_independent_tools_agree(folder: Path, case: Case) -> None:
    path = folder / case.name
    if case.pyhanko:
        assert _pyhanko(path, folder / "seal.pem") == case.pyhanko
    if case.pdfsig:
        out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True)
        assert case.pdfsig in out.stdout + out.stderr
    if case.qpdf_ok is not None:
        checked = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert (checked.returncode == 0) is case.qpdf_ok, checked.stdout + checked.stderr


def test_what_each_answer_says(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from printing.cli import verify_main, verify_seal_main

    trust = ["--trust-list", str(folder / "trust.json")]

    def said(command: str, name: str) -> str:  # the commands' own code, in this process
        main = verify_main if command == "verify" else verify_seal_main
        main([str(folder / name), *trust])
        return capsys.readouterr().out

    colleague = said("verify", "signed_by_colleague.pdf")
    assert "kein Dienstsiegel der Stadt" in colleague and "Jürgen Weiß" in colleague
    countersigned = said("verify", "with_clerk_signature.pdf")
    assert "Dienstsiegel: Stadt Siegen Dienstsiegel" in countersigned
    assert "Unterschrift (persönliches Zertifikat, kein Dienstsiegel): Jürgen Weiß" in countersigned
    stripped = said("verify-seal", "seal_stripped.pdf")
    assert "trägt immer ihr elektronisches Siegel" in stripped
    assert "Abweichend vom 2D-Siegel: Anschrift (Hauptwohnung)" in stripped
    changed = said("verify", "byte_changed.pdf")
    assert "nach dem Siegeln verändert" in changed and "nicht von der Siegel-CA" not in changed
    assert "nach dem Siegeln wurde Inhalt ergänzt" in said("verify", "text_added.pdf")
    scan = said("verify-seal", "scan.pdf")
    # a scanned (or doctored) page: the seal is genuine, its facts are listed to compare with
    # the paper; what the page says beside them was not compared, so never "unverändert"
    assert scan.startswith("SIEGEL ECHT – ANGABEN MIT DEM PAPIER VERGLEICHEN")
    assert "UNVERÄNDERT" not in scan
    assert "Anschrift (Hauptwohnung): Weidenauer Straße 12" in scan and "Doktorgrad: Dr." in scan
    assert "beschädigt oder unvollständig" in said("verify-seal", "truncated.pdf")
    assert "weder Bild noch PDF" in said("verify-seal", "not_a_pdf.pdf")
