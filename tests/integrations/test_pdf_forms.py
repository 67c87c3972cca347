"""The PDF form channel: a generated form, filled like a citizen would (pypdf), imported from a
folder into a case; bad ones to the quarantine; the same file twice only once."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from app.domain.cases import Channel, PaymentState
from app.domain.errors import DomainError
from app.domain.identity import IdentityLevel
from app.domain.inbox import InboxQuery
from app.domain.intake import FilledForm, SettleReason
from app.integrations.pdf_forms import read_form
from app.services.form_import import DONE, QUARANTINE
from app.store.intake import SqlIntakeStore
from app.wiring import Core
from printing.application_forms import render_application_form
from sandbox import paper_forms
from tests.integrations.conftest import run_import as shared_run_import


def filled_form(core: Core, service_id: str, values: dict[str, str]) -> bytes:
    return paper_forms.filled_form(core.catalogue, service_id, values)


def run_import(core: Core, folder: Path) -> Any:
    return shared_run_import(core, folder, read_form)


def test_every_service_has_a_form_whose_fields_match_the_catalogue(core: Core) -> None:
    for service in core.catalogue.services:
        blank = render_application_form(core.catalogue, service)
        fields = set(PdfReader(io.BytesIO(blank)).get_fields() or {})
        expected = {spec.name for spec in core.catalogue.form_fields(service.id)}
        assert expected | {"bb_service", "bb_catalogue_version"} == fields
        assert read_form(blank) == FilledForm(service.id, {})


def test_filled_form_becomes_a_case_and_bad_ones_are_quarantined(
    core: Core, tmp_path: Path, staff: Any
) -> None:
    good = filled_form(
        core,
        "bewohnerparkausweis",
        {**paper_forms.PARKING_APPLICATION, "email": "j.schaefer@example.org"},
    )
    bad = filled_form(core, "bewohnerparkausweis", {"family_name": "Schäfer", "plate": "XX"})
    (tmp_path / "antrag-1.pdf").write_bytes(good)
    (tmp_path / "antrag-2.pdf").write_bytes(bad)
    (tmp_path / "scan-3.pdf").write_bytes(b"not a pdf at all")
    result = run_import(core, tmp_path)
    assert len(result.imported) == 1 and len(result.quarantined) == 2
    [row] = core.desk.inbox_page(InboxQuery(channel=Channel.PDF_FORM), offset=0, limit=5)
    case = core.cases.get(row.id)
    assert case.applicant.family_name == "Schäfer" and case.data["plate"] == "SI-XY 815"
    assert case.identity_verified is IdentityLevel.NONE and case.payment is PaymentState.OPEN
    assert case.fee_cents == 3000
    assert [a.filename for a in core.cases.attachments(case.id)] == ["antrag-1.pdf"]
    problems = {r.problem for r in SqlIntakeStore(core.database).quarantined(offset=0, limit=5)}
    assert problems == {"data-schema-violation", "syntax-violation"}
    assert sorted(p.name for p in (tmp_path / DONE).iterdir()) == ["antrag-1.pdf"]
    assert sorted(p.name for p in (tmp_path / QUARANTINE).iterdir()) == [
        "antrag-2.pdf",
        "scan-3.pdf",
    ]
    (tmp_path / "antrag-1-again.pdf").write_bytes(good)  # the same form mailed twice
    again = run_import(core, tmp_path)
    assert again.duplicates == ["antrag-1-again.pdf"] and not again.imported
    assert core.desk.inbox_count(InboxQuery(channel=Channel.PDF_FORM)) == 1


def test_a_settled_quarantine_entry_leaves_the_list_and_is_kept(
    core: Core, tmp_path: Path, staff: Any
) -> None:
    (tmp_path / "scan-1.pdf").write_bytes(b"not a pdf at all")
    run_import(core, tmp_path)
    store = SqlIntakeStore(core.database)
    [record] = store.quarantined(offset=0, limit=5)
    now = core.clock.now()
    store.settle_quarantined(
        record.submission_id, actor="m.krause", reason=SettleReason.NOT_AN_APPLICATION, at=now
    )
    assert store.quarantined(offset=0, limit=5) == []
    assert store.raw(record.submission_id) == b"not a pdf at all"  # nothing is lost
    with pytest.raises(DomainError) as again:  # a colleague settled it a moment earlier
        store.settle_quarantined(
            record.submission_id, actor="a.other", reason=SettleReason.CASE_RECORDED, at=now
        )
    assert again.value.key == "quarantine.not_listed"
    (tmp_path / "scan-1-again.pdf").write_bytes(b"not a pdf at all")
    assert run_import(core, tmp_path).duplicates == ["scan-1-again.pdf"]  # still known
    assert [
        (r.entry.actor, r.entry.detail)
        for r in core.audit.records()
        if r.entry.action == "intake.quarantine_settled"
    ] == [("m.krause", "not-an-application")]
    assert core.audit.verify() == []
