"""Our application form filled by the tools citizens and their software use, not by pypdf:
Debian's pdftk (FDF with a choice as an array, PDFDocEncoding and UTF-16BE text; XFDF) and
MuPDF (PyMuPDF writes the option's display text). Every result imports as the same case."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from app.domain.cases import Channel
from app.domain.inbox import InboxQuery
from app.integrations.pdf_forms import read_form
from app.store.intake import SqlIntakeStore
from app.wiring import Core
from printing.application_forms import render_application_form
from sandbox.paper_forms import scanned_form
from tests.integrations.conftest import run_import

SERVICE = "meldebescheinigung_einfach"
EXPECTED = {
    "family_name": "Müller",
    "given_names": "Jörg Léa",
    "birth_date": "14.03.1985",
    "delivery": "paper",
}

FDF = rb"""%FDF-1.2
1 0 obj
<< /FDF << /Fields [
<< /T (family_name) /V (M\374ller) >>
<< /T (given_names) /V <FEFF004A00F60072006700200020004C00E90061> >>
<< /T (birth_date) /V (14.03.1985) >>
<< /T (delivery) /V [(paper)] >>
] >> >>
endobj
trailer << /Root 1 0 R >>
%%EOF
"""

XFDF = """<?xml version="1.0" encoding="UTF-8"?>
<xfdf xmlns="http://ns.adobe.com/xfdf/" xml:space="preserve"><fields>
<field name="family_name"><value>Müller</value></field>
<field name="given_names"><value>Jörg  Léa</value></field>
<field name="birth_date"><value>14.03.1985</value></field>
<field name="delivery"><value>paper</value></field>
</fields></xfdf>
"""


@pytest.fixture
def blank(core: Core, tmp_path: Path) -> Path:
    path = tmp_path / "blank.pdf"
    path.write_bytes(render_application_form(core.catalogue, core.catalogue.service(SERVICE)))
    return path


def _pdftk(blank: Path, data: Path, out: Path) -> bytes:
    subprocess.run(
        ["pdftk", str(blank), "fill_form", str(data), "output", str(out)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out.read_bytes()


def _mupdf(blank: Path, out: Path) -> bytes:
    import pymupdf

    document = pymupdf.open(str(blank))
    values = {
        "family_name": "Müller",
        "given_names": "Jörg Léa",
        "birth_date": "14.03.1985",
        "delivery": "Papier mit Siegel",  # what MuPDF writes: the option's display text
    }
    for page in document:
        for widget in page.widgets():
            if widget.field_name in values:
                widget.field_value = values[widget.field_name]
                widget.update()
    document.save(str(out))
    return out.read_bytes()


def test_pdftk_fdf_with_an_array_choice_and_both_text_encodings(
    blank: Path, tmp_path: Path
) -> None:
    (tmp_path / "fill.fdf").write_bytes(FDF)
    filled = _pdftk(blank, tmp_path / "fill.fdf", tmp_path / "fdf.pdf")
    form = read_form(filled)
    service, values = form.service_id, form.values
    assert service == SERVICE
    assert {**values, "given_names": " ".join(values["given_names"].split())} == EXPECTED


def test_pdftk_xfdf(blank: Path, tmp_path: Path) -> None:
    (tmp_path / "fill.xfdf").write_text(XFDF, encoding="utf-8")
    form = read_form(_pdftk(blank, tmp_path / "fill.xfdf", tmp_path / "xfdf.pdf"))
    service, values = form.service_id, form.values
    assert service == SERVICE and values["delivery"] == "paper"
    assert values["family_name"] == "Müller"


def test_mupdf_writes_the_display_text(blank: Path, tmp_path: Path) -> None:
    form = read_form(_mupdf(blank, tmp_path / "mupdf.pdf"))
    service, values = form.service_id, form.values
    assert service == SERVICE and values == EXPECTED


def test_every_tool_s_form_becomes_a_case(
    core: Core, blank: Path, tmp_path: Path, staff: Any
) -> None:
    inbox = tmp_path / "scans"
    inbox.mkdir()
    (tmp_path / "fill.fdf").write_bytes(FDF)
    (tmp_path / "fill.xfdf").write_text(XFDF, encoding="utf-8")
    (inbox / "a-fdf.pdf").write_bytes(_pdftk(blank, tmp_path / "fill.fdf", tmp_path / "1.pdf"))
    (inbox / "b-xfdf.pdf").write_bytes(_pdftk(blank, tmp_path / "fill.xfdf", tmp_path / "2.pdf"))
    (inbox / "c-mupdf.pdf").write_bytes(_mupdf(blank, tmp_path / "3.pdf"))
    result = run_import(core, inbox, read_form)
    assert (len(result.imported), result.quarantined) == (3, [])
    rows = core.desk.inbox_page(InboxQuery(channel=Channel.PDF_FORM), offset=0, limit=5)
    cases = [core.cases.get(row.id) for row in rows]
    assert {c.applicant.family_name for c in cases} == {"Müller"}
    assert {c.data["delivery"] for c in cases} == {"paper"}


def test_a_flattened_form_is_read_off_its_page_and_becomes_a_case(
    core: Core, blank: Path, tmp_path: Path, staff: Any
) -> None:
    """pdftk's `flatten` does what a citizen's "print to PDF" does: the fields become page
    content. The marker on every page names the form; the values are read from where the
    fields were, and the case tells the clerk to compare."""
    from app.integrations.pdf_forms import form_reader
    from app.services.form_import import FLATTENED_NOTE

    (tmp_path / "fill.fdf").write_bytes(FDF)
    filled = tmp_path / "filled.pdf"
    _pdftk(blank, tmp_path / "fill.fdf", filled)
    flat = tmp_path / "flat.pdf"
    subprocess.run(["pdftk", str(filled), "output", str(flat), "flatten"], check=True, timeout=120)
    with pytest.raises(Exception, match="service field missing"):
        read_form(flat.read_bytes())  # no fields left
    form = form_reader(core.catalogue)(flat.read_bytes())
    assert form.flattened and form.service_id == SERVICE
    assert {**form.values, "given_names": " ".join(form.values["given_names"].split())} == EXPECTED

    inbox = tmp_path / "scans"
    inbox.mkdir()
    (inbox / "gedruckt.pdf").write_bytes(flat.read_bytes())
    result = run_import(core, inbox, form_reader(core.catalogue))
    assert len(result.imported) == 1 and not result.quarantined
    (row,) = core.desk.inbox_page(InboxQuery(channel=Channel.PDF_FORM), offset=0, limit=5)
    assert [note.text for note in core.cases.notes(row.id)] == [FLATTENED_NOTE]
    assert [a.filename for a in core.cases.attachments(row.id)] == ["gedruckt.pdf"]


def test_a_scan_of_the_paper_form_becomes_a_case_to_type(
    core: Core, tmp_path: Path, staff: Any
) -> None:
    """A picture of the printed form has no text to read: the DataMatrix marker names the
    service, and the scan becomes a case "Daten erfassen" with the scan attached, not a
    quarantine entry. It cannot be approved until a clerk has typed its data; the typed data
    is validated like a filled form and makes the case findable by the applicant's name."""
    from app.domain.errors import TransitionRefused
    from app.domain.identity import IdentityLevel
    from app.integrations.pdf_forms import form_reader, marker_on_scan
    from app.services.desk import FormInvalid
    from app.services.form_import import SCANNED_NOTE

    scan = tmp_path / "scans" / "scan-0001.pdf"
    scan.parent.mkdir()
    scan.write_bytes(scanned_form(core.catalogue, SERVICE, upside_down=True))
    assert marker_on_scan(scan.read_bytes()) == SERVICE
    result = run_import(core, scan.parent, form_reader(core.catalogue))
    assert len(result.imported) == 1 and not result.quarantined
    assert not SqlIntakeStore(core.database).quarantined(offset=0, limit=5)
    (row,) = core.desk.inbox_page(InboxQuery(channel=Channel.PDF_FORM), offset=0, limit=5)
    assert row.needs_data_entry and row.service_id == SERVICE
    assert [note.text for note in core.cases.notes(row.id)] == [SCANNED_NOTE]
    assert [a.filename for a in core.cases.attachments(row.id)] == ["scan-0001.pdf"]

    clerk = staff["clerk"]
    case = core.desk.claim(user=clerk, case_id=row.id)
    assert case.needs_data_entry and case.applicant.birth_date is None
    with pytest.raises(TransitionRefused) as refused:
        core.desk.approve(user=clerk, case_id=row.id)
    assert refused.value.key == "case.data_entry_pending"
    with pytest.raises(FormInvalid) as invalid:
        core.desk.enter_data(user=clerk, case_id=row.id, form={"family_name": "Müller"})
    assert {error.field for error in invalid.value.errors} >= {"given_names", "birth_date"}
    assert core.cases.get(row.id).needs_data_entry  # nothing stored

    entered = core.desk.enter_data(user=clerk, case_id=row.id, form=EXPECTED)
    assert not entered.needs_data_entry
    assert entered.applicant.family_name == "Müller"
    assert entered.applicant.birth_date is not None
    assert entered.applicant.birth_date.isoformat() == "1985-03-14"
    assert entered.fee_cents == core.catalogue.service(SERVICE).fee.compute(EXPECTED)
    (found,) = core.desk.inbox_page(InboxQuery(search="mül jörg"), offset=0, limit=5)
    assert found.id == row.id and not found.needs_data_entry
    assert core.cases.history(row.id)[-1].action == "enter_data"
    with pytest.raises(TransitionRefused):
        core.desk.enter_data(user=clerk, case_id=row.id, form=EXPECTED)  # once only

    core.desk.verify_identity(
        user=clerk,
        case_id=row.id,
        level=IdentityLevel.HIGH,
        method="counter_visual",
        note="Reisepass",
    )
    if entered.fee_cents:
        from app.domain.cases import PaymentState

        core.desk.record_payment(user=clerk, case_id=row.id, state=PaymentState.PAID)
    assert core.desk.approve(user=clerk, case_id=row.id).status.value == "approved"
