"""The pickup box page: every compartment at a glance (filter, search), loading (`ui.box_loading`),
taking back, a new code, the counter's "Zurücknehmen" list and, with four eyes, the loadings
another clerk asks this one to confirm. The desk's calls run on the network lane (the box)
with their database calls on the database lane; the page never waits."""

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
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.inbox import InboxRow
from app.domain.pickup import Loading
from app.domain.users import User
from app.lanes import Lane
from app.services.pickup import CompartmentView, PickupDesk
from ui.box_load_dialog import BoxLoadDialog
from ui.box_loading import BoxLoadingFlow
from ui.box_model import FILTERS, BoxFilter, BoxTableModel
from ui.i18n import error_text, format_day, format_moment, language, tr, tr_title
from ui.operations import Operation
from ui.row_list import row_list
from ui.startup import Startup
from ui.tasks import TaskRunner

FOLLOW_MS = 30_000
# the box's compartments, the returns list, its open issues, the originals waiting to be
# loaded, the loadings waiting for this clerk's confirmation (four eyes)
BoxReading = tuple[list[CompartmentView], list[Loading], list[str], list[InboxRow], list[Loading]]
TO_LOAD_COLUMNS = ("box.col.case", "column.applicant", "column.service", "column.received")
RETURNS_COLUMNS = ("box.col.case", "box.col.compartment", "box.col.deadline", "box.col.since")
CONFIRM_COLUMNS = ("box.col.case", "box.col.compartment", "box.col.loaded_by", "box.col.since")
CONFIRM_TAB = 3


