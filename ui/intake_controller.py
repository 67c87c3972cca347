"""Online intake in the window: 'Abrufen' on demand and every few minutes on the network lane,
a progress bar, the portal's state in the status bar, and the quarantine list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.intake import PAPER_PREFIX, IntakeRecord, SettleReason
from app.domain.messages import render
from app.ports import IntakeStore
from app.services.intake import IntakeResult
from app.services.pull import MAX_BACKOFF_S, Pull
from ui.i18n import error_text, language, tr
from ui.tasks import Lane, TaskRunner


class IntakeController(QObject):
    """Owns the intake's action, status label, progress bar and timer."""

    pulled = Signal(object)  # IntakeResult
    failed = Signal(str)
    _progress = Signal(int, int)  # emitted from the network lane, delivered on the GUI thread

    def __init__(
        self,
        *,
        runner: TaskRunner,
        build: Callable[[], Pull],
        store: IntakeStore,
        interval_seconds: int,
        parent: QWidget,
        login: str = "",
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._build = build
        self._store = store
        self._intake: Pull | None = None
        self._interval = max(30, interval_seconds)
        self._login = login
        self._backoff = self._interval
        self.running = False
        self.window = parent
        self.action = QAction(tr("action.pull"), parent)
        self.action.setShortcut(QKeySequence("F6"))
        self.action.triggered.connect(self.pull)
        self.quarantine_action = QAction(tr("action.quarantine"), parent)
        self.quarantine_action.triggered.connect(self.open_quarantine)
        self.status = QLabel(tr("intake.never"))
        self.status.setAccessibleName(tr("intake.status_name"))
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.setAccessibleName(tr("action.pull").replace("&", ""))
        self.progress.hide()
        self._progress.connect(self._show_progress)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.pull)

    def start(self) -> None:
        self.timer.start(1000)  # first pull right after start-up, then every interval

    def stop(self) -> None:
        self.timer.stop()

    def pull(self) -> None:
        if self.running:
            return
        self.running = True
        self.action.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()

        def work() -> IntakeResult:
            if self._intake is None:
                self._intake = self._build()
            return self._intake.run_once(progress=self._progress.emit)

        self._runner.run(Lane.NETWORK, work, on_success=self._done, on_failure=self._failed)

    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _finish(self) -> None:
        self.running = False
        self.action.setEnabled(True)
        self.progress.hide()

    def _done(self, result: IntakeResult) -> None:
        self._finish()
        self._backoff = self._interval
        at = dt.datetime.now().strftime("%H:%M")
        if result.busy:
            self.status.setText(tr("intake.busy", at=at))
        else:
            forms = tr("intake.forms", forms=result.forms) if result.forms else ""
            text = tr(
                "intake.ok" if result.portal else "intake.ok_paper",
                at=at,
                received=result.received,
                forms=forms,
                quarantined=result.quarantined,
            )
            if result.paper_problem is not None:
                text += " · " + error_text(result.paper_problem)
            self.status.setText(text)
        self.timer.start(self._interval * 1000)
        self.pulled.emit(result)

    def _failed(self, error: BaseException) -> None:
        self._finish()
        self._intake = None  # build afresh next time (token, keys, destination)
        at = dt.datetime.now().strftime("%H:%M")
        self.status.setText(
            tr("intake.down", at=at, detail=error_text(error)[:120], retry=self._backoff)
        )
        self.timer.start(self._backoff * 1000)
        self._backoff = min(MAX_BACKOFF_S, self._backoff * 2)  # back off while the portal is down
        self.failed.emit(error_text(error))

    # --- quarantine -----------------------------------------------------------------------------

    def open_quarantine(self) -> QuarantineDialog:
        dialog = QuarantineDialog(self._runner, self._store, self.window, login=self._login)
        dialog.open()
        dialog.load()
        return dialog


def raw_file_name(record: IntakeRecord) -> str:
    """A PDF form was received as the PDF itself; a portal submission as JSON."""
    is_form = record.submission_id.startswith(PAPER_PREFIX)
    return f"{record.submission_id}.{'pdf' if is_form else 'json'}"


