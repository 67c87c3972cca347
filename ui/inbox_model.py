"""The inbox as a paged table model: rows arrive page by page from the database lane;
the model never holds more than what has been scrolled into view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from app.domain.cases import OPEN_STATUSES
from app.domain.inbox import InboxQuery, InboxRow, SortKey
from app.domain.working_days import past_due, utc_day
from app.services.desk import CaseDesk
from ui.i18n import channel_text, format_day, format_moment, status_text, tr
from ui.operations import Operation
from ui.tasks import Lane, TaskRunner

CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
COUNT_CAP = 10_000  # beyond this the clerk reads "more than 10,000": exact totals are reports' job
OVERDUE_TEXT_COLOUR = QColor("#a30000")  # 7.8:1 on white; the word "überfällig" says it too


class Column(IntEnum):
    REFERENCE = 0
    APPLICANT = 1
    SERVICE = 2
    OFFICE = 3
    CHANNEL = 4
    STATUS = 5
    ASSIGNEE = 6
    RECEIVED = 7
    DUE = 8


HEADER_KEYS = {
    Column.REFERENCE: "column.reference",
    Column.APPLICANT: "column.applicant",
    Column.SERVICE: "column.service",
    Column.OFFICE: "column.office",
    Column.CHANNEL: "column.channel",
    Column.STATUS: "column.status",
    Column.ASSIGNEE: "column.assignee",
    Column.RECEIVED: "column.received",
    Column.DUE: "column.due",
}
SORT_KEYS = {
    Column.REFERENCE: SortKey.REFERENCE,
    Column.APPLICANT: SortKey.APPLICANT,
    Column.SERVICE: SortKey.SERVICE,
    Column.STATUS: SortKey.STATUS,
    Column.RECEIVED: SortKey.RECEIVED,
    Column.DUE: SortKey.DUE,
}

Index = QModelIndex | QPersistentModelIndex


def local_time(value: dt.datetime) -> str:
    return format_moment(value)


class InboxTableModel(QAbstractTableModel):
    """Rows of the current query. The first page comes first (`loaded`), the count after it
    (`counted`), so the clerk sees rows as soon as they are read; `failed(error)` on errors."""

    loaded = Signal()
    counted = Signal(int)
    failed = Signal(object)

    def __init__(
        self,
        *,
        desk: CaseDesk,
        runner: TaskRunner,
        service_names: Callable[[str], str],
        office_codes: Callable[[int], str],
        page_size: int = 200,
        count_cap: int = COUNT_CAP,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        super().__init__()
        self._bold = QFont()  # one font for every overdue cell, not one per paint
        self._bold.setBold(True)
        self._desk = desk
        self._runner = runner
        self._service_names = service_names
        self._office_codes = office_codes
        self._page_size = page_size
        self._count_cap = count_cap
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self._rows: list[InboxRow] = []
        self._due_days: dict[int, dt.date] = {}  # case id → its due day (the calendar's)
        self._total: int | None = None
        self._exhausted = True
        self._query = InboxQuery()
        self._generation = 0
        self._loading = False

    # --- querying -----------------------------------------------------------------------------

    @property
    def query(self) -> InboxQuery:
        return self._query

    @property
    def total(self) -> int | None:
        """Matching cases, capped at count_cap + 1; None until counted."""
        return self._total

    @property
    def count_cap(self) -> int:
        return self._count_cap

    @property
    def loading(self) -> bool:
        return self._loading

    def set_query(self, query: InboxQuery) -> None:
        """Start over with `query`: first page, then the count, as two database tasks."""
        self._query = query
        self._generation += 1
        generation = self._generation
        self._loading = True
        desk, size, cap = self._desk, self._page_size, self._count_cap

        def shown(rows: list[InboxRow]) -> None:
            if generation != self._generation:
                return  # a newer query superseded this one
            self.beginResetModel()
            self._rows, self._total = rows, None
            self._exhausted = len(rows) < size
            self._loading = False
            self.endResetModel()
            self.loaded.emit()

        def counted(total: int) -> None:
            if generation == self._generation:
                self._total = total
                self.counted.emit(total)

        (
            Operation.on(
                self._runner, Lane.DATABASE, lambda: desk.inbox_page(query, offset=0, limit=size)
            )
            .success(shown)
            .failure(self._fail(generation))
            .run()
        )
        (
            Operation.on(self._runner, Lane.DATABASE, lambda: desk.inbox_count(query, cap=cap))
            .success(counted)
            .failure(self._fail(generation))
            .run()
        )

    def refresh(self) -> None:
        self.set_query(self._query)

    def _fail(self, generation: int) -> Callable[[BaseException], None]:
        def failed(error: BaseException) -> None:
            if generation == self._generation:
                self._loading = False
                self.failed.emit(error)

        return failed

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._loading and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._loading = True
        generation, query, offset = self._generation, self._query, len(self._rows)
        desk, size = self._desk, self._page_size

        def done(rows: list[InboxRow]) -> None:
            if generation != self._generation:
                return
            self._loading = False
            self._exhausted = len(rows) < size
            if rows:
                self.beginInsertRows(
                    QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1
                )
                self._rows.extend(rows)
                self.endInsertRows()
            self.loaded.emit()

        (
            Operation.on(
                self._runner,
                Lane.DATABASE,
                lambda: desk.inbox_page(query, offset=offset, limit=size),
            )
            .success(done)
            .failure(self._fail(generation))
            .run()
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(Column(column))
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if self._generation == 0:  # the view sets its sort indicator before the first query
            self._query = replace(self._query, sort=key, descending=descending)
            return
        self.set_query(replace(self._query, sort=key, descending=descending))

    # --- the table ----------------------------------------------------------------------------

    def row_at(self, row: int) -> InboxRow:
        return self._rows[row]

    def row_of(self, case_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.id == case_id), None)

    def row_of_reference(self, reference: str) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.reference == reference), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(HEADER_KEYS[Column(section)])
        return None

    def _due_day(self, row: InboxRow) -> dt.date:
        """Asked for each painted cell's text, colour and font: worked out once per case."""
        due = self._due_days.get(row.id)
        if due is None:
            due = self._desk.calendar.due_day(row.service_id, row.received_at)
            self._due_days[row.id] = due
        return due

    def _overdue(self, row: InboxRow) -> bool:
        return row.status in OPEN_STATUSES and past_due(self._due_day(row), utc_day(self._now()))

    def _text(self, row: InboxRow, column: Column) -> str:
        match column:
            case Column.REFERENCE:
                return row.reference
            case Column.APPLICANT:
                return tr("inbox.data_entry") if row.needs_data_entry else row.applicant
            case Column.SERVICE:
                return self._service_names(row.service_id)
            case Column.OFFICE:
                return self._office_codes(row.office_id)
            case Column.CHANNEL:
                return channel_text(row.channel)
            case Column.STATUS:
                return status_text(row.status)
            case Column.ASSIGNEE:
                return row.assignee or "–"
            case Column.RECEIVED:
                return local_time(row.received_at)
            case Column.DUE:
                due = format_day(self._due_day(row))
                return f"{due} ({tr('overdue')})" if self._overdue(row) else due

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column is Column.APPLICANT:
            return self._text(row, column)
        if column is Column.DUE and self._overdue(row):
            # said in words and in bold, not by colour alone (WCAG 1.4.1)
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(OVERDUE_TEXT_COLOUR)
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
        if role == CASE_ID_ROLE:
            return row.id
        return None