class BoxPage(QWidget):
    changed = Signal()

    def __init__(
        self,
        *,
        runner: TaskRunner,
        desk: PickupDesk,
        offices: list[str],
        user: Callable[[], User | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner, self.desk, self.user = runner, desk, user
        self._loads = 0  # the newest load's number: an older one's answer is not shown over it
        self.loadings = BoxLoadingFlow(self)
        self.returns_due: list[Loading] = []
        self.awaiting: list[Loading] = []
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
        # four eyes: what other clerks loaded and this one is asked to confirm
        self.to_confirm = row_list(4)
        self.to_confirm.activated.connect(lambda _index: self.confirm())
        if desk.rules.four_eyes:
            self.tabs.addTab(self.to_confirm, "")
        self.load_button = QPushButton()
        self.load_button.clicked.connect(self.open_load_dialog)
        self.take_back_button = QPushButton()
        self.take_back_button.clicked.connect(self.take_back)
        self.renew_button = QPushButton()
        self.renew_button.clicked.connect(self.renew_code)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.sync)
        self.confirm_button = QPushButton()
        self.confirm_button.clicked.connect(self.confirm)
        self.decline_button = QPushButton()
        self.decline_button.clicked.connect(self.decline)
        for button in (self.confirm_button, self.decline_button):
            button.setVisible(desk.rules.four_eyes)
        # the outcome of the clerk's last action stays put; the page's counts, refreshed
        # every few seconds, have their own line
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.summary = QLabel()
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
            self.confirm_button,
            self.decline_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
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
        self.tabs.setTabText(CONFIRM_TAB, tr("box.tab.confirm"))
        self.to_confirm.setHorizontalHeaderLabels([tr(key) for key in CONFIRM_COLUMNS])
        self.to_confirm.setAccessibleName(tr_title("box.tab.confirm"))
        self.confirm_button.setText(tr("box.action.confirm"))
        self.decline_button.setText(tr("box.action.decline"))
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
        self.summary.setAccessibleName(tr("box.tab.compartments"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 6)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.follow.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self.follow.stop()
        super().hideEvent(event)

    def _follow(self) -> None:
        if self.runner.pending == 0 and self.office_code():
            self.sync()

    # --- reading ----------------------------------------------------------------------------

    def office_code(self) -> str:
        return self.office.currentText()

    def load(self) -> None:
        """The box and our records side by side (network lane; database calls bound)."""
        desk, office, user = self.desk, self.office_code(), self.user()
        if not office:
            return

        def read() -> BoxReading:
            issues = [f"{i.kind} {i.compartment or ''}".strip() for i in desk.issues(office)]
            awaiting = (
                desk.awaiting_confirmation(office, user=user)
                if desk.rules.four_eyes and user
                else []
            )
            returns = desk.returns_due(office)
            return desk.view(office), returns, issues, desk.to_load(office), awaiting

        self._loads += 1
        this = self._loads

        def show_if_newest(result: BoxReading) -> None:
            if this == self._loads:  # the network lane has threads: answers can cross
                self._show(result)

        (
            Operation.on(self.runner, Lane.NETWORK, read)
            .success(show_if_newest)
            .failure(self.show_failure)
            .run()
        )

    def _show(self, result: BoxReading) -> None:
        views, returns, issues, waiting, awaiting = result
        self.model.show(views, self.desk.clock.now())
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
        self._show_awaiting(awaiting)
        self.issues.setText(tr("box.issues", issues=", ".join(issues)) if issues else "")
        free = sum(1 for status in self.model.statuses if status == "free")
        self.summary.setText(
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

    def _show_awaiting(self, awaiting: list[Loading]) -> None:
        self.to_confirm.setRowCount(len(awaiting))
        for row, loading in enumerate(awaiting):
            since = format_moment(loading.opened_at)
            texts = (loading.reference, loading.compartment, loading.loaded_by, since)
            for column, text in enumerate(texts):
                self.to_confirm.setItem(row, column, QTableWidgetItem(text))
        self.to_confirm.resizeColumnsToContents()
        self.awaiting = awaiting

    def waiting_selected(self) -> InboxRow | None:
        """The original chosen on "Zu beladen", which the load dialog starts with."""
        row = self.to_load.currentRow()
        return self.waiting[row] if self.tabs.currentIndex() == 2 and row >= 0 else None

    def _service_name(self, service_id: str) -> str:
        return self.desk.catalogue.service(service_id).name(language())

    def show_failure(self, error: BaseException) -> None:
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
        desk, office = self.desk, self.office_code()
        (
            Operation.on(self.runner, Lane.NETWORK, lambda: desk.sync(office))
            .success(lambda _report: self._synced())
            .failure(self.show_failure)
            .run()
        )

    def _synced(self) -> None:
        self.load()
        self.changed.emit()

    def done(self, text: str) -> None:
        self.message.setText(text)
        self.load()

    @property
    def dialog(self) -> BoxLoadDialog | None:
        return self.loadings.dialog

    def open_load_dialog(self) -> BoxLoadDialog:
        return self.loadings.open_dialog()

    def _awaiting_selected(self) -> Loading | None:
        row = self.to_confirm.currentRow()
        if self.tabs.currentIndex() == CONFIRM_TAB and 0 <= row < len(self.awaiting):
            return self.awaiting[row]
        self.message.setText(tr("box.pick_confirming"))
        return None

    def confirm(self) -> None:
        if (loading := self._awaiting_selected()) is not None:
            self.loadings.confirm(loading)

    def decline(self) -> None:
        if (loading := self._awaiting_selected()) is not None:
            self.loadings.decline(loading)

    def take_back(self) -> None:
        user, view = self.user(), self.selected()
        if self.tabs.currentIndex() == 1 and self.returns.currentRow() >= 0:
            loading: Loading | None = self.returns_due[self.returns.currentRow()]
        else:
            loading = view.loading if view else None
        if user is None or loading is None:
            self.message.setText(tr("box.pick_loaded"))
            return
        desk, loading_id = self.desk, loading.id
        (
            Operation.on(
                self.runner, Lane.NETWORK, lambda: desk.take_back(user=user, loading_id=loading_id)
            )
            .success(lambda done: self.done(tr("box.taking_back", compartment=done.compartment)))
            .failure(self.show_failure)
            .run()
        )

    def renew_code(self) -> None:
        user, view = self.user(), self.selected()
        if user is None or view is None or view.loading is None:
            self.message.setText(tr("box.pick_loaded"))
            return
        desk, loading_id = self.desk, view.loading.id
        (
            Operation.on(
                self.runner,
                Lane.NETWORK,
                lambda: desk.renew_code(user=user, loading_id=loading_id),
            )
            .success(lambda done: self.done(tr("box.renewed", reference=done.reference)))
            .failure(self.show_failure)
            .run()
        )
