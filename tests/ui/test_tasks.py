"""The task runner and the lanes: every error reaches the failure path, work runs on its lane
or is refused, and closing does not wait for a pull."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.lanes import Lane, WrongLane, enforce_lanes, require_lane
from app.wiring import Core
from ui.tasks import TaskRunner


def test_an_error_in_the_success_callback_reaches_the_failure_path(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    failures: list[BaseException] = []

    def broken_display(_result: object) -> None:
        raise ValueError("the label is gone")

    runner.run(Lane.DATABASE, lambda: 42, on_success=broken_display, on_failure=failures.append)
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=5_000)
    assert [str(error) for error in failures] == ["the label is gone"]


def test_database_work_on_the_network_lane_is_refused(
    qtbot: QtBot, runner: TaskRunner, gui_core: Core
) -> None:
    outcome: list[object] = []
    runner.run(
        Lane.NETWORK,
        lambda: gui_core.users.offices(),
        on_success=outcome.append,
        on_failure=outcome.append,
    )
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=5_000)
    [error] = outcome
    assert isinstance(error, WrongLane) and "network" in str(error)


def test_a_call_runs_on_its_lane_from_another(
    qtbot: QtBot, runner: TaskRunner, gui_core: Core
) -> None:
    """The intake pulls on the network lane and stores through the database lane."""
    database = runner.on(Lane.DATABASE)
    outcome: list[object] = []
    runner.run(
        Lane.NETWORK,
        lambda: [office.code for office in database(gui_core.users.offices)],
        on_success=outcome.append,
        on_failure=outcome.append,
    )
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=5_000)
    [codes] = outcome
    assert isinstance(codes, list) and "SI" in codes


@pytest.fixture
def guarded_gui_thread() -> Iterator[None]:
    enforce_lanes(threading.current_thread())
    yield
    enforce_lanes(None)


def test_the_gui_thread_does_no_lane_work(guarded_gui_thread: None, gui_core: Core) -> None:
    with pytest.raises(WrongLane, match="GUI thread"):
        gui_core.users.offices()
    with pytest.raises(WrongLane):
        require_lane(Lane.PRINTING)


def test_a_thread_outside_every_lane_does_no_lane_work(
    guarded_gui_thread: None, qtbot: QtBot
) -> None:
    """Electrum's assertion: not only the GUI thread, any thread that is not the lane's."""
    refused: list[BaseException] = []

    def stray() -> None:
        try:
            require_lane(Lane.DATABASE)
        except WrongLane as error:
            refused.append(error)

    thread = threading.Thread(target=stray, name="stray")
    thread.start()
    thread.join()
    assert len(refused) == 1 and "'stray', outside every lane" in str(refused[0])
    runner = TaskRunner()
    try:  # a lane's worker passes
        runner.call(Lane.DATABASE, lambda: require_lane(Lane.DATABASE))
    finally:
        runner.shutdown()


def test_shutdown_does_not_wait_for_a_pull(qtbot: QtBot) -> None:
    runner = TaskRunner()
    told_to_stop, release, ended = threading.Event(), threading.Event(), threading.Event()
    runner.on_stop(told_to_stop.set)

    def pull() -> None:
        release.wait(timeout=60)  # the submission in hand, still downloading
        ended.set()

    runner.run(Lane.NETWORK, pull, on_success=lambda _r: None, on_failure=lambda _e: None)
    runner.shutdown()
    assert told_to_stop.is_set() and not ended.is_set()  # shutdown returned, the pull runs on
    release.set()
    assert runner.wait_network(timeout=30) and ended.is_set()