def problem_text(record: IntakeRecord) -> str:
    return render(f"intake.{record.problem}", language(), detail=record.detail)


class QuarantineDialog(QDialog):
    """Submissions that could not become cases: when, which, why; the raw bytes can be saved."""

    loaded = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        store: IntakeStore,
        parent: QWidget | None = None,
        *,
        login: str = "",
    ) -> None:
        super().__init__(parent)
        self._runner, self._store, self._login = runner, store, login
        self.records: list[IntakeRecord] = []
        self.setWindowTitle(tr("quarantine.title"))
        self.resize(900, 420)
        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName(tr("quarantine.title"))
        self.table.setHorizontalHeaderLabels(
            [tr("quarantine.received"), tr("quarantine.submission"), tr("quarantine.reason")]
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.save_button = QPushButton(tr("quarantine.save_raw"))
        self.save_button.clicked.connect(self.save_raw)
        self.settle_button = QPushButton(tr("quarantine.settle"))
        self.settle_button.clicked.connect(lambda: self.settle())
        self.message = QLabel()
        buttons = QDialogButtonBox()
        buttons.addButton(tr("dialog.close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        explain = QLabel(tr("quarantine.explain"))
        explain.setWordWrap(True)
        layout.addWidget(explain)
        layout.addWidget(self.table)
        actions = QHBoxLayout()
        actions.addWidget(self.save_button)
        actions.addWidget(self.settle_button)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def load(self) -> None:
        store = self._store
        self._runner.run(
            Lane.DATABASE,
            lambda: store.quarantined(offset=0, limit=500),
            on_success=self._show,
            on_failure=lambda error: self.message.setText(error_text(error)),
        )

    def _show(self, records: list[IntakeRecord]) -> None:
        self.records = records
        self.table.setRowCount(len(records))
        for row, record in enumerate(records):
            received = record.received_at.astimezone().strftime("%d.%m.%Y %H:%M")
            for column, text in enumerate((received, record.submission_id, problem_text(record))):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.loaded.emit()

    def settle(self, reason: SettleReason | None = None) -> None:
        """Take the selected submission off the list, saying how it was dealt with."""
        record = self._selected()
        if record is None:
            return
        if reason is None:
            choices = {tr(f"settle.{choice.value}"): choice for choice in SettleReason}
            text, chosen = QInputDialog.getItem(
                self,
                tr("quarantine.settle"),
                tr("quarantine.settle_question"),
                list(choices),
                0,
                False,
            )
            if not chosen:
                return
            reason = choices[text]
        store, login, at = self._store, self._login, dt.datetime.now(dt.UTC)

        def work() -> str:
            store.settle_quarantined(record.submission_id, actor=login, reason=reason, at=at)
            return record.submission_id

        def settled(submission_id: str) -> None:
            self.message.setText(tr("quarantine.settled", submission=submission_id))
            self.load()

        def failed(error: BaseException) -> None:
            self.message.setText(error_text(error))
            self.load()

        self._runner.run(Lane.DATABASE, work, on_success=settled, on_failure=failed)

    def _selected(self) -> IntakeRecord | None:
        row = self.table.currentRow()
        return self.records[row] if 0 <= row < len(self.records) else None

    def save_raw(self, target: str | None = None) -> None:
        record = self._selected()
        if record is None:
            return
        if target is None:
            target, _ = QFileDialog.getSaveFileName(
                self, tr("quarantine.save_raw"), raw_file_name(record)
            )
            if not target:
                return
        store, path = self._store, Path(target)

        def write() -> Path:
            path.write_bytes(store.raw(record.submission_id))
            return path

        self._runner.run(
            Lane.DATABASE,
            write,
            on_success=lambda saved: self.message.setText(tr("quarantine.saved", path=str(saved))),
            on_failure=lambda error: self.message.setText(error_text(error)),
        )
