"""The supervisors' "Übersicht": a period and an office, the charts (QtCharts) with the tables
beside them that a screen reader reads and that give the exact values, a drill-down from a
figure to the inbox filtered to the cases behind it, and the exports. The report is made on the
database lane, again on demand and every few minutes while the page is shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QHideEvent, QPainter, QPen, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.catalogue import Catalogue
from app.domain.users import Office, User
from app.lanes import Lane
from app.services.report_tables import CHANNELS, Table, channel_label, report_tables
from app.services.reporting import Period, Report, ReportDesk
from ui.dialogs import ask_save_path
from ui.figure_table import fill_table
from ui.i18n import error_text, format_moment, format_percent, language, tr, tr_plural
from ui.operations import Operation
from ui.reflow import ReflowGrid
from ui.row_list import row_list
from ui.tasks import TaskRunner

REFRESH_MS = 5 * 60 * 1000
AGE_TO_FILTER = {"0–2": 0, "3–5": 2, "6–10": 7, "> 10": 7}  # the inbox's "older than" choices


def _chart(title: str) -> tuple[QChart, QChartView]:
    chart = QChart()
    chart.setTitle(title)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(300)
    view.setMaximumHeight(380)  # the rest of a tall page goes to the tables, not the bars
    view.setAccessibleName(title)
    return chart, view


class DashboardPage(QWidget):
    drill = Signal(object)  # {"service_id": …, "office_id": …, "older_than_days": …}

    def __init__(
        self,
        *,
        runner: TaskRunner,
        desk: ReportDesk,
        catalogue: Catalogue,
        user: Callable[[], User | None],
        offices: Callable[[], list[Office]],
        render: Callable[[str, Report, list[Table]], bytes] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner, self._desk, self._catalogue = runner, desk, catalogue
        self._user, self._offices, self._render = user, offices, render
        self.report: Report | None = None
        self.tables: list[Table] = []
        today = QDate.currentDate()
        self.first = QDateEdit(QDate(today.year(), 1, 1))
        self.last = QDateEdit(today)
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
        self.office = QComboBox()
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.load)
        self.export_buttons = {kind: QPushButton() for kind in ("csv", "xlsx", "pdf")}
        for kind, button in self.export_buttons.items():
            button.clicked.connect(lambda _checked=False, k=kind: self.export(k))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.incoming_chart, self.incoming_view = _chart("")
        self.backlog_chart, self.backlog_view = _chart("")
        self.backlog_table = row_list(0)
        self.sla_table = row_list(0)
        self.processing_table = row_list(0)
        self.figures_table = row_list(0)
        self.backlog_table.cellActivated.connect(self._drill_backlog)
        self.sla_table.cellActivated.connect(self._drill_sla)
        self.labels = {
            key: QLabel()
            for key in (
                "from",
                "to",
                "office",
                "incoming",
                "backlog",
                "sla",
                "processing",
                "figures",
            )
        }
        self.labels["from"].setBuddy(self.first)
        self.labels["to"].setBuddy(self.last)
        self.labels["office"].setBuddy(self.office)

        top = QHBoxLayout()
        for key, field in (("from", self.first), ("to", self.last), ("office", self.office)):
            top.addWidget(self.labels[key])
            top.addWidget(field)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        for button in self.export_buttons.values():
            top.addWidget(button)
        content = QWidget()
        # two panels a row on a wide screen, one below the other on a 1280 px one
        self.reflow = ReflowGrid(
            content,
            [
                (self.incoming_view, self._section("incoming", self.summary)),
                (self.backlog_view, self._section("backlog", self.backlog_table)),
                (
                    self._section("sla", self.sla_table),
                    self._section("processing", self.processing_table),
                ),
                (self._section("figures", self.figures_table), None),
            ],
        )
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        self.message = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        self.timer = QTimer(self)
        self.timer.setObjectName("dashboard-refresh")
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.load)
        self.retranslate()

    def _section(self, key: str, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = self.labels[key]
        font = QFont(heading.font())
        font.setBold(True)
        heading.setFont(font)
        heading.setBuddy(widget)
        layout.addWidget(heading)
        layout.addWidget(widget, 1)
        return box

    def retranslate(self) -> None:
        for key, label in self.labels.items():
            label.setText(tr(f"dashboard.{key}"))
        self.refresh_button.setText(tr("dashboard.refresh"))
        for kind, button in self.export_buttons.items():
            button.setText(tr(f"dashboard.export.{kind}"))
        self.incoming_chart.setTitle(tr("dashboard.chart.incoming"))
        self.backlog_chart.setTitle(tr("dashboard.chart.backlog"))
        self.fill_offices()
        if self.report is not None:
            self._show(self.report)

    def fill_offices(self) -> None:
        chosen = self.office.currentData()
        self.office.blockSignals(True)
        self.office.clear()
        self.office.addItem(tr("dashboard.all_offices"), None)
        for office in self._offices():
            self.office.addItem(office.name, office.code)
        self.office.setCurrentIndex(max(0, self.office.findData(chosen)))
        self.office.blockSignals(False)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.timer.start()
        if self.report is None:
            self.load()

    def hideEvent(self, event: QHideEvent) -> None:
        self.timer.stop()
        super().hideEvent(event)

    def period(self) -> Period:
        first, last = self.first.date(), self.last.date()
        return Period(
            dt.date(first.year(), first.month(), first.day()),
            dt.date(last.year(), last.month(), last.day()),
        )

    def load(self) -> None:
        user = self._user()
        if user is None:
            return
        desk, period, office = self._desk, self.period(), self.office.currentData()
        self.message.setText(tr("dashboard.loading"))
        (
            Operation.on(
                self._runner,
                Lane.DATABASE,
                lambda: desk.report(user=user, period=period, office=office),
            )
            .success(self._show)
            .failure(lambda error: self.message.setText(error_text(error)))
            .run()
        )

    # --- showing ----------------------------------------------------------------------------

    def _show(self, report: Report) -> None:
        self.report = report
        self.tables = report_tables(report, self._catalogue, language())
        by_key = {table.key: table for table in self.tables}
        fill_table(self.backlog_table, by_key["backlog"])
        fill_table(self.sla_table, by_key["sla"], alert_columns=(3, 5))
        fill_table(self.processing_table, by_key["processing"])
        fill_table(self.figures_table, by_key["figures"])
        self._incoming(report)
        self._backlog(report)
        share = "–" if report.online_share is None else format_percent(report.online_share)
        total = sum(report.channels.values())
        self.summary.setText(tr_plural("dashboard.summary", total, total=total, share=share))
        self.message.setText(tr("dashboard.as_of", as_of=format_moment(report.as_of)))

    def _incoming(self, report: Report) -> None:
        weeks: dict[str, dict[str, int]] = {}
        for row in report.incoming:
            year, week, _weekday = dt.date.fromisoformat(row["day"]).isocalendar()
            label = f"KW {week:02d}/{year % 100:02d}"
            weeks.setdefault(label, {})
            weeks[label][row["channel"]] = weeks[label].get(row["channel"], 0) + row["cases"]
        labels = sorted(weeks, key=lambda label: (label[-2:], label))
        chart = self.incoming_chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        series = QStackedBarSeries()
        for channel in CHANNELS:
            bars = QBarSet(channel_label(channel, language()))
            bars.append([float(weeks[label].get(channel, 0)) for label in labels])
            series.append(bars)
        chart.addSeries(series)
        self._axes(chart, series, labels)
        # the council's goal as a trend: the online share per week, on its own 0–100 % axis
        share = QLineSeries()
        share.setName(tr("dashboard.online_share"))
        share.setPen(QPen(QColor("#222222"), 2, Qt.PenStyle.DashLine))  # apart from the bars
        for index, label in enumerate(labels):
            total = sum(weeks[label].values())
            share.append(index, 100.0 * weeks[label].get("online", 0) / total if total else 0.0)
        chart.addSeries(share)
        percent = QValueAxis()
        percent.setRange(0, 100)
        percent.setLabelFormat("%d %%")
        chart.addAxis(percent, Qt.AlignmentFlag.AlignRight)
        share.attachAxis(percent)
        share.attachAxis(chart.axes(Qt.Orientation.Horizontal)[0])

    def _backlog(self, report: Report) -> None:
        buckets = list(dict.fromkeys(row["age_days"] for row in report.backlog))
        offices = sorted({row["office"] for row in report.backlog})
        counts = {(r["office"], r["age_days"]): r["cases"] for r in report.backlog}
        chart = self.backlog_chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        series = QBarSeries()
        for office in offices:
            bars = QBarSet(office)
            bars.append([float(counts.get((office, bucket), 0)) for bucket in buckets])
            series.append(bars)
        chart.addSeries(series)
        self._axes(chart, series, buckets)

    @staticmethod
    def _axes(chart: QChart, series: QBarSeries | QStackedBarSeries, labels: list[str]) -> None:
        categories = QBarCategoryAxis()
        categories.append(labels)
        if len(labels) > 16 and labels:  # too many to read: the span instead of each week
            categories.setLabelsVisible(False)
            categories.setTitleText(tr("dashboard.weeks", first=labels[0], last=labels[-1]))
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        values = QValueAxis()
        values.setLabelFormat("%d")
        values.setMin(0)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(values)
        sets = series.barSets()
        if isinstance(series, QStackedBarSeries):
            highest = max((sum(b.at(i) for b in sets) for i in range(len(labels))), default=0)
        else:
            highest = max((b.at(i) for b in sets for i in range(b.count())), default=0)
        if highest <= 5:  # small counts: one tick per case, never "0, 0, 1, 1"
            values.setRange(0, max(1, int(highest)))
            values.setTickCount(max(1, int(highest)) + 1)
        else:
            values.applyNiceNumbers()
        chart.legend().setVisible(True)

    # --- drill-down and export --------------------------------------------------------------

    def _drill_sla(self, row: int, _column: int) -> None:
        if self.report is None or row >= len(self.report.sla):
            return
        office = next((o.id for o in self._offices() if o.code == self.report.office), None)
        service = self.report.sla[row]["service"]
        # the row's "davon überfällig": the list shows those cases, not all open ones
        self.drill.emit({"service_id": service, "office_id": office, "overdue": True})

    def _drill_backlog(self, row: int, _column: int) -> None:
        if self.report is None or row >= len(self.report.backlog):
            return
        entry = self.report.backlog[row]
        office = next((o.id for o in self._offices() if o.code == entry["office"]), None)
        self.drill.emit(
            {"office_id": office, "older_than_days": AGE_TO_FILTER.get(entry["age_days"], 0)}
        )

    def export(self, kind: str, path: Path | None = None) -> None:
        report, tables = self.report, self.tables
        if report is None:
            return
        if path is None:
            name = f"bericht-{report.period.first}-{report.period.last}.{kind}"
            path = ask_save_path(self, tr("dashboard.export.title"), name)
            if path is None:
                return
        render = self._render
        if render is None:
            return

        def write() -> Path:
            path.write_bytes(render(kind, report, tables))
            return path

        (
            Operation.on(self._runner, Lane.PRINTING, write)
            .success(
                lambda written: self.message.setText(tr("dashboard.exported", path=str(written)))
            )
            .failure(lambda error: self.message.setText(error_text(error)))
            .run()
        )
