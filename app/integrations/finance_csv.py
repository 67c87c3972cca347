"""The finance export's default adapter: a CSV file as German finance systems import one
(semicolon, decimal comma, UTF-8 with BOM so Excel opens it right), its columns and their order
a setting. XFinanz (the standard's XML for municipal finance) would be another adapter of the
same port; see docs/payments.md."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from app.ports.till import FinanceRow

COLUMNS: dict[str, str] = {
    "date": "Buchungsdatum",
    "kassenzeichen": "Kassenzeichen",
    "amount": "Betrag",
    "method": "Zahlweg",
    "account": "Sachkonto",
    "cost_centre": "Kostenstelle",
    "product": "Produkt",
    "booking_text": "Buchungstext",
}
DEFAULT_COLUMNS = "date,kassenzeichen,amount,method,account,cost_centre,booking_text"


def columns_of(setting: str) -> list[str]:
    """The configured columns; an unknown name is one clear error naming the known ones."""
    names = [name.strip() for name in (setting or DEFAULT_COLUMNS).split(",") if name.strip()]
    unknown = [name for name in names if name not in COLUMNS]
    if unknown or not names:
        raise ValueError(
            f"finance_export_columns: unknown {', '.join(unknown) or '(none)'}; "
            f"known: {', '.join(COLUMNS)}"
        )
    return names


def _value(row: FinanceRow, name: str) -> str:
    if name == "date":
        return row.day.strftime("%d.%m.%Y")
    if name == "amount":
        sign = "-" if row.amount_cents < 0 else ""
        euros, cents = divmod(abs(row.amount_cents), 100)
        return f"{sign}{euros},{cents:02d}"
    return str(getattr(row, name))


class CsvFinanceExport:
    def __init__(self, columns: str = DEFAULT_COLUMNS, delimiter: str = ";") -> None:
        self.columns, self.delimiter = columns_of(columns), delimiter

    def write(self, rows: Sequence[FinanceRow], target: Path) -> None:
        partial = target.with_name(target.name + ".partial")
        with partial.open("w", encoding="utf-8-sig", newline="") as file:
            out = csv.writer(file, delimiter=self.delimiter, lineterminator="\r\n")
            out.writerow([COLUMNS[name] for name in self.columns])
            for row in rows:
                out.writerow([_value(row, name) for name in self.columns])
        partial.replace(target)  # never a half-written file where the finance system looks


def read_back(path: Path, delimiter: str = ";") -> list[dict[str, str]]:
    """The file as the finance system reads it (tests, `finance export` checks its output)."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file, delimiter=delimiter))
