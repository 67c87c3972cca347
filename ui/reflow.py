"""Layouts that follow the window's width: a grid of panels that goes from two columns to one
on a narrow screen, and tables as tall as their rows (no list scrolled inside a scrolled
page). Used where a 1280x800 screen would otherwise cut columns or show five rows."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QGridLayout, QHeaderView, QTableWidget, QWidget

_STRETCH, _CONTENTS = QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.ResizeToContents


def fit_rows(table: QTableWidget, most: int = 25) -> None:
    """The table as tall as its header and rows (at most `most` rows; more scroll inside);
    the first column takes the width that is left, the others are as wide as their content."""
    header = table.horizontalHeader()
    for column in range(table.columnCount()):
        mode = (
            QHeaderView.ResizeMode.Stretch
            if column == 0
            else QHeaderView.ResizeMode.ResizeToContents
        )
        header.setSectionResizeMode(column, mode)
    header.setStretchLastSection(False)
    shown = min(table.rowCount(), most)
    rows = (
        sum(table.rowHeight(row) for row in range(shown))
        if shown
        else table.verticalHeader().defaultSectionSize()
    )
    frame = 2 * table.frameWidth()
    scrollbar = table.horizontalScrollBar().sizeHint().height()
    table.setFixedHeight(header.height() + rows + frame + scrollbar)
    table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)


class ReflowGrid(QObject):
    """Panels in rows of two (`rows`: left and right, or one spanning both with None on the
    right) while `host` is at least `wide` pixels wide; one below the other when narrower."""

    def __init__(
        self,
        host: QWidget,
        rows: Sequence[tuple[QWidget, QWidget | None]],
        *,
        wide: int = 1400,
        stretch: tuple[int, int] = (3, 2),
    ) -> None:
        super().__init__(host)
        self.host, self.rows, self.wide, self.stretch = host, list(rows), wide, stretch
        self.grid = QGridLayout(host)
        self.columns = 0
        self._arrange(2)
        host.installEventFilter(self)

    def _arrange(self, columns: int) -> None:
        if columns == self.columns:
            return
        self.columns = columns
        for left, right in self.rows:
            for widget in (left, right):
                if widget is not None:
                    self.grid.removeWidget(widget)
        line = 0
        for left, right in self.rows:
            if columns == 2:
                if right is None:
                    self.grid.addWidget(left, line, 0, 1, 2)
                else:
                    self.grid.addWidget(left, line, 0)
                    self.grid.addWidget(right, line, 1)
                line += 1
            else:
                for widget in (left, right):
                    if widget is not None:
                        self.grid.addWidget(widget, line, 0, 1, 2)
                        line += 1
        self.grid.setColumnStretch(0, self.stretch[0] if columns == 2 else 1)
        self.grid.setColumnStretch(1, self.stretch[1] if columns == 2 else 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.host and event.type() == QEvent.Type.Resize:
            self._arrange(2 if self.host.width() >= self.wide else 1)
        return False


class ButtonRows(QObject):
    """Buttons in a grid of as many columns (up to `most`) as `host`'s width (less `margin`)
    holds at the buttons' natural widths: four on a wide screen, fewer on a narrow one, never a
    column cut off. Hidden buttons leave no gap. In a scroll area the host is its viewport:
    the scrolled widget is as wide as its content wants."""

    def __init__(
        self,
        host: QWidget,
        grid: QGridLayout,
        buttons: Sequence[QWidget],
        *,
        margin: int = 0,
        most: int = 4,
    ) -> None:
        super().__init__(host)
        self.host, self.grid, self.buttons, self.most = host, grid, list(buttons), most
        self.margin = margin
        self.columns = 0
        self.arranged: tuple[int, tuple[bool, ...]] | None = None
        host.installEventFilter(self)
        for button in self.buttons:
            button.installEventFilter(self)
        self.arrange()

    def arrange(self) -> None:
        visible = [button for button in self.buttons if not _hidden(button)]
        spacing = max(self.grid.horizontalSpacing(), 0)
        room = self.host.width() - self.margin
        widths = [button.sizeHint().width() for button in visible]

        def fits(columns: int) -> bool:
            widest = [max(widths[c::columns], default=0) for c in range(columns)]
            return sum(widest) + spacing * (columns - 1) <= room

        columns = next((c for c in range(self.most, 1, -1) if fits(c)), 1)
        shown = tuple(not _hidden(button) for button in self.buttons)
        if self.arranged == (columns, shown):
            return
        self.arranged, self.columns = (columns, shown), columns
        for button in self.buttons:
            self.grid.removeWidget(button)
        for index, button in enumerate(visible):
            self.grid.addWidget(button, index // columns, index % columns)
        for column in range(self.most):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if (watched is self.host and kind == QEvent.Type.Resize) or (
            watched is not self.host
            and kind in (QEvent.Type.ShowToParent, QEvent.Type.HideToParent)
        ):
            self.arrange()
        return False


def _hidden(widget: QWidget) -> bool:
    """Hidden on purpose (not merely not shown yet, as a new widget is)."""
    return widget.isHidden() and widget.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide)
