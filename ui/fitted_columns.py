"""A table's columns fitted to its width: the flexible columns (names, services) take what is
left, and on a narrow screen the columns named last-needed are hidden one by one instead of
being scrolled out of sight; the header's tooltip names what is hidden."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QTableView


class FittedColumns(QObject):
    """`flexible`: (column, share, least width); `fixed`: every other column; `hide_first`:
    the fixed columns that may go, in that order; `told(hidden)` after each fit."""

    def __init__(
        self,
        table: QTableView,
        *,
        flexible: Sequence[tuple[int, int, int]],
        hide_first: Sequence[int],
        told: Callable[[list[int]], None],
    ) -> None:
        super().__init__(table)
        self.table, self.flexible, self.hide_first, self.told = table, flexible, hide_first, told
        self.hidden: list[int] = []
        self._widths: dict[int, int] = {}  # a fixed column's width while it is hidden
        self._fitting = False
        table.horizontalHeader().setStretchLastSection(False)
        table.viewport().installEventFilter(self)  # its size is final when it is told

    def fit(self) -> None:
        if self._fitting:
            return
        self._fitting = True
        try:
            self._fit()
        finally:
            self._fitting = False

    def _fit(self) -> None:
        table, header = self.table, self.table.horizontalHeader()
        flexible = {column for column, _share, _least in self.flexible}
        room = table.viewport().width()
        widths = {
            column: self._widths.get(column, 0) or table.columnWidth(column) or 80
            for column in range(header.count())
            if column not in flexible
        }
        need = sum(widths.values()) + sum(least for _column, _share, least in self.flexible)
        hidden = []
        for column in self.hide_first:
            if need <= room:
                break
            hidden.append(column)
            need -= widths[column]
        for column, width in widths.items():
            if column in hidden and not table.isColumnHidden(column):
                self._widths[column] = width
            table.setColumnHidden(column, column in hidden)
            if column not in hidden and column in self._widths:
                table.setColumnWidth(column, self._widths.pop(column))
        left = room - sum(width for column, width in widths.items() if column not in hidden)
        shares = sum(share for _column, share, _least in self.flexible)
        for column, share, least in self.flexible:
            table.setColumnWidth(column, max(least, left * share // shares))
        if hidden != self.hidden:
            self.hidden = hidden
            self.told(hidden)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.fit()
        return False
