"""The case page's controller: opens a case on the database lane, offers what the domain says
the clerk may do (app.domain.cases.available_actions), runs each action from the table in
ui.case_actions, and reports results and errors. The layout is ui.case_view's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from app.domain.cases import Case, CaseAction, available_actions
from app.domain.documents import IssuedDocument
from app.domain.errors import DatabaseUnavailable, DomainError
from app.domain.users import Office, User
from app.lanes import Lane
from app.services.desk import CaseDesk, CaseDetails, FormInvalid
from app.services.documents import RegisterForm
from app.services.outbox import SendReport
from ui.attachment_viewer import AttachmentViewer, DecodedAttachment, decode_attachment
from ui.case_actions import COMMANDS
from ui.case_view import CaseView
from ui.data_entry_dialog import DataEntryDialog
from ui.dialogs import AskCitizenDialog
from ui.document_controller import DocumentController
from ui.i18n import error_text, fault_text, status_text, tr
from ui.identity_controller import IdentityController
from ui.operations import Operation
from ui.tasks import TaskRunner

T = TypeVar("T")


class CasePage(QObject):
    """`shown(id)` once a case is on screen; `changed()` after an action stored something (the
    inbox reloads); `message(text)` for the status bar; `failed(error, retry)` for the shell."""

    shown = Signal(int)
    changed = Signal()
    message = Signal(str)
    failed = Signal(object, object)  # error, retry callable or None
    refused = Signal(str)  # a rule refused what the clerk asked for
    attachment_shown = Signal(object)
    dialog_opened = Signal(object)

    def __init__(
        self,
        *,
        desk: CaseDesk,
        view: CaseView,
        runner: TaskRunner,
        user: Callable[[], User],
        staff: Callable[[], list[User]],
        offices: Callable[[], list[Office]],
        documents: DocumentController | None,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.desk, self.view, self.runner = desk, view, runner
        self._user, self._staff, self._offices = user, staff, offices
        self.documents = documents
        self._parent = parent
        self.identity = IdentityController(runner=runner, desk=desk, parent=parent)
        self.identity.recorded.connect(self._identity_recorded)
        self.case_id: int | None = None
        self.active_dialog: QDialog | None = None
        view.set_documents_enabled(documents is not None)
        view.action_requested.connect(self.act)
        view.note_requested.connect(self.add_note)
        view.attachment_requested.connect(self.open_attachment)
        view.document_requested.connect(lambda _document_id: self.print_original())
        if documents is not None:
            documents.documents_loaded.connect(self._documents_loaded)
            documents.register_loaded.connect(self._register_loaded)
            view.register_requested.connect(documents.open_register)
            documents.printed.connect(lambda case_id, _record: self._reload_if_shown(case_id))
            documents.failed.connect(self._say)

    # --- showing ------------------------------------------------------------------------------

    def show_case(self, case_id: int) -> None:
        self.case_id = case_id
        user, desk = self._user(), self.desk
        self._run(
            lambda: desk.open_case(user=user, case_id=case_id),
            self._details_loaded,
            self._open_failed,
        )

    def _open_failed(self, error: BaseException) -> None:
        """A case that cannot be opened (gone, not allowed) is taken off the screen; it is
        never reloaded from here, which would only fail again."""
        if isinstance(error, DomainError):
            self.case_id = None
            self.view.clear()
            self._refused(error)
            return
        self.failed.emit(error, self.reload)

    def reload(self) -> None:
        if self.case_id is not None:
            self.show_case(self.case_id)

    def _reload_if_shown(self, case_id: int) -> None:
        self.changed.emit()
        if case_id == self.case_id:
            self.show_case(case_id)

    def clear(self) -> None:
        self.case_id = None
        self.view.clear()

    def _details_loaded(self, details: CaseDetails) -> None:
        if details.case.id != self.case_id:
            return  # the clerk has moved on meanwhile
        user = self._user()
        office = next((o.name for o in self._offices() if o.id == details.case.office_id), "?")
        actions = available_actions(details.case, user)
        why_not: dict[CaseAction, str] = {}
        if not self.desk.can_ask_citizen:
            actions -= {CaseAction.ASK}
            why_not[CaseAction.ASK] = tr("ask.no_mail")
        elif not details.case.applicant.email:
            why_not[CaseAction.ASK] = tr("ask.no_email")
        self.view.show_message("")
        self.view.show_details(details, office, actions, why_not)
        if self.documents is not None:
            self.documents.load(details.case.id)
        self.shown.emit(details.case.id)

    def _register_loaded(self, case_id: int, form: RegisterForm) -> None:
        if case_id == self.case_id:
            self.view.show_register(form)

    def _documents_loaded(self, case_id: int, documents: list[IssuedDocument]) -> None:
        if case_id == self.case_id:
            self.view.show_documents(documents)

    def _say(self, text: str) -> None:
        """On the case and in the status bar."""
        self.view.show_message(text)
        self.message.emit(text)

    # --- acting -------------------------------------------------------------------------------

    def act(self, action: CaseAction) -> None:
        if action is CaseAction.PRINT:
            self.print_original()
        elif action is CaseAction.ASK:
            self.ask_citizen()
        elif action is CaseAction.ENTER_DATA:
            self.enter_data()
        elif action is CaseAction.IDENTITY:
            self.verify_identity()
        else:
            self._command(action)

    def _command(self, action: CaseAction) -> None:
        command = COMMANDS[action]
        use_case = command.run(self.desk)
        then = self.print_original if action is CaseAction.APPROVE and self.documents else None
        if command.dialog is None:
            self._store(lambda user, case_id: use_case(user=user, case_id=case_id), then=then)
            return
        details = self.view.details
        if details is None:
            return
        dialog = command.dialog(self._parent, self._staff(), details.case)

        def confirmed() -> None:
            values = command.values(dialog)
            self._store(
                lambda user, case_id: use_case(user=user, case_id=case_id, **values), then=then
            )

        self._ask(dialog, confirmed)

    def _store(
        self,
        work: Callable[[User, int], object],
        done_text: Callable[[], str] | None = None,
        then: Callable[[], None] | None = None,
    ) -> None:
        """Run a use case on the shown case, then show it again and reload the inbox."""
        case_id = self.case_id
        if case_id is None:
            return
        user, desk = self._user(), self.desk

        def call() -> CaseDetails:
            work(user, case_id)
            return desk.open_case(user=user, case_id=case_id)

        def done(details: CaseDetails) -> None:
            self._details_loaded(details)
            case = details.case
            self.message.emit(
                done_text()
                if done_text
                else tr(
                    "saved.transition", reference=case.reference, status=status_text(case.status)
                )
            )
            self.changed.emit()
            if then is not None:
                then()

        retry = lambda: self._store(work, done_text, then)  # noqa: E731
        self._run(call, done, lambda error: self._action_failed(error, retry))

    def _action_failed(self, error: BaseException, retry: Callable[[], None]) -> None:
        if isinstance(error, DomainError):
            self._refused(error)
            self.reload()  # the case as it is now (somebody else may have changed it)
            return
        self.failed.emit(error, retry)

    def _ask(self, dialog: QDialog, then: Callable[[], None]) -> None:
        """Open a dialog window-modally without blocking the event loop; act on OK."""
        self.active_dialog = dialog
        dialog.accepted.connect(then)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.dialog_opened.emit(dialog)

    def ask_citizen(self) -> None:
        """Record on the database lane (the mail in the outbox), send on the network lane."""
        dialog, desk = AskCitizenDialog(self._parent), self.desk

        def confirmed() -> None:
            text, case_id, user = dialog.text(), self.case_id, self._user()
            if case_id is None:
                return

            def recorded(sent: SendReport | None) -> None:
                self.reload()
                self.changed.emit()
                queued = sent is not None and sent.waiting > 0
                self.message.emit(tr("saved.question_queued" if queued else "saved.question"))

            (
                Operation.on(
                    self.runner,
                    Lane.DATABASE,
                    lambda: desk.prepare_question(user=user, case_id=case_id, question=text),
                )
                .then(Lane.DATABASE, desk.record_question)
                .then(Lane.NETWORK, desk.send_outbox)
                .success(recorded)
                .failure(self._ask_failed)
                .run()
            )

        self._ask(dialog, confirmed)

    def verify_identity(self) -> None:
        """The card reader dialog; the case is shown again once a check is recorded."""
        details = self.view.details
        if details is None:
            return
        dialog = self.identity.open(details.case, self._user())
        self.active_dialog = dialog
        self.dialog_opened.emit(dialog)

    def _identity_recorded(self, case: Case) -> None:
        self.reload()
        self.changed.emit()
        self.message.emit(
            tr("saved.transition", reference=case.reference, status=status_text(case.status))
        )

    def enter_data(self) -> None:
        """Type a scanned form's data: the scan (fetched on the database lane, audited;
        decoded on the printing lane) beside the form; stored on the database lane."""
        details, user, desk = self.view.details, self._user(), self.desk
        if details is None or self.case_id is None:
            return
        case = details.case
        scan = next((a for a in details.attachments if a.media_type == "application/pdf"), None)

        def decode(content: bytes) -> None:
            assert scan is not None
            self._run(
                lambda: decode_attachment(scan.filename, scan.media_type, content),
                show,
                lambda _error: show(None),
                lane=Lane.PRINTING,
            )

        def show(decoded: DecodedAttachment | None) -> None:
            office = next(o for o in self._offices() if o.id == case.office_id)
            dialog = DataEntryDialog(
                catalogue=desk.catalogue,
                office=office,
                service_id=case.service_id,
                reference=case.reference,
                scan=decoded,
                today=lambda: desk.clock.now().date(),
                values={"email": case.applicant.email} if case.applicant.email else None,
                parent=self._parent,
            )
            dialog.submitted.connect(lambda _service, form, _office: store(dialog, form))
            self.active_dialog = dialog
            dialog.finished.connect(dialog.deleteLater)
            dialog.open()
            self.dialog_opened.emit(dialog)

        def store(dialog: DataEntryDialog, form: dict[str, str]) -> None:
            def done(changed: Case) -> None:
                dialog.saved()
                self.reload()
                self.changed.emit()
                self.message.emit(tr("saved.data_entry", reference=changed.reference))

            def failed(error: BaseException) -> None:
                if isinstance(error, FormInvalid):
                    dialog.save_failed(tr("walkin.invalid", count=len(error.errors)))
                else:
                    dialog.save_failed(fault_text(error))

            self._run(lambda: desk.enter_data(user=user, case_id=case.id, form=form), done, failed)

        if scan is None:
            show(None)
            return
        self._run(
            lambda: desk.attachment_content(user=user, case_id=case.id, attachment_id=scan.id),
            decode,
            lambda _error: show(None),
        )

    def _ask_failed(self, error: BaseException) -> None:
        if isinstance(error, DatabaseUnavailable):
            self.failed.emit(error, None)
            return
        self._refused(error)

    def _refused(self, error: BaseException) -> None:
        """What was refused, on the case, in the status bar and for whoever listens."""
        text = error_text(error)
        self._say(text)
        self.refused.emit(text)

    def add_note(self, text: str) -> None:
        def saved() -> str:
            self.view.note_editor.clear()  # only once stored: a failed save keeps the text
            return tr("saved.note")

        desk = self.desk
        self._store(
            lambda user, case_id: desk.add_note(user=user, case_id=case_id, text=text), saved
        )

    def open_attachment(self, attachment_id: int) -> None:
        """Fetch it on the database lane (audited), decode it on the printing lane, show it."""
        case_id, user, desk = self.case_id, self._user(), self.desk
        details = self.view.details
        if case_id is None or details is None:
            return
        info = next((a for a in details.attachments if a.id == attachment_id), None)
        if info is None:
            return

        def decode(content: bytes) -> None:
            self._run(
                lambda: decode_attachment(info.filename, info.media_type, content),
                show,
                lambda error: self.view.show_message(error_text(error)),
                lane=Lane.PRINTING,
            )

        def show(decoded: Any) -> None:
            viewer = AttachmentViewer(decoded, self._parent)
            self.active_dialog = viewer
            viewer.open()
            self.attachment_shown.emit(viewer)

        self._run(
            lambda: desk.attachment_content(
                user=user, case_id=case_id, attachment_id=attachment_id
            ),
            decode,
            lambda error: self.failed.emit(error, None),
        )

    def print_original(self) -> None:
        """Approve → preview → print: issue (or take) the original, show it, print it."""
        if self.documents is not None and self.case_id is not None:
            self.message.emit(tr("print.preparing"))
            self.documents.print_case(self.case_id)

    def _run(
        self,
        work: Callable[[], T],
        on_success: Callable[[T], None],
        on_failure: Callable[[BaseException], None],
        lane: Lane = Lane.DATABASE,
    ) -> None:
        (Operation.on(self.runner, lane, work).success(on_success).failure(on_failure).run())
