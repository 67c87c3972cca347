"""Online intake in the window: 'Abrufen' on demand and every few minutes on the network lane,
a progress bar, the portal's state in the status bar, and the quarantine page.

The pull runs on the network lane; the composition root (ui/main.py `window_intake`) builds it
with every database call going through the database lane, so it never writes beside the
clerk's own work. Closing the window tells a running pull to stop taking submissions."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QProgressBar, QWidget

from app.domain.users import User
from app.lanes import Lane
from app.services.intake import IntakeResult
from app.services.pull import MAX_BACKOFF_S
from app.services.quarantine import QuarantineDesk
from ui.elided_label import ElidedLabel
from ui.i18n import error_text, plain, tr
from ui.operations import Operation
from ui.quarantine_page import QuarantinePage
from ui.tasks import TaskRunner


class Pulling(Protocol):
    def run_once(
        self, progress: Callable[[int, int], None] | None = None, stop: Callable[[], bool] = ...
    ) -> IntakeResult: ...


@dataclass(frozen=True)
class IntakeParts:
    """What the composition root gives the window for the intake: how to build the pull (on
    the network lane, when it first runs) and the quarantine's use cases."""

    build: Callable[[], Pulling]
    quarantine: QuarantineDesk


class IntakeController(QObject):
    """Owns the intake's action, status label, progress bar, timer and quarantine page."""

    pulled = Signal(object)  # IntakeResult
    failed = Signal(str)
    quarantine_requested = Signal()
    _progress = Signal(int, int)  # emitted from the network lane, delivered on the GUI thread

    def __init__(
        self,
        *,
        runner: TaskRunner,
        parts: IntakeParts,
        user: Callable[[], User],
        interval_seconds: int,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._build = parts.build
        quarantine = parts.quarantine
        self._intake: Pulling | None = None
        self._interval = max(30, interval_seconds)
        self._backoff = self._interval
        self._stopping = threading.Event()
        runner.on_stop(self._stopping.set)
        self.running = False
        self.window = parent
        self.action = QAction(parent)
        self.action.setShortcut(QKeySequence("F6"))
        self.action.triggered.connect(self.pull)
        self.quarantine_action = QAction(parent)
        self.quarantine_action.setShortcut(QKeySequence("Ctrl+Shift+Q"))
        self.quarantine_action.triggered.connect(self.open_quarantine)
        self.status = ElidedLabel(tr("intake.never"))
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self._progress.connect(self._show_progress)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.pull)
        self.quarantine = QuarantinePage(runner, quarantine, user, parent)
        # the status bar's count follows the list (a settled entry is one fewer at once)
        self._last_pull: tuple[IntakeResult, str, int | None] | None = None
        self.quarantine.loaded.connect(self._quarantine_counted)
        self._quarantine, self._user = quarantine, user
        self.retranslate()

    def retranslate(self) -> None:
        self.action.setText(tr("action.pull"))
        self.quarantine_action.setText(tr("action.quarantine"))
        self.status.setAccessibleDescription(tr("intake.status_name"))
        self.progress.setAccessibleName(plain(tr("action.pull")))
        self.quarantine.retranslate()
        if self._last_pull is not None:  # the last pull's line in the new language
            self._show_pulled(*self._last_pull[:2], open_quarantine=self._last_pull[2])

    def rebuild(self, build: Callable[[], Pulling] | None = None) -> None:
        """Build the pull afresh at the next pull (settings or secrets changed)."""
        if build is not None:
            self._build = build
        self._intake = None

    def start(self) -> None:
        self.timer.start(1000)  # first pull right after start-up, then every interval

    def stop(self) -> None:
        """No further automatic pulls; a pull under way stops taking submissions."""
        self.timer.stop()

    def shut_down(self) -> None:
        self.timer.stop()
        self._stopping.set()

    def pull(self) -> None:
        if self.running or self._stopping.is_set():
            return
        self.running = True
        self.action.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        stopping = self._stopping

        def work() -> IntakeResult:
            if self._intake is None:
                self._intake = self._build()
            return self._intake.run_once(progress=self._progress.emit, stop=stopping.is_set)

        (
            Operation.on(self._runner, Lane.NETWORK, work)
            .success(self._done)
            .failure(self._failed)
            .run()
        )

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
            self._show_pulled(result, at, open_quarantine=None)
            # the list's size, not this pull's: the next pull must not make 30 look like 0
            desk, user = self._quarantine, self._user()
            (
                Operation.on(self._runner, Lane.DATABASE, lambda: desk.open_count(user=user))
                .success(lambda count: self._show_pulled(result, at, open_quarantine=count))
                .failure(lambda _error: None)
                .run()
            )
        self.timer.start(self._interval * 1000)
        self.pulled.emit(result)

    def _quarantine_counted(self) -> None:
        if self._last_pull is not None:
            result, at, _count = self._last_pull
            self._show_pulled(result, at, open_quarantine=len(self.quarantine.records))

    def _show_pulled(self, result: IntakeResult, at: str, *, open_quarantine: int | None) -> None:
        self._last_pull = (result, at, open_quarantine)
        forms = tr("intake.forms", forms=result.forms) if result.forms else ""
        text = tr(
            "intake.ok" if result.portal else "intake.ok_paper",
            at=at,
            received=result.received,
            forms=forms,
            quarantined=result.quarantined,
        )
        if open_quarantine is not None:
            text += " · " + tr("intake.open_quarantine", count=open_quarantine)
        if result.paper_problem is not None:
            text += " · " + error_text(result.paper_problem)
        self.status.setText(text)

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

    def open_quarantine(self) -> QuarantinePage:
        """Show the quarantine page with its current entries."""
        visible = self.quarantine.isVisible()
        self.quarantine_requested.emit()  # shown: it loads itself (showEvent)
        if visible:
            self.quarantine.load()
        return self.quarantine
