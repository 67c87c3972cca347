"""A report table (app.services.report_tables) shown in a QTableWidget: numbers as the
language writes them and right-aligned, breaches marked, every row in sight."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from app.services.report_tables import Table
from ui.i18n import format_number
from ui.reflow import fit_rows

NUMBER_ALIGNMENT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def fill_table(widget: QTableWidget, table: Table, alert_columns: tuple[int, ...] = ()) -> None:
    """`alert_columns`: a figure other than 0 there is a breach (a sign and bold, not colour
    alone)."""
    widget.setColumnCount(len(table.headers))
    widget.setHorizontalHeaderLabels(list(table.headers))
    widget.setRowCount(len(table.rows))
    for row, values in enumerate(table.rows):
        for column, value in enumerate(values):
            number = isinstance(value, int | float) and not isinstance(value, bool)
            text = (
                format_number(value)  # 22,27 in German
                if isinstance(value, int | float) and not isinstance(value, bool)
                else str(value)
            )
            item = QTableWidgetItem(text)
            if number:
                item.setTextAlignment(NUMBER_ALIGNMENT)
            if column in alert_columns and value not in (0, "0"):
                item.setText(f"⚠ {text}")
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            widget.setItem(row, column, item)
    fit_rows(widget)  # every row shown, the numbers whole; the page scrolls, not the table
