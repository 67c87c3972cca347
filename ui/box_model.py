"""The box view's table: every compartment of one box, the box's state beside ours. The state
is a word and a symbol in its own column, never a colour alone; a filter and a search narrow
the rows (a proxy, so 608 compartments stay one model)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from app.domain.pickup import IN_THE_BOX, CompartmentState
from app.services.pickup import CompartmentView
from ui.i18n import format_moment, tr

COLUMNS = (
    "box.col.compartment",
    "box.col.state",
    "box.col.case",
    "box.col.since",
    "box.col.deadline",
    "box.col.size",
    "box.col.reach",
)
FILTERS = ("all", "free", "loaded", "overdue", "door_open", "locked", "blocked", "conflict")
SYMBOLS = {  # beside the word: shape, not colour, tells them apart
    "free": "○",
    "loaded": "■",
    "collected": "✓",
    "door_open": "▭",
    "blocked": "⨯",
    "locked": "🔒",
    "conflict": "⚠",
    "reserved": "▭",
    "retrieving": "↩",
    "overdue": "⏰",
}
TINTS = {"conflict": "#fde2e1", "locked": "#fde2e1", "overdue": "#fff4d6", "door_open": "#e6f0ff"}

Index = QModelIndex | QPersistentModelIndex


def status_of(view: CompartmentView, now: dt.datetime) -> str:
    """One word for the row: conflicts and locks first, then what a clerk acts on."""
    if view.conflict:
        return "conflict"
    state = view.compartment.state
    if state is CompartmentState.LOCKED:
        return "locked"
    if state is CompartmentState.BLOCKED:
        return "blocked"
    if state is CompartmentState.DOOR_OPEN:
        return "door_open"
    loading = view.loading
    if loading is not None and loading.state in IN_THE_BOX:
        if loading.deadline is not None and now > loading.deadline:
            return "overdue"
        return "loaded"
    if loading is not None:
        return loading.state.value
    return "loaded" if state is CompartmentState.LOADED else "free"


def _when(value: dt.datetime | None) -> str:
    return format_moment(value) if value else ""


class BoxTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[CompartmentView] = []
        self.statuses: list[str] = []
        self.now = dt.datetime.now(dt.UTC)

    def show(self, rows: list[CompartmentView], now: dt.datetime) -> None:
        self.beginResetModel()
        self.rows, self.now = rows, now
        self.statuses = [status_of(row, now) for row in rows]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(COLUMNS[section])
        return None

    def text(self, row: int, column: int) -> str:
        view, status = self.rows[row], self.statuses[row]
        compartment, loading = view.compartment, view.loading
        if column == 0:
            return compartment.id
        if column == 1:
            return f"{SYMBOLS.get(status, '')} {tr(f'box.state.{status}')}"
        if column == 2:
            return loading.reference if loading else (compartment.reference or "")
        if column == 3:
            return _when(loading.loaded_at or loading.opened_at) if loading else ""
        if column == 4:
            return _when(loading.deadline) if loading else ""
        if column == 5:
            return compartment.size.value
        return tr("box.reach.low") if compartment.low else ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.BackgroundRole and self.statuses[index.row()] in TINTS:
            return QBrush(QColor(TINTS[self.statuses[index.row()]]))
        if role == Qt.ItemDataRole.UserRole:
            return self.statuses[index.row()]
        return None


class BoxFilter(QSortFilterProxyModel):
    """The filter (one status, or all) and the search (compartment or case reference)."""

    def __init__(self, source: BoxTableModel) -> None:
        super().__init__()
        self.setSourceModel(source)
        self.source = source
        self.status = "all"
        self.search = ""

    def set_filter(self, status: str, search: str) -> None:
        self.status, self.search = status, search.strip().upper()
        self.invalidate()

    def filterAcceptsRow(self, row: int, _parent: Index) -> bool:
        if self.status != "all" and self.source.statuses[row] != self.status:
            return False
        if not self.search:
            return True
        return self.search in (self.source.text(row, 0).upper(), "") or self.search in (
            self.source.text(row, 2).upper()
        )
