"""The inbox page: search, filters and the paged table of cases. It turns the filters into an
InboxQuery and says which case the clerk picked; the case itself is the case page's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.cases import OPEN_STATUSES, CaseStatus, Channel
from app.domain.catalogue import Catalogue
from app.domain.inbox import InboxQuery
from app.domain.users import Office, User
from app.services.desk import CaseDesk
from ui.fitted_columns import FittedColumns
from ui.i18n import channel_text, format_day, format_number, language, status_text, tr, tr_plural
from ui.inbox_model import CASE_ID_ROLE, HEADER_KEYS, Column, InboxTableModel
from ui.tasks import TaskRunner

SEARCH_DELAY_MS = 250
AGE_FILTERS = (1, 2, 7, 30)
OVERDUE = -1  # the age filter's entry for a drill-down's overdue cases


class InboxPage(QWidget):
    """`case_selected(id)` when the clerk moves to a case; `loaded` after each page of rows."""

    case_selected = Signal(int)
    selection_gone = Signal()  # the clerk's new search or filter no longer holds the case shown
    loaded = Signal()

    def __init__(
        self,
        *,
        desk: CaseDesk,
        catalogue: Catalogue,
        runner: TaskRunner,
        page_size: int,
        now: Callable[[], dt.datetime],
        offices: Callable[[], list[Office]],
        user: Callable[[], User | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk, self._catalogue = desk, catalogue
        self._offices, self._user = offices, user
        self.selected_case: int | None = None
        self._query_changed = False
        # a dashboard SLA row's drill-down: the overdue cases of one service, by the calendar
        self._overdue: tuple[str, dt.datetime] | None = None

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.status_filter = self._combo("filter_status")
        self.service_filter = self._combo("filter_service")
        self.office_filter = self._combo("filter_office")
        self.channel_filter = self._combo("filter_channel")
        self.age_filter = self._combo("filter_age")
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for combo in self.filter_combos():
            filters.addWidget(combo, 1)
            combo.currentIndexChanged.connect(self.apply_filters)

        self.model = InboxTableModel(
            desk=desk,
            runner=runner,
            service_names=lambda sid: catalogue.service(sid).name(language()),
            office_codes=self._office_code,
            page_size=page_size,
            now=now,
        )
        self.table = QTableView()
        self.table.setObjectName("inbox")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.table.verticalHeader().hide()
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()
        header.setSortIndicator(Column.RECEIVED, Qt.SortOrder.AscendingOrder)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._fit_fixed_columns(grow_only=False)
        # names and services share the width left; on a narrow screen received, office,
        # channel and assignee make way (the case beside the list shows them)
        self.columns = FittedColumns(
            self.table,
            flexible=((Column.APPLICANT, 9, 110), (Column.SERVICE, 10, 120)),
            hide_first=(Column.RECEIVED, Column.OFFICE, Column.CHANNEL, Column.ASSIGNEE),
            told=lambda _hidden: self._tell_hidden_columns(),
        )
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.model.loaded.connect(self._page_loaded)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._search_now)
        # from the search field Down goes into the list, its first case chosen
        down = QShortcut(QKeySequence(Qt.Key.Key_Down), self.search)
        down.setContext(Qt.ShortcutContext.WidgetShortcut)
        down.activated.connect(self.enter_list)
        self._open_single = False
        self.retranslate()

    @staticmethod
    def _combo(name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        # may shrink below its longest entry: with large fonts the window must still fit the
        # screen (the open list shows entries whole, the tooltip names the filter)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(9)
        return combo

    def filter_combos(self) -> tuple[QComboBox, ...]:
        return (
            self.status_filter,
            self.service_filter,
            self.office_filter,
            self.channel_filter,
            self.age_filter,
        )

    def _fit_fixed_columns(self, *, grow_only: bool = True) -> None:
        """Each column but names and services as wide as its heading and its widest value in
        the window's language (30 Sep 2026 is wider than 30.09.2026; a cut "(…" of
        "(überfällig)" says nothing); never narrower than the clerk made it."""
        metrics = self.table.fontMetrics()
        day = format_day(dt.date(2026, 9, 30))
        samples = {
            Column.REFERENCE: ["WE-2026-000000", "GE-2026-000000"],
            Column.OFFICE: ["WE"],
            Column.CHANNEL: [channel_text(channel) for channel in Channel],
            Column.STATUS: [status_text(status) for status in CaseStatus],
            Column.ASSIGNEE: ["m.mustermann"],
            Column.RECEIVED: [day],
            Column.DUE: [f"{day} ({tr('overdue')})"],
        }
        for column, values in samples.items():
            heading = metrics.horizontalAdvance(tr(HEADER_KEYS[column])) + 28  # sort arrow
            needed = max([heading, *(metrics.horizontalAdvance(v) + 14 for v in values)])
            if not grow_only or self.table.columnWidth(column) < needed:
                self.table.setColumnWidth(column, needed)

    def retranslate(self) -> None:
        """Texts in the current language; the chosen filters stay as they are."""
        self._fit_fixed_columns()
        self.columns.fit()
        self.search.setPlaceholderText(tr("filter.search"))
        self.search.setAccessibleName(tr("filter.search"))
        self.search.setToolTip(tr("filter.search"))
        self.table.setAccessibleName(tr("name.inbox"))
        for combo, key in zip(
            self.filter_combos(),
            ("filter.status", "filter.service", "filter.office", "filter.channel", "filter.age"),
            strict=True,
        ):
            combo.setAccessibleName(tr(key))
            combo.setToolTip(tr(key))
        self.fill_filters()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        self._tell_hidden_columns()

    def fill_filters(self) -> None:
        """The filters' choices (again, after sign-in or a language switch), keeping each
        combo's current choice."""
        chosen = [combo.currentData() for combo in self.filter_combos()]
        for combo in self.filter_combos():
            combo.blockSignals(True)
            combo.clear()
        self.status_filter.addItem(tr("filter.open"), "open")
        self.status_filter.addItem(tr("filter.mine"), "mine")
        self.status_filter.addItem(f"{tr('filter.status')}: {tr('filter.all')}", "")
        for status in CaseStatus:
            self.status_filter.addItem(status_text(status), status.value)
        self.service_filter.addItem(f"{tr('filter.service')}: {tr('filter.all')}", "")
        for service in self._catalogue.services:
            self.service_filter.addItem(service.name(language()), service.id)
        self.office_filter.addItem(f"{tr('filter.office')}: {tr('filter.all')}", None)
        for office in self._offices():
            self.office_filter.addItem(office.name, office.id)
        self.channel_filter.addItem(f"{tr('filter.channel')}: {tr('filter.all')}", "")
        for channel in Channel:
            self.channel_filter.addItem(channel_text(channel), channel.value)
        self.age_filter.addItem(f"{tr('filter.age')}: {tr('filter.all')}", 0)
        for days in AGE_FILTERS:
            self.age_filter.addItem(tr(f"age.{days}"), days)
        if self._overdue is not None:
            self.age_filter.addItem(tr("age.overdue"), OVERDUE)
        for combo, data in zip(self.filter_combos(), chosen, strict=True):
            index = combo.findData(data)
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)

    def _office_code(self, office_id: int) -> str:
        return next((o.code for o in self._offices() if o.id == office_id), "?")

    def header(self) -> QHeaderView:
        return self.table.horizontalHeader()

    def _tell_hidden_columns(self) -> None:
        names = ", ".join(tr(HEADER_KEYS[Column(column)]) for column in self.columns.hidden)
        self.header().setToolTip(tr("inbox.columns_hidden", columns=names) if names else "")

    def count_text(self, *, signed_in: bool = True) -> str:
        """How many cases the table shows, of how many (for the status bar)."""
        model = self.model
        total = model.total
        if model.loading or not signed_in:
            return tr("inbox.loading")
        if total is None:
            return tr("inbox.counting", shown=model.rowCount())
        if total > model.count_cap:
            cap = format_number(model.count_cap)
            return tr("inbox.count_many", shown=model.rowCount(), cap=cap)
        narrowing = self.narrowing_filters()
        if total == 0 and self.search.text().strip() and narrowing:
            # a search that finds nothing behind a filter says so (a drill-down's filter stays)
            return tr("inbox.none_filtered", filters=", ".join(narrowing))
        return tr_plural("inbox.count", total, shown=model.rowCount(), total=total)

    def narrowing_filters(self) -> list[str]:
        """The filters that keep cases out of the list, as they read."""
        return [
            combo.currentText()
            for combo in self.filter_combos()
            if combo.currentData() not in ("", None, 0)
        ]

    def _search_now(self) -> None:
        """Return in the search field: search at once; with exactly one hit, open it."""
        self._open_single = True
        self.apply_filters()

    def enter_list(self) -> None:
        """Into the list with its first case chosen (Down from the search field)."""
        if self.model.rowCount() == 0:
            return
        self.table.setFocus()
        if not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def current_query(self) -> InboxQuery:
        status = self.status_filter.currentData()
        statuses: frozenset[CaseStatus] = frozenset()
        assignee = None
        if status == "open":
            statuses = OPEN_STATUSES
        elif status == "mine":
            user = self._user()
            assignee = user.login if user else None
        elif status:
            statuses = frozenset({CaseStatus(status)})
        days = int(self.age_filter.currentData() or 0)
        overdue = self._overdue if days == OVERDUE else None
        if overdue is not None and overdue[0] != self.service_filter.currentData():
            overdue = None  # another service chosen: its own due days, not these
        channel = self.channel_filter.currentData()
        return replace(
            self.model.query,
            statuses=statuses,
            assignee=assignee,
            service_id=self.service_filter.currentData() or None,
            office_id=self.office_filter.currentData(),
            channel=Channel(channel) if channel else None,
            received_before=(
                overdue[1]
                if overdue is not None
                else self._desk.received_before(older_than_days=days)
                if days > 0
                else None
            ),
            search=self.search.text(),
        )

    def show_filtered(
        self,
        *,
        service_id: str | None = None,
        office_id: int | None = None,
        older_than_days: int = 0,
        overdue: bool = False,
    ) -> None:
        """The open cases behind a dashboard figure: the filters set, the rest reset. With
        `overdue` (an SLA row) only the service's cases past their due day, as the row
        counts them."""
        self._overdue = (
            (service_id, self._desk.overdue_before(service_id)) if overdue and service_id else None
        )
        self.fill_filters()
        if self._overdue is not None:
            older_than_days = OVERDUE
        for combo, data in (
            (self.status_filter, "open"),
            (self.service_filter, service_id or ""),
            (self.office_filter, office_id),
            (self.channel_filter, ""),
            (self.age_filter, older_than_days),
        ):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(data)))
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.apply_filters()

    def apply_filters(self) -> None:
        self._search_timer.stop()
        self._query_changed = True
        self.model.set_query(self.current_query())

    def stop(self) -> None:
        self._search_timer.stop()

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            # reference and name stay in view: the row, not the last column, is what was chosen
            self.table.horizontalScrollBar().setValue(0)
            self.selected_case = int(self.model.data(current, CASE_ID_ROLE))
            self.case_selected.emit(self.selected_case)

    def _page_loaded(self) -> None:
        """Keep the selected case's row selected across reloads, without reopening it. After
        the clerk's own new search or filter, a case that is no longer listed leaves the
        screen: acting on a person no longer in view is how the wrong one gets a decision."""
        changed, self._query_changed = self._query_changed, False
        if self.selected_case is not None:
            row = self.model.row_of(self.selected_case)
            if row is None and changed:
                self.selected_case = None
                self.table.clearSelection()
                self.selection_gone.emit()
            elif row is not None and self.table.currentIndex().row() != row:
                self.table.selectionModel().blockSignals(True)
                self.table.selectRow(row)
                self.table.selectionModel().blockSignals(False)
        open_single, self._open_single = self._open_single, False
        if open_single and self.model.rowCount() == 1 and self.model.total in (None, 1):
            self.table.setFocus()
            self.table.selectRow(0)  # the one hit is shown at once
        self.loaded.emit()
