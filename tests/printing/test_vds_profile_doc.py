"""docs/vds-profile.md is what an independent decoder is written from: its tables are read here
and held against the bytes of real seals, decoded by hand from the byte layout it describes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.domain.documents import TITLES, DocumentKind
from printing import seal_profile, vds
from sandbox.document_samples import sample_content
from tests.conftest import SealSetup

DOC = (Path(__file__).parents[2] / "docs" / "vds-profile.md").read_text(encoding="utf-8")


def _rows(after: str) -> list[list[str]]:
    """The table rows under the first heading or line that starts with `after`."""
    lines = DOC[DOC.index(after) :].splitlines()
    table: list[list[str]] = []
    for line in lines:
        if line.startswith("|"):
            cells = [cell.strip().strip("`") for cell in line.strip("|").split("|")]
            if not set(cells[0]) <= set("-:"):
                table.append(cells)
        elif table:
            break
    return table[1:]  # without the header row


def _tlvs(data: bytes, start: int) -> list[tuple[int, bytes]]:
    """The message zone as the page describes it: tag, DER length, value."""
    out, position = [], start
    while position < len(data):
        tag, first = data[position], data[position + 1]
        position += 2
        if first & 0x80:
            size = first & 0x7F
            length = int.from_bytes(data[position : position + size], "big")
            position += size
        else:
            length = first
        out.append((tag, data[position : position + length]))
        position += length
    return out


def test_document_types_match() -> None:
    documented = {int(code, 16): name for code, name in _rows("| document type |")}
    assert set(documented) == set(seal_profile.KINDS_BY_TYPE)
    for code, kind in seal_profile.KINDS_BY_TYPE.items():
        assert documented[code].startswith(TITLES[kind])


def test_fact_tags_match() -> None:
    for kind, labels in seal_profile.FACT_LABELS.items():
        heading = f"### {TITLES[kind]} (`{seal_profile.DOCUMENT_TYPES[kind]:#04x}`)"
        rows = _rows(heading)
        assert [(int(tag, 16), label) for tag, label in rows] == [
            (seal_profile.FIRST_FACT_TAG + index, label) for index, label in enumerate(labels)
        ]


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_real_seal_bytes_are_as_documented(seal: SealSetup, kind: DocumentKind) -> None:
    content = sample_content(kind)
    data = seal.maker.printed_seal(content)
    assert data[0] == 0xDC and data[1] == 0x03  # magic, version 4
    assert vds.c40_decode(data[2:4]) == "D  "  # 'D<<', the filler encoded as a space
    (symbol,) = vds.split(data)
    unsigned = symbol.signed_bytes
    # version 4 signer: 'DESI', the reference's length as two hex digits, the reference (C40)
    start = vds.c40_decode(data[4:8])
    assert start[:4] == "DESI"
    signer_characters = 6 + int(start[4:6], 16)
    header_end = 4 + (signer_characters + 2) // 3 * 2 + 3 + 3 + 2
    assert unsigned[header_end - 2] == 0xE2  # "feature-definition reference | 0xE2"
    assert unsigned[header_end - 1] == seal_profile.DOCUMENT_TYPES[kind]
    # issue date as MMDDYYYY read as a 3-byte number
    issue = int(content.issued_on.strftime("%m%d%Y")).to_bytes(3, "big")
    assert unsigned[header_end - 8 : header_end - 5] == issue
    tlvs = dict(_tlvs(unsigned, header_end))
    assert tlvs[0x01] == content.number.encode()
    assert tlvs[0x02] == content.holder_family_name.encode()
    assert tlvs[0x04] == int(content.holder_birth_date.strftime("%m%d%Y")).to_bytes(3, "big")
    labels = {label: int(tag, 16) for tag, label in _rows(f"### {TITLES[kind]} (")}
    for label, value in content.facts:  # every printed row, UTF-8 exactly as printed
        assert tlvs[labels[label]] == value.encode()
    if kind is DocumentKind.BEWOHNERPARKAUSWEIS:
        assert re.fullmatch(rb"\d\d\.\d\d\.\d{4}", tlvs[labels["Gültig bis"]])
    if kind is DocumentKind.ABLEHNUNGSBESCHEID:
        import hashlib

        grounds = " ".join(content.reasons.split())
        expected = hashlib.sha256(f"Begründung={grounds}".encode()).digest()[:16]
        assert tlvs[0x06] == expected
    else:
        assert 0x06 not in tlvs
    # signature zone: 0xFF, length, r‖s of a P-256 key
    assert data[len(unsigned)] == 0xFF and data[len(unsigned) + 1] == 64
    assert len(data) == len(unsigned) + 2 + 64
