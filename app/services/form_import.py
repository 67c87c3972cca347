"""The second channel: filled PDF application forms from a scan folder or the forms mailbox
become cases through the same validation; what fails goes to the same quarantine.

Each form is identified by its content hash, so importing it again (scanned and mailed, or
mailed twice, or after a crash between storing and filing) does nothing. Handled files and
messages are moved into folders, never deleted: the case or the quarantine holds the form
before its file or message moves."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from app.domain.cases import (
    CaseEvent,
    CaseStatus,
    Channel,
    NewAttachment,
)
from app.domain.catalogue import Catalogue, Service
from app.domain.errors import DomainError
from app.domain.identity import IdentityLevel
from app.domain.intake import (
    PAPER_PREFIX,
    QUARANTINED,
    FilledForm,
    IntakeRecord,
    Problem,
    ScannedForm,
    UnreadableForm,
)
from app.domain.messages import render
from app.domain.new_case import clean_form, new_case, scanned_case
from app.domain.working_days import WorkingCalendar
from app.lanes import OnLane, in_place
from app.ports import Clock, FormMailbox, FormReader, PaperIntakeStore
from app.services.leases import never_abandoned, take_lease

DONE, QUARANTINE, NO_FORM = "übernommen", "quarantäne", "ohne Antrag"
SCANNED_NOTE = (
    "Das Formular kam als Scan (ein Bild der Seiten): bitte die Angaben vom angehängten Scan "
    "erfassen (Daten erfassen…); erst dann kann entschieden werden."
)
FLATTENED_NOTE = (
    "Die Angaben wurden von den Seiten des Formulars gelesen (es kam ohne Formularfelder, "
    "z. B. als PDF gedruckt): bitte mit dem angehängten Formular vergleichen."
)
LEASE = "forms"
LEASE_SECONDS = 120


@dataclass
class FormImportResult:
    imported: list[str] = field(default_factory=list)  # case references
    quarantined: list[str] = field(default_factory=list)  # file names
    duplicates: list[str] = field(default_factory=list)  # file names
    without_form: int = 0  # messages with no PDF attached, filed under NO_FORM
    busy: bool = False  # another seat holds the lease


class FormImporter:
    def __init__(
        self,
        *,
        read_form: FormReader,
        store: PaperIntakeStore,
        catalogue: Catalogue,
        calendar: WorkingCalendar,
        clock: Clock,
        office_id: int,
        database: OnLane = in_place,
    ) -> None:
        # the import reads files and the mailbox on its own lane; `database` puts each call
        # of `store` on the database lane (in a command, `in_place`)
        self.read_form, self.store, self.catalogue = read_form, store, catalogue
        self.database = database
        self.calendar = calendar
        self.clock, self.office_id = clock, office_id

    def import_folder(
        self, folder: Path, result: FormImportResult | None = None
    ) -> FormImportResult:
        result = result or FormImportResult()
        for path in sorted(folder.glob("*.pdf")):
            outcome = self.take(path.name, path.read_bytes(), result)
            _move(path, folder / outcome)
        return result

    def import_mailbox(
        self, mailbox: FormMailbox, result: FormImportResult | None = None
    ) -> FormImportResult:
        result = result or FormImportResult()
        for message in mailbox.messages():
            pdfs = [file for file in message.files if file.is_pdf]
            # each PDF read once: reading one that is not a form searches its page for a marker
            readings = {id(file): self._read(file.content) for file in pdfs}
            forms = [file for file in pdfs if _is_form(readings[id(file)])]
            if not pdfs:
                result.without_form += 1
                mailbox.file_away(message.key, NO_FORM)
                continue
            # the other files are the proofs sent with the form(s); with no form of ours among
            # the PDFs, each PDF is refused on its own (unreadable, not our form)
            proofs = [
                NewAttachment(file.name, file.media_type, file.content)
                for file in message.files
                if file not in forms
            ]
            outcomes = [
                self.take(
                    file.name,
                    file.content,
                    result,
                    reply_to=message.sender,
                    proofs=proofs,
                    reading=readings[id(file)],
                )
                for file in forms
            ] or [
                self.take(file.name, file.content, result, reading=readings[id(file)])
                for file in pdfs
            ]
            mailbox.file_away(message.key, QUARANTINE if QUARANTINE in outcomes else DONE)
        return result

    def _read(self, content: bytes) -> FilledForm | UnreadableForm:
        try:
            return self.read_form(content)
        except UnreadableForm as unreadable:
            return unreadable

    def take(
        self,
        name: str,
        content: bytes,
        result: FormImportResult,
        *,
        reply_to: str = "",
        proofs: Sequence[NewAttachment] = (),
        reading: FilledForm | UnreadableForm | None = None,
    ) -> str:
        """Store one form as a case or in the quarantine; where its file goes (DONE or
        QUARANTINE). `reading`: what reading the content gave already, if it was read."""
        submission_id = PAPER_PREFIX + hashlib.sha256(content).hexdigest()[:32]
        if self.database(self.store.known, submission_id) is not None:
            result.duplicates.append(name)
            return DONE
        now = self.clock.now()
        problem, detail = None, ""
        form: dict[str, str] = {}
        service_name = ""
        flattened = False
        scanned: Service | None = None
        try:
            filled = self._read(content) if reading is None else reading
            if isinstance(filled, UnreadableForm):
                raise filled
            service_id, form = filled.service_id, clean_form(filled.values)
            flattened = filled.flattened
            service = self.catalogue.service(service_id)
            service_name = service.name_de
            if reply_to and not form.get("email"):
                form["email"] = reply_to  # answer the way the form came
            errors = self.catalogue.validate(service_id, form, today=now.date())
            if errors:
                first = errors[0]
                problem = Problem.DATA_SCHEMA
                # shown to clerks only (no portal to answer): in their language
                detail = f"{first.field}: {render(first.key, 'de', **dict(first.params))}"
        except ScannedForm as picture:
            # ours, but a picture of it: a case whose data a clerk types from the scan
            try:
                scanned = self.catalogue.service(picture.service_id)
                service_name = scanned.name_de
            except (KeyError, ValueError) as error:
                problem, detail = Problem.UNSUPPORTED_SERVICE, str(error)
        except UnreadableForm as error:
            problem, detail = Problem.SYNTAX, str(error)
        except Exception as error:
            problem, detail = Problem.UNSUPPORTED_SERVICE, str(error)
        record = IntakeRecord(
            submission_id=submission_id,
            fit_case_id="",
            state=QUARANTINED if problem else "accepted",
            case_id=None,
            problem=problem.value if problem else "",
            detail=f"{name}: {detail}" if problem else name,
            event_payload="{}",
            event_sent=True,  # nobody to answer: the citizen is told by the clerk
            received_at=now,
            service=service_name,
            applicant=", ".join(
                part for part in (form.get("family_name"), form.get("given_names")) if part
            ),
        )
        if problem is not None:
            self.database(self.store.quarantine, record, content)
            result.quarantined.append(name)
            return QUARANTINE
        if scanned is not None:
            draft = scanned_case(
                service=scanned,
                channel=Channel.PDF_FORM,
                office_id=self.office_id,
                now=now,
                calendar=self.calendar,
                submission_id=submission_id,
                email=reply_to,
                notes=(SCANNED_NOTE,),
            )
        else:
            draft = new_case(
                service=service,
                form=form,
                channel=Channel.PDF_FORM,
                office_id=self.office_id,
                now=now,
                calendar=self.calendar,
                identity_verified=IdentityLevel.NONE,  # a form proves nothing: the counter checks
                submission_id=submission_id,
                notes=(FLATTENED_NOTE,) if flattened else (),
            )
        event = CaseEvent(
            "open", "pdf-form", now, None, CaseStatus.RECEIVED, Channel.PDF_FORM.value
        )
        case = self.database(
            self.store.store_case,
            record,
            draft,
            event,
            [NewAttachment(name, "application/pdf", content), *proofs],
        )
        result.imported.append(case.reference)
        return DONE


def _is_form(reading: FilledForm | UnreadableForm) -> bool:
    """Ours: read, or recognised as a picture of our form (a case to type, not a proof)."""
    return not isinstance(reading, UnreadableForm) or isinstance(reading, ScannedForm)


class PaperChannel:
    """The scan folder and the forms mailbox, as configured, under one lease across seats."""

    def __init__(
        self,
        importer: FormImporter,
        *,
        holder: str,
        folder: Path | None = None,
        open_mailbox: Callable[[], AbstractContextManager[FormMailbox]] | None = None,
        abandoned: Callable[[str], bool] = never_abandoned,
    ) -> None:
        self.importer, self.holder, self.abandoned = importer, holder, abandoned
        self.folder, self.open_mailbox = folder, open_mailbox

    def run_once(self) -> FormImportResult:
        """One import; DomainError when the scan folder or the mailbox cannot be read (what
        was imported before stays imported)."""
        store, database = self.importer.store, self.importer.database
        result = FormImportResult()
        lease = database(
            lambda: take_lease(
                store, LEASE, self.holder, seconds=LEASE_SECONDS, abandoned=self.abandoned
            )
        )
        if not lease.held:
            result.busy = True
            return result
        try:
            if self.folder is not None:
                self._import_folder(self.folder, result)
            if self.open_mailbox is not None:
                with self.open_mailbox() as mailbox:
                    self.importer.import_mailbox(mailbox, result)
        finally:
            database(lambda: store.release_lease(LEASE, self.holder))
        return result

    def _import_folder(self, folder: Path, result: FormImportResult) -> None:
        """A scan folder is often a network share: one that is gone is said, not skipped."""
        try:
            if not folder.is_dir():
                raise FileNotFoundError(folder)
            self.importer.import_folder(folder, result)
        except OSError as error:
            raise DomainError(
                "forms.folder_unavailable", folder=str(folder), detail=type(error).__name__
            ) from error


def import_forms(
    folder: Path,
    *,
    read_form: FormReader,
    store: PaperIntakeStore,
    catalogue: Catalogue,
    calendar: WorkingCalendar,
    clock: Clock,
    office_id: int,
) -> FormImportResult:
    """Import the forms in one folder (`buergerbuero forms import FOLDER`)."""
    importer = FormImporter(
        read_form=read_form,
        store=store,
        catalogue=catalogue,
        calendar=calendar,
        clock=clock,
        office_id=office_id,
    )
    return importer.import_folder(folder)


def _move(path: Path, target_folder: Path) -> None:
    target_folder.mkdir(exist_ok=True)
    path.replace(target_folder / path.name)
