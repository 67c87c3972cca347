"""The task runner: every I/O call runs on a lane, results come back on the GUI thread.

Lanes keep devices and the database serial (one worker each) and let the network run a few
requests at once. An exception always reaches the failure callback, also one raised by the
success callback itself, so the user sees it."""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any, ParamSpec, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

from app.lanes import THREAD_PREFIX, Lane, OnLane, current_lane, thread_name

T = TypeVar("T")
P = ParamSpec("P")
log = logging.getLogger(__name__)

__all__ = ["Lane", "TaskRunner"]

_WORKERS = {Lane.DATABASE: 1, Lane.NETWORK: 4, Lane.CARD_READER: 1, Lane.PRINTING: 1}
# lanes whose running work is not waited for at shutdown: a pull is told to stop and its
# unstored submissions stay at the portal; waiting for it would hold the window open
_NOT_AWAITED = frozenset({Lane.NETWORK})


class TaskRunner(QObject):
    """`run(lane, work, on_success=..., on_failure=...)`; `idle` fires when nothing is pending."""

    _finished = Signal(int, object, object)
    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executors = {
            lane: ThreadPoolExecutor(max_workers=count, thread_name_prefix=thread_name(lane))
            for lane, count in _WORKERS.items()
        }
        self._callbacks: dict[
            int, tuple[Callable[[Any], None], Callable[[BaseException], None]]
        ] = {}
        self._running: dict[int, tuple[Lane, Future[None]]] = {}
        self._ids = itertools.count(1)
        self._closed = False
        self._stoppers: list[Callable[[], None]] = []
        # where a failure goes that its operation did not take (the window's fault banner)
        self.failure_display: Callable[[BaseException], None] | None = None
        self._finished.connect(self._deliver)

    def show_failure(self, error: BaseException) -> None:
        if self.failure_display is not None:
            self.failure_display(error)
        else:
            log.error("background work failed: %s", type(error).__name__)

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    def run(
        self,
        lane: Lane,
        work: Callable[[], T],
        *,
        on_success: Callable[[T], None],
        on_failure: Callable[[BaseException], None],
    ) -> None:
        if self._closed:
            return
        task_id = next(self._ids)
        self._callbacks[task_id] = (on_success, on_failure)

        def call() -> None:
            try:
                result = work()
            except BaseException as error:  # every error must reach the user
                self._finished.emit(task_id, None, error)
            else:
                self._finished.emit(task_id, result, None)

        self._running[task_id] = (lane, self._executors[lane].submit(call))

    def on(self, lane: Lane) -> OnLane:
        """`lane` as a service that runs on another lane is given it (`app.lanes.OnLane`)."""
        return _LaneCall(self, lane)

    def call(self, lane: Lane, work: Callable[[], T]) -> T:
        """Run `work` on `lane` from another lane's worker and wait for it (the intake, on the
        network lane, stores through the database lane). On the lane itself it runs directly."""
        if current_lane() is lane:
            return work()
        return self._executors[lane].submit(work).result()

    def forget(self) -> None:
        """The window that asked is gone: results still under way are dropped on arrival."""
        self._callbacks.clear()
        self.idle.emit()

    def on_stop(self, stop: Callable[[], None]) -> None:
        """Called first at shutdown: tells long work (a pull) to end early."""
        self._stoppers.append(stop)

    @Slot(int, object, object)
    def _deliver(self, task_id: int, result: object, error: object) -> None:
        self._running.pop(task_id, None)
        callbacks = self._callbacks.pop(task_id, None)
        if callbacks is None or self._closed:
            return
        on_success, on_failure = callbacks
        try:
            if isinstance(error, BaseException):
                on_failure(error)
            else:
                try:
                    on_success(result)
                except Exception as failure:  # a broken display of a result is an error too
                    log.exception("success callback failed")
                    on_failure(failure)
        finally:
            if not self._callbacks:
                self.idle.emit()

    def shutdown(self) -> None:
        """Stop long work, wait for the database, printing and card reader lanes, drop
        undelivered results; the window is going away."""
        self._closed = True
        for stop in self._stoppers:
            stop()
        for lane, executor in self._executors.items():
            executor.shutdown(wait=lane not in _NOT_AWAITED, cancel_futures=True)
        self._callbacks.clear()

    def wait_network(self, timeout: float) -> bool:
        """After shutdown: give stopped network work `timeout` seconds to end (tests, exit);
        True once every lane's threads are gone."""
        futures = [f for lane, f in self._running.values() if lane is Lane.NETWORK]
        if wait(futures, timeout=timeout).not_done:
            return False
        for thread in threading.enumerate():
            if thread.name.startswith(THREAD_PREFIX):
                thread.join(timeout)
        return not any(t.name.startswith(THREAD_PREFIX) for t in threading.enumerate())


class _LaneCall:
    """One lane of a runner, called from another lane's worker (`TaskRunner.on`)."""

    def __init__(self, runner: TaskRunner, lane: Lane) -> None:
        self._runner, self._lane = runner, lane

    def __call__(self, work: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        return self._runner.call(self._lane, lambda: work(*args, **kwargs))
