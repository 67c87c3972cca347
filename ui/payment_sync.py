"""The payment platform asked in the window: every minute on the network lane (each database
call of the sync on the database lane), the case list refreshed when a fee was booked; a
platform that does not answer is counted, shown in the status bar and asked again later."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from app.lanes import Lane
from app.services.payments import PaymentDesk, SyncReport
from ui.operations import Operation
from ui.tasks import TaskRunner

SYNC_MS = 60_000


class PaymentSync(QObject):
    """`synced(report)` after each round."""

    synced = Signal(object)

    def __init__(
        self,
        *,
        runner: TaskRunner,
        desk: PaymentDesk,
        changed: Callable[[], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.runner, self.desk, self._changed = runner, desk, changed
        self.timer = QTimer(self)
        self.timer.setObjectName("payment-sync")
        self.timer.setInterval(SYNC_MS)
        self.timer.timeout.connect(self.sync)
        self._running = False

    @property
    def running(self) -> bool:
        """A round is under way (a second one asked for meanwhile is not started)."""
        return self._running

    def start(self) -> None:
        self.timer.start()
        self.sync()

    def stop(self) -> None:
        self.timer.stop()

    def sync(self) -> None:
        if self._running:
            return
        self._running = True

        def done(report: SyncReport) -> None:
            self._running = False
            self.synced.emit(report)
            if report.booked or report.not_paid or report.amount_differs:
                self._changed()

        def failed(_error: BaseException) -> None:
            self._running = False

        Operation.on(self.runner, Lane.NETWORK, self.desk.sync).success(done).failure(failed).run()
