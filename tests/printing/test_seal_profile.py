"""The printed seal carries every fact in clear (a second symbol where one is too small), the
rejection notice's grounds as a digest recomputed from the text layer, and is trusted only within
the period the trust list names."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from dataclasses import replace
from pathlib import Path

import pypdfium2
import pytest

from app.domain.documents import DocumentKind
from printing import layout, seal_profile, vds, verify
from printing.templates import TEMPLATES
from printing.trust_list import TrustList, TrustListError
from sandbox.document_samples import sample_content
from tests.conftest import SealSetup

MANY_ADDRESSES = "; ".join(
    f"Hauptstraße {n}, 5707{n % 10} Siegen (bis 31.12.20{n:02d})" for n in range(1, 9)
)


def _long_extended_certificate():  # type: ignore[no-untyped-def]
    content = sample_content(DocumentKind.MELDEBESCHEINIGUNG_ERWEITERT)
    facts = tuple(
        (label, MANY_ADDRESSES if label == "Frühere Anschriften" else value)
        for label, value in content.facts
    )
    return replace(content, facts=facts)


def test_facts_too_many_for_one_symbol_go_into_a_second(seal: SealSetup, tmp_path: Path) -> None:
    content = _long_extended_certificate()
    made = seal.maker.make(content)
    symbols = vds.split(made.seal)
    assert len(symbols) == 2
    assert all(len(symbol.encode()) <= seal_profile.SYMBOL_BYTES for symbol in symbols)
    found = verify.seals_in_pdf(made.pdf)  # read off a 200 dpi rendering, as a scanner would
    checked = verify.check_seals(found, seal.trust)
    assert checked.ok, checked.message
    assert checked.reading is not None and checked.reading.facts == content.facts
    # independent tools: poppler renders the page, dmtx-utils reads both symbols off it
    page = tmp_path / "page"
    (tmp_path / "long.pdf").write_bytes(made.pdf)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-gray", "-png", "-singlefile", tmp_path / "long.pdf", page],
        check=True,
    )
    read = subprocess.run(
        ["dmtxread", "-N", "2", "-m", "60000", f"{page}.png"], capture_output=True, check=True
    ).stdout
    assert {s.encode() for s in vds.split(read)} == {s.encode() for s in symbols}
    # one part alone cannot be checked: the other facts would be missing
    alone = verify.check_seals([symbols[0].encode()], seal.trust)
    assert alone.answer is verify.Answer.CANNOT_CHECK and "Teil 2 von 2" in alone.message


def test_parts_of_two_documents_do_not_make_one(seal: SealSetup) -> None:
    first = vds.split(seal.maker.make(_long_extended_certificate()).seal)
    other = replace(_long_extended_certificate(), number="2026-000043")
    second = vds.split(seal.maker.make(other).seal)
    mixed = verify.check_seals([first[0].encode(), second[1].encode()], seal.trust)
    assert mixed.answer is verify.Answer.NOT_AUTHENTIC
    assert "verschiedener Dokumente" in mixed.message


def test_what_does_not_fit_two_symbols_is_refused(seal: SealSetup) -> None:
    content = _long_extended_certificate()
    facts = tuple(
        (label, MANY_ADDRESSES * 4 if label == "Frühere Anschriften" else value)
        for label, value in content.facts
    )
    with pytest.raises(seal_profile.SealCapacityError):
        seal.maker.make(replace(content, facts=facts))


def test_grounds_digest_is_recomputed_from_the_text_layer(seal: SealSetup, tmp_path: Path) -> None:
    content = sample_content(DocumentKind.ABLEHNUNGSBESCHEID)
    long_grounds = "\n\n".join(
        f"{n}. Die Hauptwohnung liegt außerhalb der Zone A; vorgelegt wurde nur ein Mietvertrag "
        "für die Nebenwohnung & die Meldebestätigung fehlt."
        for n in range(1, 40)
    )
    content = replace(content, reasons=long_grounds)
    made = seal.maker.make(content)
    assert made.pages >= 2  # the grounds run over a page break
    sealed = tmp_path / "bescheid.pdf"
    sealed.write_bytes(made.pdf)
    assert verify.report_file(sealed, seal.trust).authentic is True

    # other grounds under the same printed seal: caught from the text layer
    seals = tuple(verify.seals_in_pdf(made.pdf))
    changed = replace(content, reasons=long_grounds.replace("Zone A", "Zone B"))
    forged, _ = layout.render(changed, seals, TEMPLATES[changed.kind](changed, seals))
    path = tmp_path / "anders.pdf"
    path.write_bytes(forged)
    report = verify.report_file(path, seal.trust)
    assert report.authentic is False and "Abweichend vom 2D-Siegel: Begründung" in report.text

    # a scan says plainly that the grounds are not covered
    scan = tmp_path / "scan.png"
    page = pypdfium2.PdfDocument(made.pdf)[0]
    page.render(scale=200 / 72, grayscale=True).to_pil().save(scan)
    scanned = verify.report_file(scan, seal.trust)
    assert scanned.authentic is True
    assert "Nicht geprüft: »Begründung« steht im Siegel nur als Prüfwert" in scanned.text


def test_a_seal_from_outside_the_listed_period_is_not_authentic(seal: SealSetup) -> None:
    printed = seal.maker.printed_seal(sample_content(DocumentKind.GEBURTSURKUNDE))
    (signer,) = seal.trust.signers
    withdrawn = replace(signer, valid_until=dt.date.today() - dt.timedelta(days=1))
    trust = replace(seal.trust, signers=(withdrawn,))
    checked = verify.check_seal(printed, trust)
    assert checked.answer is verify.Answer.NOT_AUTHENTIC
    assert "außerhalb des Zeitraums" in checked.message
    reloaded = TrustList.from_json(trust.to_json())
    assert reloaded.signers[0].last_day == withdrawn.valid_until


def test_a_trust_list_entry_whose_fingerprint_lies_is_refused(seal: SealSetup) -> None:
    document = json.loads(seal.trust.to_json())
    document["signers"][0]["sha256"] = "00" * 32
    with pytest.raises(TrustListError, match="Fingerabdruck"):
        TrustList.from_json(json.dumps(document))


def test_every_fact_label_of_every_document_has_its_tag() -> None:
    for kind in DocumentKind:
        for label, _value in sample_content(kind).facts:
            assert label in seal_profile.FACT_LABELS[kind], (kind, label)
