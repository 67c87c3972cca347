"""The lanes that I/O runs on, and the check that a piece of work is on the right one.

The window's task runner gives each lane its own worker threads, named after the lane. Code that
owns a device or a connection asserts its lane (Electrum's device-thread assertion): the database
is used by one worker, so a write from the network lane would race the clerk's own; a slow TSA on
the database lane would stall every writer. Command-line tools run without lanes and pass."""

from __future__ import annotations

import threading
from enum import StrEnum

THREAD_PREFIX = "lane-"


class Lane(StrEnum):
    DATABASE = "database"
    NETWORK = "network"
    CARD_READER = "card-reader"
    PRINTING = "printing"


class WrongLane(RuntimeError):
    """Work ran on a thread that is not its lane: a wiring bug, never the user's doing."""


_gui_thread: threading.Thread | None = None


def forbid_gui_thread(thread: threading.Thread | None) -> None:
    """The desktop application names its GUI thread: from then on no lane's work may run there
    (the window would freeze). Tests drive services from the GUI thread and leave this off."""
    global _gui_thread
    _gui_thread = thread


def thread_name(lane: Lane) -> str:
    return f"{THREAD_PREFIX}{lane.value}"


def current_lane() -> Lane | None:
    name = threading.current_thread().name
    for lane in Lane:
        if name.startswith(thread_name(lane)):
            return lane
    return None


def require_lane(lane: Lane) -> None:
    """Raise WrongLane if this thread belongs to another lane, or is the guarded GUI thread.
    A thread outside every lane (a command-line tool, a test) may do any work."""
    here = current_lane()
    if here is lane:
        return
    if here is not None:
        raise WrongLane(f"{lane.value} work ran on the {here.value} lane")
    if _gui_thread is not None and threading.current_thread() is _gui_thread:
        raise WrongLane(f"{lane.value} work ran on the GUI thread")
