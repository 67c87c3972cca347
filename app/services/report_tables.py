"""The report as named tables with German headers (English selectable): one shape for the
dashboard's tables, the CSV and XLSX exports and the council's PDF, so they always agree."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.catalogue import Catalogue
from app.services.reporting import Report

HEADERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "incoming": (
        ("Tag", "Leistung", "Kanal", "Vorgänge"),
        ("Day", "Service", "Channel", "Cases"),
    ),
    "backlog": (("Bürgerbüro", "Alter (Tage)", "offen"), ("Office", "Age (days)", "Open")),
    "sla": (
        (
            "Leistung",
            "Frist (Arbeitstage)",
            "entschieden",
            "davon verspätet",
            "offen",
            "davon überfällig",
        ),
        ("Service", "SLA (working days)", "Decided", "of them late", "Open", "of them overdue"),
    ),
    "processing": (
        ("Abschnitt", "Leistung", "Vorgänge", "p50 (Std.)", "p90 (Std.)"),
        ("Stage", "Service", "Cases", "p50 (h)", "p90 (h)"),
    ),
    "figures": (("Kennzahl", "Wert"), ("Figure", "Value")),
    "throughput": (
        ("Bürgerbüro", "entschieden", "Arbeitstage", "je Tag", "VZÄ", "je VZÄ und Tag"),
        ("Office", "Decided", "Working days", "Per day", "FTE", "Per FTE and day"),
    ),
    "per_clerk": (("Bürgerbüro", "Sachbearbeitung", "entschieden"), ("Office", "Clerk", "Decided")),
}
TITLES = {
    "incoming": ("Eingang nach Tag, Leistung und Kanal", "Incoming by day, service and channel"),
    "backlog": ("Offener Rückstand nach Alter und Bürgerbüro", "Open backlog by age and office"),
    "sla": ("Fristen je Leistung", "SLA per service"),
    "processing": ("Bearbeitungszeiten", "Processing times"),
    "figures": ("Weitere Kennzahlen", "Further figures"),
    "throughput": ("Durchsatz je Bürgerbüro", "Throughput per office"),
    "per_clerk": ("Entscheidungen je Sachbearbeitung", "Decisions per clerk"),
}
CHANNELS = {
    "online": ("Portal", "Portal"),
    "counter": ("Theke", "Counter"),
    "pdf_form": ("PDF-Formular", "PDF form"),
}
STAGES = {
    "received_to_decided": ("Eingang → Entscheidung", "Received → decided"),
    "decided_to_handed_over": ("Entscheidung → Übergabe", "Decided → handed over"),
}
FIGURES = {
    "waiting_on_citizen": ("Warten auf Rückfrage", "Waiting on the citizen"),
    "quarantined": ("in Quarantäne", "Quarantined"),
    "unpaid": ("Gebühr offen", "Fee unpaid"),
    "paid_not_released": ("bezahlt, nicht ausgegeben", "Paid, not released"),
    "online_share": ("Online-Anteil", "Online share"),
    "items_waiting": ("Ausgabebox: Dokumente im Fach", "Pickup box: items waiting"),
    "loaded": ("Ausgabebox: eingelegt", "Pickup box: loaded"),
    "collected_within_hold": ("Ausgabebox: fristgerecht abgeholt", "Pickup box: collected in time"),
    "returned": ("Ausgabebox: zurückgenommen", "Pickup box: returned"),
    "median_dwell_hours": (
        "Ausgabebox: Verweildauer (Median, Std.)",
        "Pickup box: median dwell (h)",
    ),
    "box": ("Ausgabebox", "Pickup box"),
}


@dataclass(frozen=True, slots=True)
class Table:
    key: str
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[object, ...]]


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language == "en" else pair[0]


def report_tables(report: Report, catalogue: Catalogue, language: str = "de") -> list[Table]:
    def service(service_id: str) -> str:
        return catalogue.service(service_id).name(language)

    def table(key: str, rows: list[tuple[object, ...]]) -> Table:
        index = 1 if language == "en" else 0
        return Table(key, _pick(TITLES[key], language), HEADERS[key][index], rows)

    figures: list[tuple[object, ...]] = [
        (_pick(FIGURES[k], language), v) for k, v in report.waiting.items()
    ]
    share = report.online_share
    figures.append(
        (_pick(FIGURES["online_share"], language), "–" if share is None else f"{share:.1%}")
    )
    for channel, count in report.channels.items():
        figures.append((_pick(CHANNELS[channel], language), count))
    if report.box is None:
        no_data = "keine Daten (noch nicht in Betrieb)" if language != "en" else "no data yet"
        figures.append((_pick(FIGURES["box"], language), no_data))
    else:
        figures += [(_pick(FIGURES[k], language), v) for k, v in report.box.items()]
    return [
        table(
            "incoming",
            [
                (
                    r["day"],
                    service(r["service"]),
                    _pick(CHANNELS[r["channel"]], language),
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
                    _pick(STAGES[stage], language),
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
