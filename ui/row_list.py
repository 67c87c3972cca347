"""The window's read-only lists: a table chosen by whole rows that Tab leaves rather than
walking its cells (arrows move inside it), no row numbers, the last column taking the rest."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget


def row_list(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setTabKeyNavigation(False)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table
