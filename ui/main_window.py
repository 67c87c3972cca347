"""The main window: inbox with filters on the left, the case on the right. It is the controller:
it turns clicks into use-case calls on the database lane and shows results and errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.domain.cases import OPEN_STATUSES, CaseStatus, Channel
from app.domain.documents import IssuedDocument, PrintRecord
from app.domain.errors import DomainError
from app.domain.inbox import InboxQuery
from app.domain.users import Office, Role, User
from app.services.desk import CaseDetails, FormInvalid
from app.services.documents import DocumentDesk
from app.services.pull import Pull
from app.services.staff import save_office as save_office_use_case
from app.services.staff import save_user as save_user_use_case
from app.services.staff import sign_in
from app.store.database import DatabaseUnavailable, check_schema
from app.store.intake import SqlIntakeStore
from app.wiring import Core
from printing.trust_list import TrustList, TrustListError
from ui.admin_dialog import AdminDialog
from ui.attachment_viewer import AttachmentViewer
from ui.case_view import CaseView
from ui.dialogs import (
    AskCitizenDialog,
    IdentityDialog,
    PaymentDialog,
    ReassignDialog,
    RejectDialog,
)
from ui.document_controller import DocumentController
from ui.form_dialog import FormDialog
from ui.i18n import channel_text, error_text, language, set_language, status_text, tr
from ui.inbox_model import CASE_ID_ROLE, Column, InboxTableModel
from ui.intake_controller import IntakeController
from ui.tasks import Lane, TaskRunner
from ui.walk_in_dialog import WalkInDialog

T = TypeVar("T")
SEARCH_DELAY_MS = 250
AGE_FILTERS = (1, 2, 7, 30)


@dataclass(frozen=True)
class Startup:
    """What the window needs before the clerk can work, loaded on the database lane."""

    user: User
    offices: list[Office]
    staff: list[User]


def load_startup(core: Core, login: str) -> Startup:
    check_schema(core.database.engine)
    return Startup(sign_in(users=core.users, login=login), core.users.offices(), core.users.users())


def _no_trust_list() -> TrustList:
    raise TrustListError(tr("verify.no_trust_list"))


class MainWindow(QMainWindow):
    """`ready` once signed in and the first page is shown; `startup_failed(error)` otherwise."""

    ready = Signal()
    startup_failed = Signal(object)
    case_shown = Signal(int)
    action_failed = Signal(str)
    attachment_shown = Signal(object)

    def __init__(
        self,
        *,
        core: Core,
        runner: TaskRunner,
        login: str,
        intake: Callable[[], Pull] | None = None,
        documents: DocumentDesk | None = None,
        trust: Callable[[], TrustList] | None = None,
    ) -> None:
        super().__init__()
        self._build_intake = intake
        self.intake: IntakeController | None = None
        self.core = core
        self.runner = runner
        self.login = login
        self.user: User | None = None
        self.offices: list[Office] = []
        self.staff: list[User] = []
        self._selected_case: int | None = None
        self._ready = False
        self._walk_in: WalkInDialog | None = None
        self.active_dialog: QDialog | None = None
        self.setWindowTitle(tr("app.title"))
        self.resize(1500, 900)
        self.documents: DocumentController | None = None
        if documents is not None:
            self.documents = DocumentController(
                runner=runner,
                desk=documents,
                user=self._user,
                printer=core.settings.printer_name,
                trust=trust or _no_trust_list,
                parent=self,
            )
            self.documents.documents_loaded.connect(self._documents_loaded)
            self.documents.printed.connect(self._printed)
            self.documents.failed.connect(self._document_failed)
        self._build()

    # --- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.toolbar = QToolBar("Aktionen")
        self.toolbar.setObjectName("toolbar")
        self.addToolBar(self.toolbar)
        self.new_action = self._action(
            "action.new", QKeySequence.StandardKey.New, self._new_walk_in
        )
        self.refresh_action = self._action(
            "action.refresh", QKeySequence.StandardKey.Refresh, self.refresh
        )
        self.print_action = self._action(
            "action.print", QKeySequence.StandardKey.Print, self.print_original
        )
        self.verify_action = self._action("action.verify", None, self.open_verify)
        self.forms_action = self._action("action.forms", None, self._open_form_dialog)
        for action in (self.print_action, self.verify_action):
            action.setVisible(self.documents is not None)
        self.toolbar.addSeparator()
        self.admin_action = self._action("action.admin", None, self._open_admin)
        self.admin_action.setVisible(False)
        self.language_action = self._action("action.language", None, self.toggle_language)
        if self._build_intake is not None:
            if self.intake is not None:
                self.intake.stop()
            self.intake = IntakeController(
                runner=self.runner,
                build=self._build_intake,
                store=SqlIntakeStore(self.core.database),
                interval_seconds=self.core.settings.intake_interval_seconds,
                parent=self,
                login=self.login,
            )
            self.toolbar.insertAction(self.refresh_action, self.intake.action)
            self.toolbar.insertAction(self.refresh_action, self.intake.quarantine_action)
            self.intake.pulled.connect(self._after_pull)

        self.banner = QFrame()
        self.banner.setObjectName("banner")
        self.banner.setStyleSheet("#banner { background: #fff4ce; border: 1px solid #8a6d00; }")
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.banner_text.setAccessibleName("Störungsmeldung")
        self.retry_button = QPushButton(tr("action.retry"))
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.addWidget(self.banner_text, 1)
        banner_layout.addWidget(self.retry_button)
        self.banner.hide()
        self._retry: Callable[[], None] | None = None
        self.retry_button.clicked.connect(self._do_retry)

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(tr("filter.search"))
        self.search.setAccessibleName(tr("filter.search"))
        self.search.setClearButtonEnabled(True)
        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self._focus_search)
        self.addAction(find)
        self.status_filter = self._combo("filter.status")
        self.service_filter = self._combo("filter.service")
        self.office_filter = self._combo("filter.office")
        self.channel_filter = self._combo("filter.channel")
        self.age_filter = self._combo("filter.age")
        for combo in self._filter_combos():
            combo.currentIndexChanged.connect(self.apply_filters)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for combo in self._filter_combos():
            filters.addWidget(combo, 1)

        self.model = InboxTableModel(
            desk=self.core.desk,
            runner=self.runner,
            service_names=lambda sid: self.core.catalogue.service(sid).name(language()),
            office_codes=self._office_code,
            page_size=self.core.settings.page_size,
            now=self.core.clock.now,
        )
        self.table = QTableView()
        self.table.setObjectName("inbox")
        self.table.setAccessibleName("Posteingang")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(Column.RECEIVED, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in (
            (Column.REFERENCE, 130),
            (Column.APPLICANT, 190),
            (Column.SERVICE, 210),
            (Column.OFFICE, 50),
            (Column.CHANNEL, 70),
            (Column.STATUS, 110),
            (Column.ASSIGNEE, 120),
            (Column.RECEIVED, 120),
        ):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.model.loaded.connect(self._page_loaded)
        self.model.counted.connect(lambda _total: self._show_count())
        self.model.failed.connect(self._report)

        self.case_view = CaseView(self.core.catalogue)
        self.case_view.claim_requested.connect(self.claim)
        self.case_view.release_requested.connect(self.release)
        self.case_view.reassign_requested.connect(self.reassign)
        self.case_view.identity_requested.connect(self.verify_identity)
        self.case_view.payment_requested.connect(self.record_payment)
        self.case_view.approve_requested.connect(self.approve)
        self.case_view.reject_requested.connect(self.reject)
        self.case_view.ask_requested.connect(self.ask_citizen)
        self.case_view.note_requested.connect(self.add_note)
        self.case_view.attachment_requested.connect(self.open_attachment)
        self.case_view.print_requested.connect(self.print_original)
        self.case_view.document_requested.connect(self.print_original)
        self.case_view.set_documents_enabled(self.documents is not None)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.case_view)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([900, 600])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self.user_label = QLabel()
        self.count_label = QLabel(tr("inbox.loading"))
        self.statusBar().addWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.count_label)
        if self.intake is not None:
            self.statusBar().addPermanentWidget(self.intake.progress)
            self.statusBar().addPermanentWidget(self.intake.status)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filters)

    def _after_pull(self, _result: object) -> None:
        self.model.refresh()

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _action(self, key: str, shortcut: Any, slot: Callable[[], None]) -> QAction:
        action = QAction(tr(key), self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        self.toolbar.addAction(action)
        return action

    def _combo(self, key: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(tr(key))
        combo.setToolTip(tr(key))
        combo.setObjectName(key.replace(".", "_"))
        return combo

    def _filter_combos(self) -> tuple[QComboBox, ...]:
        return (
            self.status_filter,
            self.service_filter,
            self.office_filter,
            self.channel_filter,
            self.age_filter,
        )

    def _fill_filters(self) -> None:
        for combo in self._filter_combos():
            combo.blockSignals(True)
            combo.clear()
        self.status_filter.addItem(tr("filter.open"), "open")
        self.status_filter.addItem(tr("filter.mine"), "mine")
        self.status_filter.addItem(f"{tr('filter.status')}: {tr('filter.all')}", "")
        for status in CaseStatus:
            self.status_filter.addItem(status_text(status), status.value)
        self.service_filter.addItem(f"{tr('filter.service')}: {tr('filter.all')}", "")
        for service in self.core.catalogue.services:
            self.service_filter.addItem(service.name(language()), service.id)
        self.office_filter.addItem(f"{tr('filter.office')}: {tr('filter.all')}", None)
        for office in self.offices:
            self.office_filter.addItem(office.name, office.id)
        self.channel_filter.addItem(f"{tr('filter.channel')}: {tr('filter.all')}", "")
        for channel in Channel:
            self.channel_filter.addItem(channel_text(channel), channel.value)
        self.age_filter.addItem(f"{tr('filter.age')}: {tr('filter.all')}", 0)
        for days in AGE_FILTERS:
            self.age_filter.addItem(tr(f"age.{days}"), days)
        for combo in self._filter_combos():
            combo.blockSignals(False)

    def _office_code(self, office_id: int) -> str:
        return next((o.code for o in self.offices if o.id == office_id), "?")

    def _office_name(self, office_id: int) -> str:
        return next((o.name for o in self.offices if o.id == office_id), "?")

    # --- start-up -----------------------------------------------------------------------------

    def begin(self) -> None:
        """Sign in and load the first page, on the database lane."""
        core, login = self.core, self.login
        self._run(lambda: load_startup(core, login), self._started, self._startup_error)

    def _startup_error(self, error: BaseException) -> None:
        if isinstance(error, DatabaseUnavailable):
            self.show_banner(tr("banner.database", detail=error), self.begin)
            return
        self.startup_failed.emit(error)

    def _started(self, startup: Startup) -> None:
        self.user, self.offices, self.staff = startup.user, startup.offices, startup.staff
        office = self._office_name(startup.user.office_id)
        self.user_label.setText(
            tr(
                "user.line",
                name=startup.user.display_name,
                role=tr(f"role.{startup.user.role.value}"),
                office=office,
            )
        )
        self._fill_filters()
        self.admin_action.setVisible(startup.user.has_role(Role.ADMIN))
        if self.intake is not None and not self._ready:
            self.intake.start()
        self.hide_banner()
        self.apply_filters()

    def _show_count(self) -> None:
        total = self.model.total
        if total is None:
            text = tr("inbox.counting", shown=self.model.rowCount())
        elif total > self.model.count_cap:
            text = tr(
                "inbox.count_many",
                shown=self.model.rowCount(),
                cap=f"{self.model.count_cap:,}".replace(",", "."),
            )
        else:
            text = tr("inbox.count", shown=self.model.rowCount(), total=total)
        self.count_label.setText(text)

    def _page_loaded(self) -> None:
        self.hide_banner()
        self._show_count()
        if self._selected_case is not None:
            row = self.model.row_of(self._selected_case)
            if row is not None and self.table.currentIndex().row() != row:
                self.table.selectionModel().blockSignals(True)
                self.table.selectRow(row)
                self.table.selectionModel().blockSignals(False)
        if not self._ready and self.user is not None:
            self._ready = True
            self.ready.emit()

    # --- filters ------------------------------------------------------------------------------

    def current_query(self) -> InboxQuery:
        status = self.status_filter.currentData()
        statuses: frozenset[CaseStatus] = frozenset()
        assignee = None
        if status == "open":
            statuses = OPEN_STATUSES
        elif status == "mine":
            assignee = self.user.login if self.user else None
        elif status:
            statuses = frozenset({CaseStatus(status)})
        days = int(self.age_filter.currentData() or 0)
        return replace(
            self.model.query,
            statuses=statuses,
            assignee=assignee,
            service_id=self.service_filter.currentData() or None,
            office_id=self.office_filter.currentData(),
            channel=Channel(self.channel_filter.currentData())
            if self.channel_filter.currentData()
            else None,
            received_before=self.core.desk.received_before(older_than_days=days) if days else None,
            search=self.search.text(),
        )

    def apply_filters(self) -> None:
        self._search_timer.stop()
        self.count_label.setText(tr("inbox.loading"))
        self.model.set_query(self.current_query())

    def refresh(self) -> None:
        self.apply_filters()
        if self._selected_case is not None:
            self.show_case(self._selected_case)

    # --- the case -----------------------------------------------------------------------------

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.show_case(int(self.model.data(current, CASE_ID_ROLE)))

    def show_case(self, case_id: int) -> None:
        self._selected_case = case_id
        user, desk = self._user(), self.core.desk
        self._run(
            lambda: desk.open_case(user=user, case_id=case_id), self._details_loaded, self._report
        )

    def _details_loaded(self, details: CaseDetails) -> None:
        if details.case.id != self._selected_case:
            return
        self.case_view.show_message("")
        self.case_view.show_details(
            details, self._user(), self._office_name(details.case.office_id)
        )
        if self.documents is not None:
            self.documents.load(details.case.id)
        self.case_shown.emit(details.case.id)

    def _user(self) -> User:
        assert self.user is not None, "not signed in"
        return self.user

    def _case_action(
        self,
        work: Callable[[User, int], object],
        done_text: Callable[[], str] | None = None,
        then: Callable[[], None] | None = None,
    ) -> None:
        """Run a use case on the selected case, then reload it and the inbox (and `then`)."""
        case_id = self._selected_case
        if case_id is None:
            return
        user, desk = self._user(), self.core.desk

        def call() -> CaseDetails:
            work(user, case_id)
            return desk.open_case(user=user, case_id=case_id)

        def done(details: CaseDetails) -> None:
            self._details_loaded(details)
            case = details.case
            self.statusBar().showMessage(
                done_text()
                if done_text
                else tr(
                    "saved.transition", reference=case.reference, status=status_text(case.status)
                ),
                8000,
            )
            self.model.refresh()
            if then is not None:
                then()

        self._run(
            call,
            done,
            lambda error: self._report(
                error, retry=lambda: self._case_action(work, done_text, then)
            ),
        )

    def claim(self) -> None:
        self._case_action(lambda user, case_id: self.core.desk.claim(user=user, case_id=case_id))

    def release(self) -> None:
        self._case_action(lambda user, case_id: self.core.desk.release(user=user, case_id=case_id))

    def approve(self) -> None:
        """Approve; where this seat prints originals, the preview of the original follows."""
        self._case_action(
            lambda user, case_id: self.core.desk.approve(user=user, case_id=case_id),
            then=self.print_original if self.documents is not None else None,
        )

    def _ask(self, dialog: QDialog, then: Callable[[], None]) -> None:
        """Open a dialog window-modally without blocking the event loop; act on OK."""
        self.active_dialog = dialog
        dialog.accepted.connect(then)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def reject(self) -> None:
        dialog = RejectDialog(self)

        def confirmed() -> None:
            reason = dialog.text()
            self._case_action(
                lambda user, case_id: self.core.desk.reject(
                    user=user, case_id=case_id, reason=reason
                )
            )

        self._ask(dialog, confirmed)

    def ask_citizen(self) -> None:
        dialog = AskCitizenDialog(self)

        def confirmed() -> None:
            question = dialog.text()
            self._case_action(
                lambda user, case_id: self.core.desk.ask_citizen(
                    user=user, case_id=case_id, question=question
                )
            )

        self._ask(dialog, confirmed)

    def reassign(self) -> None:
        dialog = ReassignDialog(
            [u for u in self.staff if u.active and u.has_role(Role.CLERK)], self
        )

        def confirmed() -> None:
            login, reason = dialog.login(), dialog.reason.text()
            self._case_action(
                lambda user, case_id: self.core.desk.reassign(
                    user=user, case_id=case_id, to_login=login, reason=reason
                )
            )

        self._ask(dialog, confirmed)

    def verify_identity(self) -> None:
        dialog = IdentityDialog(self)

        def confirmed() -> None:
            method, level = dialog.choice()
            self._case_action(
                lambda user, case_id: self.core.desk.verify_identity(
                    user=user, case_id=case_id, level=level, method=method
                )
            )

        self._ask(dialog, confirmed)

    def record_payment(self) -> None:
        dialog = PaymentDialog(self)

        def confirmed() -> None:
            state, reference = dialog.state(), dialog.reference.text().strip()
            self._case_action(
                lambda user, case_id: self.core.desk.record_payment(
                    user=user, case_id=case_id, state=state, reference=reference
                )
            )

        self._ask(dialog, confirmed)

    def add_note(self, text: str) -> None:
        def saved() -> str:
            self.case_view.note_editor.clear()  # only once stored: a failed save keeps the text
            return tr("saved.note")

        self._case_action(
            lambda user, case_id: self.core.desk.add_note(user=user, case_id=case_id, text=text),
            saved,
        )

    def open_attachment(self, attachment_id: int) -> None:
        """Fetch the attachment on the database lane (audited) and show it in the app."""
        case_id, user, desk = self._selected_case, self._user(), self.core.desk
        details = self.case_view.details
        if case_id is None or details is None:
            return
        info = next((a for a in details.attachments if a.id == attachment_id), None)
        if info is None:
            return

        def show(content: bytes) -> None:
            viewer = AttachmentViewer(info.filename, info.media_type, content, self)
            self.active_dialog = viewer
            viewer.open()
            self.attachment_shown.emit(viewer)

        self._run(
            lambda: desk.attachment_content(
                user=user, case_id=case_id, attachment_id=attachment_id
            ),
            show,
            self._report,
        )

    # --- documents ----------------------------------------------------------------------------

    def print_original(self) -> None:
        """Approve → preview → print: issue (or take) the original, show it, print it."""
        if self.documents is not None and self._selected_case is not None:
            self.statusBar().showMessage(tr("print.preparing"), 5000)
            self.documents.print_case(self._selected_case)

    def open_verify(self) -> None:
        if self.documents is not None:
            self.documents.open_verify()

    def _open_form_dialog(self) -> None:
        self.open_form_dialog()

    def open_form_dialog(self) -> FormDialog:
        """The blank application form of a service, to save or print for a citizen."""
        dialog = FormDialog(
            runner=self.runner,
            catalogue=self.core.catalogue,
            printer_name=self.core.settings.printer_name,
            parent=self,
        )
        dialog.finished_work.connect(lambda text: self.statusBar().showMessage(text, 10000))
        dialog.open()
        return dialog

    def _documents_loaded(self, case_id: int, documents: list[IssuedDocument]) -> None:
        if case_id == self._selected_case:
            self.case_view.show_documents(documents)

    def _printed(self, case_id: int, record: PrintRecord) -> None:
        self.statusBar().showMessage(record.describe(), 10000)
        self.model.refresh()
        if case_id == self._selected_case:
            self.show_case(case_id)

    def _document_failed(self, text: str) -> None:
        self.case_view.show_message(text)
        self.statusBar().showMessage(text, 15000)
        self.action_failed.emit(text)

    # --- walk-in ------------------------------------------------------------------------------

    def _new_walk_in(self) -> None:
        self.open_walk_in_dialog()

    def open_walk_in_dialog(self) -> WalkInDialog | None:
        if self.user is None:
            return None
        dialog = WalkInDialog(
            catalogue=self.core.catalogue,
            offices=self.offices,
            office_id=self.user.office_id,
            today=lambda: self.core.clock.now().date(),
            parent=self,
        )
        dialog.submitted.connect(
            lambda service_id, form, office_id: self._store_walk_in(
                dialog, service_id, form, office_id
            )
        )
        self._walk_in = dialog
        dialog.setModal(True)
        dialog.show()
        return dialog

    def _store_walk_in(
        self, dialog: WalkInDialog, service_id: str, form: dict[str, str], office_id: int
    ) -> None:
        user, desk = self._user(), self.core.desk

        def done(case: Any) -> None:
            dialog.saved()
            self.statusBar().showMessage(tr("saved.case", reference=case.reference), 8000)
            self._selected_case = case.id
            self.show_case(case.id)
            self.model.refresh()

        def failed(error: BaseException) -> None:
            if isinstance(error, FormInvalid):
                dialog.save_failed(tr("walkin.invalid", count=len(error.errors)))
            elif isinstance(error, DatabaseUnavailable):
                dialog.save_failed(tr("banner.database", detail=error))
            else:
                dialog.save_failed(error_text(error))

        self._run(
            lambda: desk.open_walk_in(
                user=user, service_id=service_id, form=form, office_id=office_id
            ),
            done,
            failed,
        )

    # --- administration -----------------------------------------------------------------------

    def _open_admin(self) -> None:
        self.open_admin_dialog()

    def open_admin_dialog(self) -> AdminDialog:
        dialog = AdminDialog(self.staff, self.offices, self)
        core, actor = self.core, self._user()

        def reload(what: str) -> Callable[[object], None]:
            def done(_result: object) -> None:
                def refreshed(data: tuple[list[User], list[Office]]) -> None:
                    self.staff, self.offices = data
                    dialog.show_data(*data)
                    dialog.show_message(tr("admin.saved", what=what))

                self._run(lambda: (core.users.users(), core.users.offices()), refreshed, failed)

            return done

        def failed(error: BaseException) -> None:
            dialog.show_message(error_text(error), error=True)

        def save_user(values: dict[str, Any]) -> None:
            values = {**values, "role": Role(values["role"])}  # signals carry plain values
            self._run(
                lambda: save_user_use_case(
                    users=core.users, audit=core.audit, clock=core.clock, actor=actor, **values
                ),
                reload(values["login"]),
                failed,
            )

        def save_office(code: str, name: str) -> None:
            self._run(
                lambda: save_office_use_case(
                    users=core.users,
                    audit=core.audit,
                    clock=core.clock,
                    actor=actor,
                    code=code,
                    name=name,
                ),
                reload(code),
                failed,
            )

        dialog.save_user_requested.connect(save_user)
        dialog.save_office_requested.connect(save_office)
        self.active_dialog = dialog
        dialog.open()
        return dialog

    # --- errors and the banner ----------------------------------------------------------------

    def _run(
        self,
        work: Callable[[], T],
        on_success: Callable[[T], None],
        on_failure: Callable[[BaseException], None],
    ) -> None:
        self.runner.run(Lane.DATABASE, work, on_success=on_success, on_failure=on_failure)

    def _report(self, error: BaseException, retry: Callable[[], None] | None = None) -> None:
        if isinstance(error, DatabaseUnavailable):
            self.show_banner(tr("banner.database", detail=error), retry or self.refresh)
        elif isinstance(error, DomainError):
            text = error_text(error)
            self.case_view.show_message(text)
            self.statusBar().showMessage(text, 10000)
            if self._selected_case is not None:
                self.show_case(self._selected_case)
        else:
            self.show_banner(error_text(error), retry or self.refresh)
        self.action_failed.emit(error_text(error))

    def show_banner(self, text: str, retry: Callable[[], None]) -> None:
        self.banner_text.setText(text)
        self._retry = retry
        self.banner.show()

    def hide_banner(self) -> None:
        self.banner.hide()

    def _do_retry(self) -> None:
        retry, self._retry = self._retry, None
        self.hide_banner()
        if retry is not None:
            retry()

    # --- language -----------------------------------------------------------------------------

    def toggle_language(self) -> None:
        """Rebuild the window's widgets in the other language; the query and selection stay."""
        set_language("en" if language() == "de" else "de")
        query, selected = self.model.query, self._selected_case
        self.removeToolBar(self.toolbar)
        self._build()
        self.setWindowTitle(tr("app.title"))
        if self.user is not None:
            self._started(Startup(self.user, self.offices, self.staff))
            self.model.set_query(
                replace(self.current_query(), sort=query.sort, descending=query.descending)
            )
            if selected is not None:
                self.show_case(selected)

    def closeEvent(self, event: Any) -> None:
        self._search_timer.stop()
        if self.intake is not None:
            self.intake.stop()
        super().closeEvent(event)
