"""The health view: the status bar's line (every system reachable, or which are not; a click
opens the page) and the "Systeme" page: each remote system with its state, when it last
answered, when it is tried next, why it failed and what the clerk can still do without it.
It reads the core's health board (memory, no I/O); the probes that try a system which is down
run on the network lane, the database's on the database lane."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QShowEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.health import Condition, System, SystemHealth, name_key, still_possible_key
from app.domain.outbox import Channel, OutboxSummary
from app.lanes import Lane
from app.services.health import HealthBoard, HealthProbes
from ui.i18n import format_moment, tr
from ui.operations import Operation
from ui.tasks import TaskRunner

PROBE_MS = 5_000  # how often the due probes are looked for (each system has its own back-off)
OUTBOX_TICKS = 6  # the outbox's waiting messages are tried every 30 s
COLUMNS = (
    "health.column.system",
    "health.column.condition",
    "health.column.last_success",
    "health.column.next_try",
    "health.column.reason",
    "health.column.still",
)
REASON_WIDTH = 240
MARKS = {Condition.UP: "●", Condition.DOWN: "▲", Condition.UNKNOWN: "…", Condition.OFF: "–"}


class HealthIndicator(QLabel):
    """The status bar's line; a click (or Enter on it) asks for the page."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("health-indicator")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def show_board(self, systems: list[SystemHealth]) -> None:
        down = [tr(name_key(h.system)) for h in systems if h.condition is Condition.DOWN]
        if down:
            self.setText(tr("health.line.down", systems=", ".join(down)))
            self.setStyleSheet("color: #9b1c1c; font-weight: bold;")
        else:
            self.setText(tr("health.line.up"))
            self.setStyleSheet("")
        self.setToolTip(tr("health.line.tooltip"))
        self.setAccessibleName(self.text())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit()
        super().mouseReleaseEvent(event)


class HealthPage(QWidget):
    """`check_now` tries every system at once (the button, F-key free: the page is rare)."""

    check_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        reason = COLUMNS.index("health.column.reason")
        header.setSectionResizeMode(reason, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(reason, REASON_WIDTH)  # long reasons wrap, the last column stays
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        self.check_button = QPushButton()
        self.check_button.clicked.connect(self.check_requested.emit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        self.outbox = QLabel()
        self.outbox.setWordWrap(True)
        layout.addWidget(self.outbox)
        layout.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.systems: list[SystemHealth] = []
        self.summary: OutboxSummary | None = None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.table.resizeRowsToContents)  # at the width it is shown at

    def retranslate(self) -> None:
        self.intro.setText(tr("health.intro"))
        self.check_button.setText(tr("health.check_now"))
        self.table.setHorizontalHeaderLabels([tr(key) for key in COLUMNS])
        self.table.setAccessibleName(tr("page.health").replace("&", ""))
        self.show_board(self.systems)
        self.show_outbox(self.summary)

    def show_outbox(self, summary: OutboxSummary | None) -> None:
        """What the outbox holds: nothing waits, or how many mails and texts since when."""
        self.summary = summary
        if summary is None:
            self.outbox.setText("")
            return
        if summary.nothing_waits:
            self.outbox.setText(tr("health.outbox.empty"))
            return
        lines = []
        if summary.total or summary.refused:
            lines.append(
                tr(
                    "health.outbox.waiting",
                    mails=summary.waiting.get(Channel.MAIL, 0),
                    texts=summary.waiting.get(Channel.SMS, 0),
                    since=format_moment(summary.oldest) if summary.oldest else "–",
                    refused=summary.refused,
                )
            )
        lines += [
            tr(f"health.pending.{kind.value}", count=count)
            for kind, count in summary.pending.items()
            if count
        ]
        self.outbox.setText("\n".join(lines))

    def show_board(self, systems: list[SystemHealth]) -> None:
        self.systems = systems
        self.table.setRowCount(len(systems))
        for row, health in enumerate(systems):
            down = health.condition is Condition.DOWN
            texts = (
                tr(name_key(health.system)),
                f"{MARKS[health.condition]} {tr(f'health.condition.{health.condition.value}')}",
                format_moment(health.last_success) if health.last_success else "",
                format_moment(health.next_try) if down and health.next_try else "",
                health.reason if down else "",
                tr(still_possible_key(health.system)) if down else "",
            )
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if down and column == 1:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()


class HealthView(QObject):
    """The indicator, the page and the probes' timer, on the core's board."""

    show_requested = Signal()
    _changed = Signal(object)  # the board changed on a lane's thread: shown on the GUI thread

    def __init__(
        self,
        *,
        runner: TaskRunner,
        board: HealthBoard,
        probes: HealthProbes,
        outbox: Callable[[], OutboxSummary] | None = None,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.runner, self.board, self.probes, self.outbox = runner, board, probes, outbox
        self.outbox_summary: OutboxSummary | None = None
        self._ticks = 0
        self.indicator = HealthIndicator(parent)
        self.indicator.clicked.connect(self.show_requested.emit)
        self.page = HealthPage(parent)
        self.page.check_requested.connect(self.check_now)
        self._changed.connect(self._board_changed)
        board.subscribe(self._changed.emit)
        self.timer = QTimer(self)
        self.timer.setObjectName("health-probes")
        self.timer.setInterval(PROBE_MS)
        self.timer.timeout.connect(self.probe_due)
        self._probing = self._again = False
        self._on_up: dict[System, list[Callable[[], None]]] = {}

    def start(self) -> None:
        self.timer.start()
        self.probe_due()

    def stop(self) -> None:
        self.timer.stop()

    def retranslate(self) -> None:
        self.page.retranslate()
        self.show()

    def when_up(self, system: System, react: Callable[[], None]) -> None:
        """`react` whenever `system` is found reachable (first, or back after being down)."""
        self._on_up.setdefault(system, []).append(react)

    def _board_changed(self, health: SystemHealth) -> None:
        if health.condition is Condition.UP and health.system in (System.MAIL, System.SMS):
            self._ticks = 0  # the relay or gateway is back: what waits goes at the next tick
        if health.condition is Condition.UP:
            for react in self._on_up.get(health.system, []):
                react()
        self.show()

    def show(self) -> None:
        systems = self.board.snapshot()
        self.indicator.show_board(systems)
        self.page.show_board(systems)
        self.page.show_outbox(self.outbox_summary)

    def probe_due(self) -> None:
        """The timer's tick: the due probes; every OUTBOX_TICKS-th tick the outbox too."""
        self._ticks += 1
        if self.outbox is not None and self._ticks % OUTBOX_TICKS == 1:
            self._probe(self._round)
        else:
            self._probe(self.probes.run_due)

    def _round(self) -> None:
        """Network lane: the due probes, then the outbox's due messages and what waits."""
        self.probes.run_due()
        if self.outbox is not None:
            self.outbox_summary = self.outbox()

    def check_now(self) -> None:
        self._probe(self._check_all)

    def _check_all(self) -> None:
        self.probes.run_all()
        if self.outbox is not None:
            self.outbox_summary = self.outbox()

    def _probe(self, work: Callable[[], object]) -> None:
        """One round at a time; "check all" asked for during a round runs after it."""
        if self._probing:
            if work == self._check_all:
                self._again = True
            return
        self._probing = True

        def over(_outcome: object) -> None:  # a probe's fault is the board's, not the banner's
            self._probing = False
            self.show()
            if self._again:
                self._again = False
                self.check_now()

        Operation.on(self.runner, Lane.NETWORK, work).success(over).failure(over).run()
