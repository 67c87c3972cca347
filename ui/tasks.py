"""The task runner: every I/O call runs on a lane, results come back on the GUI thread.

Lanes keep devices and the database serial (one worker each) and let the network run a few
requests at once. An exception always reaches the failure callback, so the user sees it."""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from enum import StrEnum
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

T = TypeVar("T")
log = logging.getLogger(__name__)


class Lane(StrEnum):
    DATABASE = "database"
    NETWORK = "network"
    CARD_READER = "card-reader"
    PRINTING = "printing"


_WORKERS = {Lane.DATABASE: 1, Lane.NETWORK: 4, Lane.CARD_READER: 1, Lane.PRINTING: 1}


class TaskRunner(QObject):
    """`run(lane, work, on_success=..., on_failure=...)`; `idle` fires when nothing is pending."""

    _finished = Signal(int, object, object)
    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executors = {
            lane: ThreadPoolExecutor(max_workers=count, thread_name_prefix=f"lane-{lane.value}")
            for lane, count in _WORKERS.items()
        }
        self._callbacks: dict[
            int, tuple[Callable[[Any], None], Callable[[BaseException], None]]
        ] = {}
        self._ids = itertools.count(1)
        self._closed = False
        self._finished.connect(self._deliver)

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

        self._executors[lane].submit(call)

    @Slot(int, object, object)
    def _deliver(self, task_id: int, result: object, error: object) -> None:
        callbacks = self._callbacks.pop(task_id, None)
        if callbacks is None or self._closed:
            return
        on_success, on_failure = callbacks
        try:
            if isinstance(error, BaseException):
                on_failure(error)
            else:
                on_success(result)
        finally:
            if not self._callbacks:
                self.idle.emit()

    def shutdown(self) -> None:
        """Wait for running work, drop undelivered results; the window is going away."""
        self._closed = True
        for executor in self._executors.values():
            executor.shutdown(wait=True, cancel_futures=True)
        self._callbacks.clear()

    @staticmethod
    def on_lane(lane: Lane) -> bool:
        return threading.current_thread().name.startswith(f"lane-{lane.value}")
