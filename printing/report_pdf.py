"""The council's PDF report (reportlab): the city's letterhead, the period and the data basis
stated, the charts as vector graphics (reportlab's own charts, not pictures), the tables, and
"Seite n von m" on every page."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from babel.dates import format_date
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

from app.domain.messages import render
from app.integrations.settings import Settings
from app.services.report_tables import CHANNELS, Table, channel_label
from app.services.reporting import Report
from printing.layout import ACCENT, FONT, FONT_BOLD, escape

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
SERIES_COLOURS = (
    colors.HexColor("#1f4e79"),
    colors.HexColor("#9dc3e6"),
    colors.HexColor("#c55a11"),
    colors.HexColor("#7f7f7f"),
)


def _day(day: dt.date, language: str) -> str:
    """A date as the report's language writes it (CLDR by Babel): 07.12.2026, 7 Dec 2026."""
    return format_date(day, format="medium", locale="en_GB" if language == "en" else "de_DE")


def _t(key: str, language: str, **params: object) -> str:
    return render(f"report_pdf.{key}", language, **params)


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Draws "Seite n von m" once every page is known (reportlab's two-pass idiom)."""

    language = "de"
    header: tuple[str, str, str | None] = ("", "", None)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, object]] = []

    def showPage(self) -> None:  # noqa: N802
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        authority, address, arms = self.header
        self.saveState()
        self.setFillColor(ACCENT)
        self.rect(0, PAGE_HEIGHT - 8 * mm, PAGE_WIDTH, 8 * mm, 0, 1)
        self.setFillColor(colors.black)
        left = MARGIN
        if arms:
            self.drawImage(
                ImageReader(arms),
                MARGIN,
                PAGE_HEIGHT - 27 * mm,
                width=14 * mm,
                height=14 * mm,
                preserveAspectRatio=True,
                mask="auto",
            )
            left += 18 * mm
        self.setFont(FONT_BOLD, 12)
        self.drawString(left, PAGE_HEIGHT - 18 * mm, authority)
        self.setFont(FONT, 8.5)
        self.drawString(left, PAGE_HEIGHT - 23 * mm, address)
        self.setFont(FONT, 8)
        page = self._pageNumber
        self.drawRightString(
            PAGE_WIDTH - MARGIN, 12 * mm, _t("page", self.language, page=page, pages=total)
        )
        self.restoreState()


def _bar_chart(
    title: str, categories: list[str], series: list[tuple[str, list[float]]], *, stacked: bool
) -> Drawing:
    width, height = PAGE_WIDTH - 2 * MARGIN, 70 * mm
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 10, title, fontName=FONT_BOLD, fontSize=10))
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 40, width - 150, height - 65
    chart.data = [values for _name, values in series] or [[0]]
    chart.categoryAxis.categoryNames = categories or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 6 if len(categories) > 20 else 8
    # week labels ("2026-W41") side by side overlap from about seven on: slanted then
    slanted = len(categories) > 6
    chart.categoryAxis.labels.angle = 45 if slanted else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if slanted else "n"
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    values = [v for _name, v in series if v]
    # stacked bars are as high as their sum: the axis must reach it, or they pass the top
    tops = [sum(column) for column in zip(*values, strict=True)] if stacked and values else []
    highest = max(tops or [max(v) for v in values] or [0.0])
    chart.valueAxis.valueMax = max(1.0, highest * 1.1)
    if stacked:
        chart.categoryAxis.style = "stacked"
    for index in range(len(series)):
        chart.bars[index].fillColor = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 110, height - 30
    legend.fontName, legend.fontSize = FONT, 8
    legend.columnMaximum = 6
    legend.colorNamePairs = [
        (SERIES_COLOURS[i % len(SERIES_COLOURS)], name) for i, (name, _v) in enumerate(series)
    ]
    drawing.add(legend)
    return drawing


def _weekly_by_channel(
    report: Report, language: str
) -> tuple[list[str], list[tuple[str, list[float]]]]:

    weeks: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in report.incoming:
        day = dt.date.fromisoformat(row["day"])
        year, week, _weekday = day.isocalendar()
        weeks[f"{year}-W{week:02d}"][row["channel"]] += row["cases"]
    labels = sorted(weeks)
    series = [
        (channel_label(channel, language), [float(weeks[w].get(channel, 0)) for w in labels])
        for channel in CHANNELS
    ]
    return labels, series


def _backlog(report: Report) -> tuple[list[str], list[tuple[str, list[float]]]]:
    offices = sorted({row["office"] for row in report.backlog})
    buckets = list(dict.fromkeys(row["age_days"] for row in report.backlog))
    counts = {(r["office"], r["age_days"]): r["cases"] for r in report.backlog}
    return buckets, [
        (office, [float(counts.get((office, b), 0)) for b in buckets]) for office in offices
    ]


def _table(table: Table, body: ParagraphStyle) -> Flowable:
    head = ParagraphStyle("head", parent=body, fontName=FONT_BOLD)
    rows = [[Paragraph(escape(str(h)), head) for h in table.headers]] + [
        [Paragraph(escape(str(cell)), body) for cell in row] for row in table.rows
    ]
    pdf_table = PdfTable(rows, repeatRows=1, hAlign="LEFT")
    pdf_table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f2f2")]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return pdf_table


def council_report(
    report: Report, tables: Sequence[Table], *, settings: Settings, language: str = "de"
) -> bytes:
    body = ParagraphStyle("body", fontName=FONT, fontSize=8.5, leading=10.5)
    heading = ParagraphStyle(
        "h",
        fontName=FONT_BOLD,
        fontSize=11,
        leading=14,
        spaceBefore=8,
        spaceAfter=4,
        textColor=ACCENT,
    )
    title = ParagraphStyle("t", fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=4)
    office = _t("one", language, office=report.office) if report.office else _t("all", language)
    story: list[Flowable] = [
        Paragraph(escape(_t("title", language)), title),
        Paragraph(
            escape(
                _t(
                    "period",
                    language,
                    first=_day(report.period.first, language),
                    last=_day(report.period.last, language),
                    office=office,
                    as_of=f"{_day(report.as_of.date(), language)} {report.as_of:%H:%M} UTC",
                )
            ),
            body,
        ),
        Spacer(1, 4 * mm),
        _bar_chart(
            _t("chart_incoming", language), *_weekly_by_channel(report, language), stacked=True
        ),
        Spacer(1, 3 * mm),
        _bar_chart(_t("chart_backlog", language), *_backlog(report), stacked=False),
    ]
    for table in tables:
        if table.key == "incoming":
            continue  # day by day is the spreadsheet's; the chart above shows the weeks
        story.append(KeepTogether([Paragraph(escape(table.title), heading), _table(table, body)]))
    story.append(Paragraph(escape(_t("basis", language)), heading))
    for name, params in report.basis_notes:
        label = render(f"report_basis.{name}.label", language)
        text = render(f"report_basis.{name}", language, **params)
        story.append(Paragraph(f"<b>{escape(label)}</b>: {escape(text)}", body))
    arms = (
        settings.coat_of_arms_file
        if settings.coat_of_arms_file and Path(settings.coat_of_arms_file).exists()
        else None
    )

    class Numbered(_NumberedCanvas):
        pass

    Numbered.language = language
    Numbered.header = (settings.authority_name, settings.authority_address, arms)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=32 * mm,
        bottomMargin=20 * mm,
        title=_t("title", language),
        author=settings.authority_name,
    )
    document.build(story, canvasmaker=Numbered)
    return buffer.getvalue()
