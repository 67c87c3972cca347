"""The pickup box page: every compartment at a glance (filter, search), loading, taking back,
a new code, and the counter's "Zurücknehmen" list. The desk's calls run on the network lane
(the box) with their database calls bound to the database lane; the page never waits."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.inbox import InboxRow
from app.domain.pickup import BEFORE_THE_ITEM, Loading
from app.domain.users import User
from app.lanes import Lane
from app.services.pickup import CompartmentView, PickupDesk
from ui.box_load_dialog import BoxLoadDialog
from ui.box_model import FILTERS, BoxFilter, BoxTableModel
from ui.i18n import error_text, format_day, language, tr
from ui.operations import Operation
from ui.startup import Startup
from ui.tasks import TaskRunner

FOLLOW_MS = 30_000
FOLLOW_LOADING_MS = 2_000  # while its dialog is open, a loading is followed closely
# the box's compartments, the returns list, its open issues, the originals waiting to be loaded
BoxReading = tuple[list[CompartmentView], list[Loading], list[str], list[InboxRow]]
TO_LOAD_COLUMNS = ("box.col.case", "column.applicant", "column.service", "column.received")
RETURNS_COLUMNS = ("box.col.case", "box.col.compartment", "box.col.deadline", "box.col.since")


def row_list(columns: int) -> QTableWidget:
    """A read-only list chosen by whole rows; Tab leaves it rather than walking its cells."""
    table = QTableWidget(0, columns)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setTabKeyNavigation(False)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class BoxPage(QWidget):
    changed = Signal()

    def __init__(
        self,
        *,
        runner: TaskRunner,
        desk: PickupDesk,
        offices: list[str],
        user: Callable[[], User | None],
        staff: Callable[[], list[User]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner, self._desk, self._user, self._staff = runner, desk, user, staff
        self.dialog: BoxLoadDialog | None = None
        self.returns_due: list[Loading] = []
        self.waiting: list[InboxRow] = []
        self.office = QComboBox()
        self.office.addItems(offices)
        self.office.currentTextChanged.connect(lambda _office: self.load())
        self.status = QComboBox()
        self.status.currentIndexChanged.connect(lambda _index: self._filter())
        self.search = QLineEdit()
        self.search.textChanged.connect(lambda _text: self._filter())
        self.model = BoxTableModel()
        self.proxy = BoxFilter(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.returns = row_list(4)
        # the printed originals whose citizen asked for the box: a row and "Beladen…" loads it
        self.to_load = row_list(4)
        self.to_load.activated.connect(lambda _index: self.open_load_dialog())
        self.issues = QLabel()
        self.issues.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "")
        self.tabs.addTab(self.returns, "")
        self.tabs.addTab(self.to_load, "")
        self.load_button = QPushButton()
        self.load_button.clicked.connect(self.open_load_dialog)
        self.take_back_button = QPushButton()
        self.take_back_button.clicked.connect(self.take_back)
        self.renew_button = QPushButton()
        self.renew_button.clicked.connect(self.renew_code)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.sync)
        self.message = QLabel()
        self.message.setWordWrap(True)
        top = QHBoxLayout()
        self.office_label, self.status_label, self.search_label = QLabel(), QLabel(), QLabel()
        for label, field in (
            (self.office_label, self.office),
            (self.status_label, self.status),
            (self.search_label, self.search),
        ):
            label.setBuddy(field)
            top.addWidget(label)
            top.addWidget(field)
        top.addStretch(1)
        actions = QHBoxLayout()
        for button in (
            self.load_button,
            self.take_back_button,
            self.renew_button,
            self.refresh_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.issues)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        QShortcut(QKeySequence("Ctrl+Shift+L"), self, self.open_load_dialog)
        # while the page is shown the box's events are followed, so a collection or a closed
        # door shows without a click; `buergerbuero box sync` does it where nobody looks
        self.follow = QTimer(self)
        self.follow.setObjectName("box-follow")
        self.follow.setInterval(FOLLOW_MS)
        self.follow.timeout.connect(self._follow)
        self.retranslate()

    def start(self, startup: Startup) -> None:
        """Signed in: the clerk's own office's box first."""
        own = next((o.code for o in startup.offices if o.id == startup.user.office_id), "")
        if own:
            self.office.setCurrentText(own)
        self.load()

    def retranslate(self) -> None:
        self.office_label.setText(tr("box.office"))
        self.status_label.setText(tr("box.filter"))
        self.search_label.setText(tr("box.search"))
        current = self.status.currentIndex()
        self.status.blockSignals(True)
        self.status.clear()
        self.status.addItems([tr(f"box.filter.{key}") for key in FILTERS])
        self.status.setCurrentIndex(max(current, 0))
        self.status.blockSignals(False)
        self.tabs.setTabText(0, tr("box.tab.compartments"))
        self.tabs.setTabText(1, tr("box.tab.returns"))
        self.tabs.setTabText(2, tr("box.tab.to_load"))
        self.to_load.setHorizontalHeaderLabels([tr(key) for key in TO_LOAD_COLUMNS])
        self.returns.setHorizontalHeaderLabels([tr(key) for key in RETURNS_COLUMNS])
        self.load_button.setText(tr("box.action.load"))
        self.take_back_button.setText(tr("box.action.take_back"))
        self.renew_button.setText(tr("box.action.renew"))
        self.refresh_button.setText(tr("box.action.sync"))
        self.table.setAccessibleName(tr("box.tab.compartments"))
        self.returns.setAccessibleName(tr("box.tab.returns"))
        self.to_load.setAccessibleName(tr("box.tab.to_load").replace("&", ""))
        self.message.setAccessibleName(tr("name.message"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 6)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.follow.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self.follow.stop()
        super().hideEvent(event)

    def _follow(self) -> None:
        if self._runner.pending == 0 and self.office_code():
            self.sync()

    # --- reading ----------------------------------------------------------------------------

    def office_code(self) -> str:
        return self.office.currentText()

    def load(self) -> None:
        """The box and our records side by side (network lane; database calls bound)."""
        desk, office = self._desk, self.office_code()
        if not office:
            return

        def read() -> BoxReading:
            issues = [f"{i.kind} {i.compartment or ''}".strip() for i in desk.issues(office)]
            return desk.view(office), desk.returns_due(office), issues, desk.to_load(office)

        (
            Operation.on(self._runner, Lane.NETWORK, read)
            .success(self._show)
            .failure(self._failed)
            .run()
        )

    def _show(self, result: BoxReading) -> None:
        views, returns, issues, waiting = result
        self.model.show(views, self._desk.clock.now())
        self.returns.setRowCount(len(returns))
        for row, loading in enumerate(returns):
            deadline = format_day(loading.deadline.astimezone().date()) if loading.deadline else ""
            since = format_day(loading.loaded_at.astimezone().date()) if loading.loaded_at else ""
            for column, text in enumerate(
                (loading.reference, loading.compartment, deadline, since)
            ):
                self.returns.setItem(row, column, QTableWidgetItem(text))
        self.returns.resizeColumnsToContents()
        self.returns_due = returns
        self._show_waiting(waiting)
        self.issues.setText(tr("box.issues", issues=", ".join(issues)) if issues else "")
        free = sum(1 for status in self.model.statuses if status == "free")
        self.message.setText(
            tr(
                "box.summary",
                free=free,
                total=len(views),
                returns=len(returns),
                waiting=len(waiting),
            )
        )
        self._filter()

    def _show_waiting(self, waiting: list[InboxRow]) -> None:
        self.to_load.setRowCount(len(waiting))
        for row, case in enumerate(waiting):
            service = self._service_name(case.service_id)
            since = format_day(case.received_at.astimezone().date())
            for column, text in enumerate((case.reference, case.applicant, service, since)):
                self.to_load.setItem(row, column, QTableWidgetItem(text))
        self.to_load.resizeColumnsToContents()
        self.waiting = waiting

    def _service_name(self, service_id: str) -> str:
        return self._desk.catalogue.service(service_id).name(language())

    def _failed(self, error: BaseException) -> None:
        self.message.setText(error_text(error))

    def _filter(self) -> None:
        index = max(self.status.currentIndex(), 0)
        self.proxy.set_filter(FILTERS[index], self.search.text())

    def selected(self) -> CompartmentView | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return self.model.rows[self.proxy.mapToSource(rows[0]).row()]

    # --- acting -----------------------------------------------------------------------------

    def sync(self) -> None:
        desk, office = self._desk, self.office_code()
        (
            Operation.on(self._runner, Lane.NETWORK, lambda: desk.sync(office))
            .success(lambda _report: self._synced())
            .failure(self._failed)
            .run()
        )

    def _synced(self) -> None:
        self.load()
        self.changed.emit()

    def _done(self, text: str) -> None:
        self.message.setText(text)
        self.load()

    def open_load_dialog(self) -> BoxLoadDialog:
        rules = self._desk.rules
        dialog = BoxLoadDialog(
            four_eyes=rules.four_eyes, hold_days=rules.default_hold_days, parent=self
        )
        # Enter (the scanner's last key) presses the default button: one load per scan
        dialog.open_button.clicked.connect(lambda: self._load_scanned(dialog))
        if self.tabs.currentIndex() == 2 and self.to_load.currentRow() >= 0:
            dialog.scanned.setText(self.waiting[self.to_load.currentRow()].reference)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _load_scanned(self, dialog: BoxLoadDialog) -> None:
        user = self._user()
        if user is None:
            return
        desk, office, scanned = self._desk, self.office_code(), dialog.scanned.text()
        step_free, hold_days = dialog.step_free.isChecked(), dialog.hold_days.value()
        second_login = dialog.second_clerk.text().strip()
        second = next((u for u in self._staff() if u.login == second_login), None)

        def load() -> Loading:
            case = desk.find_case(scanned)
            if case is None:
                from app.domain.errors import DomainError

                raise DomainError("box.scan_unknown", scanned=scanned)
            return desk.load(
                user=user,
                case_id=case.id,
                office=office,
                step_free=step_free,
                hold_days=hold_days,
                confirmed_by=second,
            )

        def done(loading: Loading) -> None:
            dialog.following = loading
            dialog.open_button.setEnabled(True)
            dialog.show_result(
                tr("box.load.opened", compartment=loading.compartment, reference=loading.reference)
            )
            self.load()
            QTimer.singleShot(
                FOLLOW_LOADING_MS, dialog, lambda: self._follow_loading(dialog, loading)
            )

        def failed(error: BaseException) -> None:
            dialog.open_button.setEnabled(True)
            dialog.show_result(error_text(error))

        dialog.outcome.setText(tr("box.load.working"))
        dialog.open_button.setEnabled(False)  # a second Enter while the box answers: ignored
        (Operation.on(self._runner, Lane.NETWORK, load).success(done).failure(failed).run())

    def _follow_loading(self, dialog: BoxLoadDialog, loading: Loading) -> None:
        """The dialog follows its loading until the code has gone (or the door closed empty):
        the box's events are caught up on the network lane, the loading read afresh."""
        if not dialog.isVisible() or dialog.following is not loading:
            return  # closed, or the next scan took the dialog over
        desk, office, loading_id = self._desk, loading.office_code, loading.id

        def catch_up() -> Loading:
            desk.sync(office)
            return desk.loading(loading_id)

        def shown(now: Loading) -> None:
            if not dialog.isVisible() or dialog.following is not loading:
                return
            if now.state in BEFORE_THE_ITEM:
                QTimer.singleShot(
                    FOLLOW_LOADING_MS, dialog, lambda: self._follow_loading(dialog, loading)
                )
                return
            dialog.following = None
            dialog.outcome.setText(
                tr(
                    f"box.load.{now.state.value}",
                    compartment=now.compartment,
                    reference=now.reference,
                )
            )
            self.load()

        (
            Operation.on(self._runner, Lane.NETWORK, catch_up)
            .success(shown)
            .failure(self._failed)
            .run()
        )

    def take_back(self) -> None:
        user, view = self._user(), self.selected()
        if self.tabs.currentIndex() == 1 and self.returns.currentRow() >= 0:
            loading: Loading | None = self.returns_due[self.returns.currentRow()]
        else:
            loading = view.loading if view else None
        if user is None or loading is None:
            self.message.setText(tr("box.pick_loaded"))
            return
        desk, loading_id = self._desk, loading.id
        (
            Operation.on(
                self._runner, Lane.NETWORK, lambda: desk.take_back(user=user, loading_id=loading_id)
            )
            .success(lambda done: self._done(tr("box.taking_back", compartment=done.compartment)))
            .failure(self._failed)
            .run()
        )

    def renew_code(self) -> None:
        user, view = self._user(), self.selected()
        if user is None or view is None or view.loading is None:
            self.message.setText(tr("box.pick_loaded"))
            return
        desk, loading_id = self._desk, view.loading.id
        (
            Operation.on(
                self._runner,
                Lane.NETWORK,
                lambda: desk.renew_code(user=user, loading_id=loading_id),
            )
            .success(lambda done: self._done(tr("box.renewed", reference=done.reference)))
            .failure(self._failed)
            .run()
        )
