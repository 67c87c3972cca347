"""The lanes that I/O runs on, and the check that a piece of work is on the right one.

The window's task runner gives each lane its own worker threads, named after the lane. Code that
owns a device or a connection asserts its lane (Electrum's device-thread assertion): the database
is used by one worker, so a write from the network lane would race the clerk's own; a slow TSA on
the database lane would stall every writer. In the desktop application the check is strict: work
on any thread but its lane's is refused. Command-line tools run without lanes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from enum import StrEnum
from typing import ParamSpec, Protocol, TypeVar

T = TypeVar("T")
P = ParamSpec("P")

THREAD_PREFIX = "lane-"


class Lane(StrEnum):
    DATABASE = "database"
    NETWORK = "network"
    CARD_READER = "card-reader"
    PRINTING = "printing"


class OnLane(Protocol):
    """Runs one call on a lane and hands back its result or its error, as an executor's
    `submit(...).result()` would: `database(self.records.change, loading, step, ...)`. A
    service that works on two lanes (the intake: the portal on the network lane, storing on
    the database lane) is given the one it does not run on as this: in the window the task
    runner's `TaskRunner.on(Lane.DATABASE)` (from another lane's worker, waiting for it), in a
    command `in_place`."""

    def __call__(self, work: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T: ...


def in_place(work: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """A command-line tool has no lanes: the call runs on the caller's thread."""
    return work(*args, **kwargs)


class WrongLane(RuntimeError):
    """Work ran on a thread that is not its lane: a wiring bug, never the user's doing."""


_enforced = False
_gui_thread: threading.Thread | None = None


def enforce_lanes(gui_thread: threading.Thread | None) -> None:
    """The desktop application runs its I/O on lanes: from now on a lane's work runs on that
    lane's threads only, never on the GUI thread (the window would freeze) nor on any other.
    A command-line tool runs its work on its own thread and does not call this; tests call it
    where they check the rule, and `enforce_lanes(None)` ends it."""
    global _enforced, _gui_thread
    _enforced, _gui_thread = gui_thread is not None, gui_thread


def thread_name(lane: Lane) -> str:
    return f"{THREAD_PREFIX}{lane.value}"


def current_lane() -> Lane | None:
    name = threading.current_thread().name
    for lane in Lane:
        if name.startswith(thread_name(lane)):
            return lane
    return None


def require_lane(lane: Lane) -> None:
    """Raise WrongLane unless this thread is `lane`'s (its name says so: the lane's workers and
    the threads they start, named after them). Outside the desktop application, where no
    lanes run (`enforce_lanes`), the tool's own threads do all the work."""
    here = current_lane()
    if here is lane:
        return
    if here is not None:
        raise WrongLane(f"{lane.value} work ran on the {here.value} lane")
    if not _enforced:
        return
    thread = threading.current_thread()
    if thread is _gui_thread:
        raise WrongLane(f"{lane.value} work ran on the GUI thread")
    raise WrongLane(f"{lane.value} work ran on {thread.name!r}, outside every lane")
