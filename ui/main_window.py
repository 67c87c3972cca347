"""The shell: menu bar and toolbar (ui.commands), the pages (Vorgänge, Quarantäne; room for
Ausgabebox and Übersicht), the fault banner and the status bar. It lays out and wires pages and
controllers; what each does is in its own module (docs/architecture.md, "The window"). A new
page is `add_page(key, widget)`. Switching the language retranslates every part in place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QMainWindow, QWidget

from app.domain.cases import Case
from app.domain.errors import DatabaseUnavailable
from app.domain.users import Office, Role, User
from app.services.documents import DocumentDesk
from app.services.outage import OutageDesk
from app.services.payments import PaymentDesk
from app.services.pickup import PickupDesk
from app.services.report_tables import Table
from app.services.reporting import Report, ReportDesk
from app.wiring import Core
from ui.commands import Commands
from ui.form_dialog import FormDialog
from ui.i18n import error_text, fault_text, language, set_language, tr
from ui.intake_controller import IntakeParts
from ui.operations import Operation
from ui.outage_controller import Switch
from ui.payment_commands import PaymentCommands
from ui.privacy_commands import PrivacyCommands, PrivacyDesks
from ui.qt_texts import use_qt_language
from ui.receipts import receipt_maker
from ui.shell_view import ShellView
from ui.startup import Startup, load_startup
from ui.tasks import Lane, TaskRunner
from ui.theme import apply_theme
from ui.window_controllers import build_controllers
from ui.window_state import apply_state, write_state

if TYPE_CHECKING:
    from printing.trust_list import TrustList
    from ui.dashboard_page import DashboardPage  # QtCharts: loaded for a supervisor only


class MainWindow(QMainWindow):
    """`ready` once signed in and the first page is shown; `startup_failed(error)` otherwise."""

    ready = Signal()
    startup_failed = Signal(object)
    action_failed = Signal(str)

    def __init__(
        self,
        *,
        core: Core,
        runner: TaskRunner,
        login: str,
        intake: IntakeParts | None = None,
        documents: DocumentDesk | None = None,
        trust: Callable[[], TrustList] | None = None,
        title: Callable[[], str] | None = None,  # in the current language (a profile's name)
        state_file: Path | None = None,
        pickup: PickupDesk | None = None,
        box_offices: list[str] | None = None,
        reports: ReportDesk | None = None,
        render_report: Callable[[str, Report, list[Table]], bytes] | None = None,
        payments: PaymentDesk | None = None,
        outage: tuple[OutageDesk, Switch] | None = None,  # the journal: through an outage
        privacy: PrivacyDesks | None = None,
    ) -> None:
        super().__init__()
        apply_theme()
        use_qt_language(language())
        self.core, self.runner, self.login = core, runner, login
        self._title, self._state_file = title, state_file
        self.user: User | None = None
        self.offices: list[Office] = []
        self.staff: list[User] = []
        self._ready = False
        self.resize(1500, 900)

        parts = build_controllers(
            self,
            self,
            core=core,
            runner=runner,
            intake_parts=intake,
            documents=documents,
            trust=trust,
            pickup=pickup,
            box_offices=box_offices,
            outage=outage,
        )
        self.documents, self.inbox, self.case_page = parts.documents, parts.inbox, parts.case_page
        self.walk_in, self.admin = parts.walk_in, parts.admin
        self.intake, self.box_page = parts.intake, parts.box_page
        self.health, self.outage = parts.health, parts.outage
        self._reports, self._render_report = reports, render_report
        self.dashboard: DashboardPage | None = None  # made for a supervisor at sign-in
        fees = core.desk.fees
        self.payment_commands = PaymentCommands(
            runner=runner,
            fees=fees,
            payments=payments,
            user=self.signed_in_user,
            offices=lambda: self.offices,
            case_id=lambda: self.case_page.case_id,
            changed=self.refresh,
            message=self.show_status,
            parent=self,
            receipt=receipt_maker(fees, core, lambda: self.offices) if fees else None,
            printer=core.settings.printer_name,
        )
        self.payment_sync = self.payment_commands.sync
        self.privacy = PrivacyCommands(
            runner=runner, desks=privacy, user=self.signed_in_user, parent=self
        )
        self._build_layout()
        self._connect()
        self.destroyed.connect(runner.forget)  # no result may reach a deleted widget
        runner.failure_display = self.report
        self.retranslate()

    # --- layout -------------------------------------------------------------------------------

    def _build_layout(self) -> None:
        intake = [self.intake.action, self.intake.quarantine_action] if self.intake else []
        self.shell_commands = Commands(
            self,
            {
                "action.new": self.open_walk_in_dialog,
                "action.find": self._find,
                "action.refresh": self.refresh,
                "action.print": self.case_page.print_original,
                "action.verify": self.open_verify,
                "action.forms": self.open_form_dialog,
                "action.admin": self.open_admin_dialog,
                "action.till": self.payment_commands.open_till,
                "action.payment_link": self.payment_commands.send_link,
                "action.language": self.toggle_language,
                "action.shortcuts": self.open_shortcuts,
                "action.quit": self.close,
            },
            intake=intake,
        )
        self.commands, self.menus = self.shell_commands.actions, self.shell_commands.menus
        self.toolbar = self.shell_commands.toolbar
        self.privacy.add_to(self.menus["menu.admin"])
        self.new_action = self.commands["action.new"]
        self.refresh_action = self.commands["action.refresh"]
        self.language_action = self.commands["action.language"]
        self.admin_action = self.commands["action.admin"]
        for key in ("action.print", "action.verify"):
            self.commands[key].setVisible(self.documents is not None)
        self.admin_action.setVisible(False)
        shell = ShellView(self, self.inbox, self.case_page.view)
        self.banner, self.splitter, self.page_set = shell.banner, shell.splitter, shell.page_set
        self.pages = shell.page_set.tabs
        self.user_label, self.count_label = shell.user_label, shell.count_label
        self.add_page("page.cases", self.splitter, retranslate=self._retranslate_cases)
        if self.intake is not None:
            pull = self.intake
            self.add_page(
                "page.quarantine",
                pull.quarantine,
                start=lambda _startup: pull.start(),
                connect=self._connect_intake,
                retranslate=pull.retranslate,
            )
        if self.box_page is not None:
            box = self.box_page
            self.add_page("page.box", box, start=box.start, retranslate=box.retranslate)
        self.add_page("page.health", self.health.page, retranslate=self.health.retranslate)
        if self.outage is not None:
            shell.add_banner(self.outage.banner)
        if self.intake is not None:
            self.statusBar().addPermanentWidget(self.intake.progress)
            self.statusBar().addPermanentWidget(self.intake.status)
        self.statusBar().addPermanentWidget(self.health.indicator)

    def add_page(
        self,
        key: str,
        widget: QWidget,
        *,
        start: Callable[[Startup], None] | None = None,
        connect: Callable[[], None] | None = None,
        retranslate: Callable[[], None] | None = None,
    ) -> None:
        """A page of the shell, reachable by its tab and by Ctrl+<its number>; `start` runs
        once the clerk is first signed in, `connect` at once, `retranslate` on a new language."""
        self.page_set.add(key, widget, start=start, connect=connect, retranslate=retranslate)

    def show_page(self, key: str) -> None:
        self.page_set.show(key)

    def _connect(self) -> None:
        self.inbox.case_selected.connect(self.case_page.show_case)
        self.inbox.selection_gone.connect(self.case_page.clear)
        self.inbox.loaded.connect(self._page_loaded)
        self.health.show_requested.connect(lambda: self.show_page("page.health"))
        if self.outage is not None:  # a seat that sat down during the outage signs in, too
            self.outage.changed.connect(lambda: self.refresh() if self._ready else self.begin())
            self.outage.message.connect(self.show_status)
        self.inbox.model.counted.connect(lambda _total: self._show_count())
        self.inbox.model.failed.connect(lambda error: self.report(error, self.refresh))
        self.case_page.changed.connect(self.inbox.model.refresh)
        self.case_page.message.connect(self.show_status)
        self.case_page.failed.connect(self.report)
        self.case_page.refused.connect(self.action_failed.emit)
        self.walk_in.created.connect(self._walk_in_created)
        self.admin.staff_changed.connect(self._staff_changed)
        if self.documents is not None:
            self.documents.printed.connect(
                lambda _case, record: self.show_status(record.describe())
            )
            self.documents.failed.connect(self.action_failed.emit)

    def retranslate(self) -> None:
        """Every text of the shell and its pages in the current language, in place."""
        self.setWindowTitle(self._title() if self._title else tr("app.title"))
        self.shell_commands.retranslate()
        self.privacy.retranslate()
        self.page_set.retranslate()
        self.banner.retranslate()
        if self.outage is not None:
            self.outage.retranslate()
        # status labels are read by their text; the description says what the text is
        self.user_label.setAccessibleDescription(tr("name.user"))
        self.count_label.setAccessibleDescription(tr("name.count"))
        self._show_user()
        self._show_count()

    # --- start-up -----------------------------------------------------------------------------

    def begin(self) -> None:
        """Sign in and load the first page, on the database lane."""
        core, login, state_file = self.core, self.login, self._state_file
        self.health.start()  # also while no database lets the clerk sign in
        (
            Operation.on(self.runner, Lane.DATABASE, lambda: load_startup(core, login, state_file))
            .success(self._started)
            .failure(self._startup_error)
            .run()
        )

    def _startup_error(self, error: BaseException) -> None:
        if isinstance(error, DatabaseUnavailable):
            self.banner.show_fault(fault_text(error), self.begin)
            return
        self.startup_failed.emit(error)

    def _started(self, startup: Startup) -> None:
        self.user, self.offices, self.staff = startup.user, startup.offices, startup.staff
        if not self._ready:
            apply_state(startup.window_state, self, self.splitter, self.inbox.header())
        self._show_user()
        self.inbox.fill_filters()
        self.admin_action.setVisible(startup.user.has_role(Role.ADMIN))
        self.privacy.signed_in(startup.user)
        if (
            self._reports is not None
            and self.dashboard is None
            and startup.user.has_role(Role.SUPERVISOR)
        ):
            self._add_dashboard(self._reports)
        if not self._ready:
            self.page_set.start(startup)
            for part in (self.payment_sync, self.outage):
                if part is not None:
                    part.start()
        self.banner.hide()
        self.apply_filters()

    def _add_dashboard(self, reports: ReportDesk) -> None:
        """The supervisors' page; a clerk's window never has it (the service refuses too)."""
        from ui.dashboard_page import DashboardPage

        self.dashboard = DashboardPage(
            runner=self.runner,
            desk=reports,
            catalogue=self.core.catalogue,
            user=lambda: self.user,
            offices=lambda: self.offices,
            render=self._render_report,
            parent=self,
        )
        self.dashboard.drill.connect(self._drill)
        self.add_page("page.dashboard", self.dashboard, retranslate=self.dashboard.retranslate)

    def _retranslate_cases(self) -> None:
        self.inbox.retranslate()
        self.case_page.view.retranslate()

    def _connect_intake(self) -> None:
        assert self.intake is not None
        self.intake.pulled.connect(lambda _result: self.inbox.model.refresh())
        self.intake.quarantine_requested.connect(lambda: self.show_page("page.quarantine"))

    def _drill(self, target: dict[str, object]) -> None:
        self.show_page("page.cases")
        self.inbox.show_filtered(**target)  # type: ignore[arg-type]

    def _show_user(self) -> None:
        if self.user is None:
            return
        user, role = self.user, tr(f"role.{self.user.role.value}")
        office = next((o.name for o in self.offices if o.id == user.office_id), "?")
        self.user_label.setText(tr("user.line", name=user.display_name, role=role, office=office))

    def _show_count(self) -> None:
        self.count_label.setText(self.inbox.count_text(signed_in=self.user is not None))

    def _page_loaded(self) -> None:
        self.banner.hide()
        self._show_count()
        if not self._ready and self.user is not None:
            self._ready = True
            self.ready.emit()

    def signed_in_user(self) -> User:
        assert self.user is not None, "not signed in"
        return self.user

    def _find(self) -> None:
        self.show_page("page.cases")
        self.inbox.focus_search()

    def apply_filters(self) -> None:
        self.count_label.setText(tr("inbox.loading"))
        self.inbox.apply_filters()

    def refresh(self) -> None:
        self.apply_filters()
        self.case_page.reload()

    def open_walk_in_dialog(self) -> QDialog | None:
        return self.walk_in.open(self.user, self.offices) if self.user is not None else None

    def _walk_in_created(self, case: Case) -> None:
        self.show_status(tr("saved.case", reference=case.reference))
        self.inbox.selected_case = case.id
        self.case_page.show_case(case.id)
        self.inbox.model.refresh()

    def open_admin_dialog(self) -> QDialog:
        return self.admin.open(self.staff, self.offices)

    def _staff_changed(self, staff: list[User], offices: list[Office]) -> None:
        self.staff, self.offices = staff, offices

    def open_shortcuts(self) -> QDialog:
        from ui.shortcuts_dialog import ShortcutsDialog

        intake = [self.intake.action, self.intake.quarantine_action] if self.intake else []
        rows = self.shell_commands.with_shortcuts(intake, self.page_set.keys)
        return ShortcutsDialog.opened(rows + self.case_page.view.action_keys(), self)

    def open_verify(self) -> None:
        if self.documents is not None:
            self.documents.open_verify()

    def open_form_dialog(self) -> FormDialog:
        return FormDialog.open_for(self.runner, self.core, self.show_status, self)

    @property
    def active_dialog(self) -> QDialog | None:
        return self.case_page.active_dialog

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 10000)

    def report(self, error: BaseException, retry: Callable[[], None] | None = None) -> None:
        """A fault that is not the clerk's doing: the banner says it, with a retry."""
        self.banner.show_fault(fault_text(error), retry or self.refresh)
        self.action_failed.emit(error_text(error))

    # --- language and closing -------------------------------------------------------------------

    def toggle_language(self) -> None:
        """The other language, in place: filters, selection, timers and pulls stay as they are."""
        set_language("en" if language() == "de" else "de")
        use_qt_language(language())
        self.retranslate()
        self.inbox.model.refresh()
        self.case_page.reload()

    def closeEvent(self, event: Any) -> None:
        write_state(self._state_file, self, self.splitter, self.inbox.header())
        self.inbox.stop()
        self.statusBar().clearMessage()  # its timer would fire after the window is gone
        if self.intake is not None:
            self.intake.shut_down()
        for part in (self.payment_sync, self.health, self.outage):
            if part is not None:
                part.stop()
        super().closeEvent(event)
