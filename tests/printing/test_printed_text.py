"""A scan's printed text against its seal (printing/printed_text.py, Tesseract with German
data): a document of each table shape, as printed, agrees with its seal row by row; the same
page reprinted with one fact changed around the genuine seal names exactly that fact."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.domain.documents import DocumentContent, DocumentKind
from printing import layout, printed_text, rasterize, seal_profile, vds, verify
from printing.templates import TEMPLATES
from sandbox.document_samples import sample_content
from tests.conftest import SealSetup


def _reading(pdf: bytes) -> seal_profile.SealReading:
    parts = [seal_profile.part_of(s) for data in verify.seals_in_pdf(pdf) for s in vds.split(data)]
    return seal_profile.read(list({(p.number, p.part): p for p in parts}.values()))


def _scan_text(pdf: bytes) -> str:
    return printed_text.page_text(next(rasterize.pages(pdf, dpi=200, grayscale=True)))


def _forged(content: DocumentContent, seals: tuple[bytes, ...]) -> tuple[bytes, str]:
    """The page printed anew with its first worded fact changed, the genuine seal kept."""
    label = next(label for label, value in content.facts if len(value) > 3)
    facts = tuple((row, "Erika Mustermann" if row == label else v) for row, v in content.facts)
    changed = replace(content, facts=facts)
    pdf, _ = layout.render(changed, seals, TEMPLATES[changed.kind](changed, seals))
    return pdf, label


# a table with short and long rows, one whose labels differ by a word ("Ehegatte 1" and
# "Ehegatte 2", "Tag der" and "Ort der"), one with a dash for "none" (Doktorgrad) and long
# addresses; the other kinds share their layouts (docs/documents/)
KINDS = (
    DocumentKind.BEWOHNERPARKAUSWEIS,
    DocumentKind.EHEURKUNDE,
    DocumentKind.MELDEBESCHEINIGUNG_ERWEITERT,
)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.value)
def test_each_kind_agrees_as_printed_and_names_the_changed_fact(
    seal: SealSetup, kind: DocumentKind
) -> None:
    content = sample_content(kind)
    original = seal.maker.make(content).pdf
    reading = _reading(original)
    genuine = printed_text.compare(reading, _scan_text(original))
    assert genuine.differing == ()
    assert genuine.compared == tuple(label for label, _ in reading.facts)

    forged, label = _forged(content, tuple(verify.seals_in_pdf(original)))
    assert printed_text.compare(reading, _scan_text(forged)).differing == (label,)


def test_too_little_text_is_not_a_verdict(seal: SealSetup) -> None:
    reading = _reading(seal.maker.make(sample_content(DocumentKind.MELDEBESCHEINIGUNG)).pdf)
    assert not printed_text.compare(reading, "Familienname Müller-Lüdenscheidt").enough
    assert not printed_text.compare(reading, "").enough


def test_a_table_read_column_by_column_is_not_called_a_forgery(seal: SealSetup) -> None:
    """OCR sometimes reads a table's labels, then its values: nothing beside a label, and
    nearly nothing agreeing, is 'not compared', never 'the text differs'."""
    reading = _reading(seal.maker.make(sample_content(DocumentKind.MELDEBESCHEINIGUNG)).pdf)
    labels = "\n".join(label for label, _ in reading.facts)
    values = "\n".join(value for _, value in reading.facts)
    assert not printed_text.compare(reading, f"{labels}\n\n{values}").enough
    shifted = "\n".join(  # each label beside the next row's value
        f"{label} {value}"
        for (label, _), (_, value) in zip(
            reading.facts, [*reading.facts[1:], reading.facts[0]], strict=True
        )
    )
    assert not printed_text.compare(reading, shifted).enough
