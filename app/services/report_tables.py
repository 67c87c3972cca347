"""The report as named tables, headers in the reader's language: one shape for the
dashboard's tables, the CSV and XLSX exports and the council's PDF, so they always agree."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.catalogue import Catalogue
from app.domain.messages import render
from app.services.reporting import Report

# each table's number of columns; their titles and headers are the message catalogue's
# ("table.sla.title", "table.sla.column1", ...)
COLUMNS = {
    "incoming": 4,
    "backlog": 3,
    "sla": 6,
    "processing": 5,
    "figures": 2,
    "throughput": 6,
    "per_clerk": 3,
}
CHANNELS = ("online", "counter", "pdf_form")


def channel_label(channel: str, language: str) -> str:
    return render(f"table.channel.{channel}", language)


@dataclass(frozen=True, slots=True)
class Table:
    key: str
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[object, ...]]


def report_tables(report: Report, catalogue: Catalogue, language: str = "de") -> list[Table]:
    def service(service_id: str) -> str:
        return catalogue.service(service_id).name(language)

    def text(key: str) -> str:
        return render(key, language)

    def table(key: str, rows: list[tuple[object, ...]]) -> Table:
        headers = tuple(text(f"table.{key}.column{n}") for n in range(1, COLUMNS[key] + 1))
        return Table(key, text(f"table.{key}.title"), headers, rows)

    figures: list[tuple[object, ...]] = [
        (text(f"table.figure.{k}"), v) for k, v in report.waiting.items()
    ]
    share = report.online_share
    figures.append((text("table.figure.online_share"), "–" if share is None else f"{share:.1%}"))
    for channel, count in report.channels.items():
        figures.append((channel_label(channel, language), count))
    if report.box is None:
        figures.append((text("table.figure.box"), text("table.figure.no_data")))
    else:
        figures += [(text(f"table.figure.{k}"), v) for k, v in report.box.items()]
    return [
        table(
            "incoming",
            [
                (
                    r["day"],
                    service(r["service"]),
                    channel_label(r["channel"], language),
                    r["cases"],
                )
                for r in report.incoming
            ],
        ),
        table("backlog", [(r["office"], r["age_days"], r["cases"]) for r in report.backlog]),
        table(
            "sla",
            [
                (
                    service(r["service"]),
                    r["sla_working_days"],
                    r["decided"],
                    r["decided_late"],
                    r["open"],
                    r["open_overdue"],
                )
                for r in report.sla
            ],
        ),
        table(
            "processing",
            [
                (
                    text(f"table.stage.{stage}"),
                    service(s),
                    int(f["cases"]),
                    f["p50_hours"],
                    f["p90_hours"],
                )
                for stage, services in report.processing.items()
                for s, f in services.items()
            ],
        ),
        table(
            "throughput",
            [
                (
                    r["office"],
                    r["decided"],
                    r["working_days"],
                    r["per_day"],
                    "–" if r["fte"] is None else r["fte"],
                    "–" if r["per_fte_day"] is None else r["per_fte_day"],
                )
                for r in report.throughput
            ],
        ),
        *(
            [
                table(
                    "per_clerk", [(r["office"], r["clerk"], r["decided"]) for r in report.per_clerk]
                )
            ]
            if report.per_clerk
            else []
        ),
        table("figures", figures),
    ]
