"""The second channel: filled PDF application forms from a folder (scans, mail attachments saved
there) become cases through the same validation; what fails goes to the same quarantine.

Each file is identified by its content hash, so importing it again does nothing; imported and
quarantined files are moved into sub-folders, never deleted."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from app.domain.cases import Applicant, CaseEvent, CaseStatus, Channel, initial_payment
from app.domain.catalogue import Catalogue, add_working_days, parse_date
from app.domain.identity import IdentityLevel
from app.domain.intake import IntakeRecord, Problem, UnreadableForm
from app.domain.messages import render
from app.ports import Clock, FormReader, IntakeStore, NewAttachment, NewCase

DONE, QUARANTINE = "übernommen", "quarantäne"
APPLICANT_FIELDS = ("family_name", "given_names", "birth_date", "email")


@dataclass
class FormImportResult:
    imported: list[str] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


def import_forms(
    folder: Path,
    *,
    read_form: FormReader,
    store: IntakeStore,
    catalogue: Catalogue,
    clock: Clock,
    office_id: int,
) -> FormImportResult:
    result = FormImportResult()
    for path in sorted(folder.glob("*.pdf")):
        content = path.read_bytes()
        submission_id = "pdf-" + hashlib.sha256(content).hexdigest()[:32]
        if store.known(submission_id) is not None:
            result.duplicates.append(path.name)
            _move(path, folder / DONE)
            continue
        now = clock.now()
        problem, detail = None, ""
        try:
            service_id, form = read_form(content)
            service = catalogue.service(service_id)
            errors = catalogue.validate(service_id, form, today=now.date())
            if errors:
                first = errors[0]
                problem = Problem.DATA_SCHEMA
                detail = f"{first.field}: {render(first.key, 'en', **dict(first.params))}"
        except UnreadableForm as error:
            problem, detail = Problem.SYNTAX, str(error)
        except Exception as error:
            problem, detail = Problem.UNSUPPORTED_SERVICE, str(error)
        record = IntakeRecord(
            submission_id=submission_id,
            fit_case_id="",
            state="quarantined" if problem else "accepted",
            case_id=None,
            problem=problem.value if problem else "",
            detail=f"{path.name}: {detail}" if problem else path.name,
            event_payload="{}",
            event_sent=True,  # nobody to answer: the citizen is told by the clerk
            received_at=now,
        )
        if problem is not None:
            store.quarantine(record, content)
            result.quarantined.append(path.name)
            _move(path, folder / QUARANTINE)
            continue
        birth_date = parse_date(form["birth_date"])
        assert birth_date is not None
        fee = service.fee.compute(form)
        draft = NewCase(
            office_id=office_id,
            service_id=service_id,
            channel=Channel.PDF_FORM,
            applicant=Applicant(
                form["family_name"], form["given_names"], birth_date, form.get("email", "")
            ),
            form_data=tuple(sorted((k, v) for k, v in form.items() if k not in APPLICANT_FIELDS)),
            identity_required=service.identity_level,
            identity_verified=IdentityLevel.NONE,  # a form proves nothing: checked at the counter
            fee_cents=fee,
            payment=initial_payment(fee),
            received_at=now,
            due_at=add_working_days(now, service.sla_working_days),
            submission_id=submission_id,
        )
        event = CaseEvent(
            "open", "pdf-form", now, None, CaseStatus.RECEIVED, Channel.PDF_FORM.value
        )
        case = store.store_case(
            record, draft, event, [NewAttachment(path.name, "application/pdf", content)]
        )
        result.imported.append(case.reference)
        _move(path, folder / DONE)
    return result


def _move(path: Path, target_folder: Path) -> None:
    target_folder.mkdir(exist_ok=True)
    path.replace(target_folder / path.name)
