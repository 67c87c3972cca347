"""The report's tables as CSV (one table after another, each headed by its title) and as XLSX
(one sheet per table, with openpyxl), for a supervisor's spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

from app.services.report_tables import Table


def tables_csv(tables: Sequence[Table]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")  # a German spreadsheet's separator
    for table in tables:
        writer.writerow([table.title])
        writer.writerow(table.headers)
        writer.writerows(table.rows)
        writer.writerow([])
    return buffer.getvalue()


def tables_xlsx(tables: Sequence[Table], *, basis: dict[str, str]) -> bytes:
    workbook = Workbook()
    first = workbook.active
    workbook.remove(first)
    for table in tables:
        sheet = workbook.create_sheet(table.key)
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(list(table.headers))
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(list(row))
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, width + 2)
    about = workbook.create_sheet("basis")
    for name, text in basis.items():
        about.append([name, text])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
