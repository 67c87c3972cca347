"""Background work as small operation objects (Anki's `CollectionOp`/`QueryOp`): an operation
names the lane of each of its steps (asking the citizen is database → network → database), and
its result and any failure arrive on the GUI thread. A failure the caller does not take goes
to the runner's default display (the window's fault banner), never nowhere.

    Operation.on(runner, Lane.DATABASE, lambda: desk.prepare_question(...))
        .then(Lane.NETWORK, desk.send_question, keep=True)
        .then(Lane.DATABASE, desk.record_question)
        .success(shown)
        .run()
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from app.lanes import Lane
from ui.tasks import TaskRunner

T = TypeVar("T")
U = TypeVar("U")

Step = tuple[Lane, Callable[[Any], Any]]


class Operation(Generic[T]):
    """Steps on their lanes, each given the one before's result; `T` is the last one's."""

    def __init__(
        self,
        runner: TaskRunner,
        steps: tuple[Step, ...],
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.runner, self.steps = runner, steps
        self._on_success, self._on_failure = on_success, on_failure

    @staticmethod
    def on(runner: TaskRunner, lane: Lane, work: Callable[[], U]) -> Operation[U]:
        """The first step: `work` on `lane`."""
        return Operation(runner, ((lane, lambda _none: work()),))

    def then(self, lane: Lane, work: Callable[[T], U], *, keep: bool = False) -> Operation[Any]:
        """A further step on `lane`, given the result so far; `keep`: its own result is
        dropped and the one before is passed on (a step that only sends)."""
        step: Callable[[Any], Any] = (lambda value: (work(value), value)[1]) if keep else work
        return Operation(self.runner, (*self.steps, (lane, step)), None, self._on_failure)

    def success(self, on_success: Callable[[T], None]) -> Operation[T]:
        return Operation(self.runner, self.steps, on_success, self._on_failure)

    def failure(self, on_failure: Callable[[BaseException], None]) -> Operation[T]:
        return Operation(self.runner, self.steps, self._on_success, on_failure)

    def run(self) -> None:
        self._step(0, None)

    def _step(self, index: int, value: Any) -> None:
        lane, work = self.steps[index]
        last = index == len(self.steps) - 1
        self.runner.run(
            lane,
            lambda: work(value),
            on_success=self._done if last else lambda result: self._step(index + 1, result),
            on_failure=self._on_failure or self.runner.show_failure,
        )

    def _done(self, result: T) -> None:
        if self._on_success is not None:
            self._on_success(result)
