"""The seat's health board: every call to a remote system reports its outcome here (the wired
ports are watched, `app.wiring.health`), and a probe tries each system that is down once its
back-off is over, so the board says when it is back before a clerk needs it. Thread-safe: the
lanes report, the window reads."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterable, Mapping

from app.domain.errors import Explained
from app.domain.health import Condition, System, SystemHealth
from app.ports import Clock

log = logging.getLogger(__name__)

Probe = Callable[[], None]  # raises when the system cannot be reached; returns when it answered


def reason_of(error: BaseException) -> str:
    """One line for the health view: what the client found (its detail where it named one: an
    exception type, an HTTP status; our clients put no personal data into errors)."""
    if isinstance(error, Explained) and error.params.get("detail"):
        text = str(error.params["detail"])
    else:
        text = str(error) or type(error).__name__
    return text.splitlines()[0] if text.strip() else type(error).__name__


class HealthBoard:
    def __init__(self, clock: Clock, systems: Iterable[System] = tuple(System)) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._health = {system: SystemHealth(system) for system in systems}
        self._listeners: list[Callable[[SystemHealth], None]] = []

    def subscribe(self, listener: Callable[[SystemHealth], None]) -> None:
        """`listener` hears every change of condition (on the reporting thread)."""
        self._listeners.append(listener)

    def succeeded(self, system: System) -> None:
        self._change(system, lambda health: health.succeeded(self.clock.now()))

    def failed(self, system: System, error: BaseException | str) -> None:
        reason = error if isinstance(error, str) else reason_of(error)
        self._change(system, lambda health: health.failed(self.clock.now(), reason))

    def switched_off(self, system: System) -> None:
        """Not set up on this seat: nothing to reach, nothing to show as missing."""
        self._change(system, lambda health: health.switched_off())

    def _change(self, system: System, change: Callable[[SystemHealth], SystemHealth]) -> None:
        with self._lock:
            before = self._health.get(system, SystemHealth(system))
            after = change(before)
            self._health[system] = after
        if before.condition is not after.condition:
            if after.condition is Condition.DOWN:  # info: a command's stderr stays one line
                log.info("%s unreachable: %s", system.value, after.reason)
            elif after.condition is Condition.UP and before.condition is Condition.DOWN:
                log.info("%s reachable again", system.value)
            for listener in list(self._listeners):
                listener(after)

    def health(self, system: System) -> SystemHealth:
        with self._lock:
            return self._health.get(system, SystemHealth(system))

    def snapshot(self) -> list[SystemHealth]:
        with self._lock:
            return [self._health[system] for system in System if system in self._health]

    def down(self) -> list[SystemHealth]:
        return [h for h in self.snapshot() if h.condition is Condition.DOWN]


class HealthProbes:
    """The probes of the systems this seat has set up; `run_due` tries each one whose turn it
    is (never tried, or down and its back-off over), `run_all` every one (the command)."""

    def __init__(self, board: HealthBoard, probes: Mapping[System, Probe]) -> None:
        self.board = board
        self.probes = dict(probes)
        for system in System:
            if system not in self.probes:
                board.switched_off(system)

    def run_due(self) -> list[SystemHealth]:
        now = self.board.clock.now()
        due = [s for s, _probe in self.probes.items() if self.board.health(s).due(now)]
        return [self.run(system) for system in due]

    def run_all(self) -> list[SystemHealth]:
        for system in self.probes:
            self.run(system)
        return self.board.snapshot()

    def run(self, system: System) -> SystemHealth:
        try:
            self.probes[system]()
        except Exception as error:  # whatever a probe meets, the system is down
            self.board.failed(system, error)
        else:
            self.board.succeeded(system)
        return self.board.health(system)

    @property
    def next_due(self) -> dt.datetime | None:
        """When the next probe is due (None: every system is up, or none is set up)."""
        moments = [
            health.next_try
            for health in self.board.snapshot()
            if health.system in self.probes and health.condition is Condition.DOWN
        ]
        return min((m for m in moments if m is not None), default=None)
