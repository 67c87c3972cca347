"""`buergerbuero verify` and `verify-seal` as a clerk or a citizen would run them."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from app.domain.documents import DocumentKind
from printing import datamatrix, layout, rasterize, verify
from printing.templates import TEMPLATES
from sandbox.document_samples import sample_content
from tests.conftest import SealSetup

FORGED = "Fälscherweg 1, 57072 Siegen"


def _run(*arguments: str) -> subprocess.CompletedProcess[str]:
    tool = Path(sys.executable).with_name("buergerbuero")
    return subprocess.run(
        [str(tool), *arguments], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def files(seal: SealSetup, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("verify")
    made = seal.maker.make(sample_content(DocumentKind.BEWOHNERPARKAUSWEIS))
    trust = folder / "vertrauensliste.json"
    trust.write_text(seal.trust.to_json(), encoding="utf-8")
    pdf = folder / "parkausweis.pdf"
    pdf.write_bytes(made.pdf)
    damaged = bytearray(made.pdf)
    damaged[len(damaged) // 4] ^= 0x20
    bad = folder / "geaendert.pdf"
    bad.write_bytes(bytes(damaged))
    photo = folder / "foto.png"
    datamatrix.render(made.seal, module_pixels=6).rotate(7, expand=True, fillcolor=255).save(photo)
    blank = folder / "leer.png"
    datamatrix.render(b"x").crop((0, 0, 5, 5)).save(blank)
    return {"trust": trust, "pdf": pdf, "bad": bad, "photo": photo, "blank": blank}


def test_verify_pdf(files: dict[str, Path]) -> None:
    good = _run("verify", str(files["pdf"]), "--trust-list", str(files["trust"]))
    assert good.returncode == 0, good.stderr
    assert good.stdout.startswith("ECHT UND UNVERÄNDERT")
    assert "Dienstsiegel: Stadt Siegen Dienstsiegel" in good.stdout
    bad = _run("verify", str(files["bad"]), "--trust-list", str(files["trust"]))
    assert bad.returncode == 1
    assert bad.stdout.startswith("NICHT ECHT")


def test_verify_seal_from_a_photo_a_pdf_and_hex(files: dict[str, Path], seal: SealSetup) -> None:
    photo = _run("verify-seal", str(files["photo"]), "--trust-list", str(files["trust"]))
    assert photo.returncode == 0, photo.stdout + photo.stderr
    # the printed seal proves its facts, not the page: never "unverändert" from a picture
    assert photo.stdout.startswith(
        "SIEGEL ECHT – ANGABEN MIT DEM PAPIER VERGLEICHEN: 2D-Siegel gültig. Bewohnerparkausweis"
    )
    assert "UNVERÄNDERT" not in photo.stdout
    assert "SI-ÖK 123" in photo.stdout
    from_pdf = _run("verify-seal", str(files["pdf"]), "--trust-list", str(files["trust"]))
    assert from_pdf.returncode == 0
    printed = seal.maker.printed_seal(sample_content(DocumentKind.GEBURTSURKUNDE))
    as_hex = _run("verify-seal", "--hex", printed.hex(), "--trust-list", str(files["trust"]))
    assert as_hex.returncode == 0 and "Geburtsurkunde" in as_hex.stdout
    forged = bytearray(printed)
    forged[-1] ^= 1
    refused = _run("verify-seal", "--hex", forged.hex(), "--trust-list", str(files["trust"]))
    assert refused.returncode == 1 and refused.stdout.startswith("NICHT ECHT")
    assert "Was tun: das Dokument nicht als Original annehmen" in refused.stdout


def test_a_forged_printout_says_the_seal_is_genuine_but_the_text_differs(
    seal: SealSetup, files: dict[str, Path], tmp_path: Path
) -> None:
    """The page reprinted with another plate and address around the genuine seal, scanned:
    the seal alone would say 'genuine'; the page's text read by Tesseract says otherwise."""
    content = sample_content(DocumentKind.BEWOHNERPARKAUSWEIS)
    seals = tuple(verify.seals_in_pdf(seal.maker.make(content).pdf))
    changed = replace(
        content,
        facts=tuple(
            (label, {"Amtliches Kennzeichen": "SI-AB 999", "Anschrift": FORGED}.get(label, value))
            for label, value in content.facts
        ),
    )
    forged, _ = layout.render(changed, seals, TEMPLATES[changed.kind](changed, seals))
    for name, pdf in (("forged.png", forged), ("genuine.png", seal.maker.make(content).pdf)):
        page = next(rasterize.pages(pdf, dpi=200, grayscale=True))
        page.save(tmp_path / name)

    result = _run("verify-seal", str(tmp_path / "forged.png"), "--trust-list", str(files["trust"]))
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith(
        "SIEGEL ECHT, ABER DER TEXT WEICHT AB: Amtliches Kennzeichen, Anschrift: 2D-Siegel gültig."
    )
    assert "SI-ÖK 123" in result.stdout  # what the seal says, to hold against the paper
    assert "Was tun: das Dokument nicht als Original annehmen" in result.stdout

    genuine = _run(
        "verify-seal", str(tmp_path / "genuine.png"), "--trust-list", str(files["trust"])
    )
    assert genuine.returncode == 0, genuine.stdout
    assert genuine.stdout.startswith("SIEGEL ECHT – ANGABEN MIT DEM PAPIER VERGLEICHEN")
    assert "6 von 6 Angaben gefunden, keine weicht ab" in genuine.stdout

    # a seat without Tesseract (the MSI ships none): the seal's answer, and the reason
    without = subprocess.run(
        [
            str(Path(sys.executable).with_name("buergerbuero")),
            "verify-seal",
            str(tmp_path / "forged.png"),
            "--trust-list",
            str(files["trust"]),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PATH": str(Path(sys.executable).parent)},
    )
    assert without.returncode == 0, without.stdout + without.stderr
    assert (
        "Text nicht automatisch verglichen: Texterkennung (Tesseract) nicht installiert"
        in without.stdout
    )


def test_clear_errors_when_nothing_can_be_checked(files: dict[str, Path]) -> None:
    nothing = _run("verify-seal", str(files["blank"]), "--trust-list", str(files["trust"]))
    assert nothing.returncode == 2 and "kein 2D-Siegel gefunden" in nothing.stdout
    no_list = _run("verify", str(files["pdf"]), "--trust-list", "/nonexistent.json")
    assert no_list.returncode == 2 and "Vertrauensliste" in no_list.stderr
    not_hex = _run("verify-seal", "--hex", "zz", "--trust-list", str(files["trust"]))
    assert not_hex.returncode == 2
