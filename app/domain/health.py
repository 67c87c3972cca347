"""The remote systems a seat depends on, and the state of each as the seat last saw it: when it
last answered, when it last failed and why (one line, never personal data), and when it is
tried again. Every call to a remote system reports here, so the health view shows what the
clerk met, not what a separate monitor guessed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum


class System(StrEnum):
    """In the order the health view lists them: the ones a counter cannot work without first."""

    DATABASE = "database"
    PORTAL = "portal"
    PAYMENT = "payment"
    BOX = "box"
    SMS = "sms"
    MAIL = "mail"
    TSA = "tsa"


class Condition(StrEnum):
    UNKNOWN = "unknown"  # not called yet
    UP = "up"
    DOWN = "down"
    OFF = "off"  # not set up on this seat: nothing to reach


# after the n-th failure in a row the system is tried again this many seconds later
BACK_OFF_SECONDS = (5, 15, 30, 60, 120, 300)


# the central database is tried at least this often while it is gone: the seat works on its
# journal meanwhile and must find it back (and merge) soon after it returns
TRIED_AT_LEAST_EVERY = {System.DATABASE: dt.timedelta(seconds=10)}


def back_off(failures: int, system: System | None = None) -> dt.timedelta:
    index = min(max(failures, 1), len(BACK_OFF_SECONDS)) - 1
    wait = dt.timedelta(seconds=BACK_OFF_SECONDS[index])
    cap = TRIED_AT_LEAST_EVERY.get(system) if system is not None else None
    return min(wait, cap) if cap is not None else wait


@dataclass(frozen=True)
class SystemHealth:
    system: System
    condition: Condition = Condition.UNKNOWN
    last_success: dt.datetime | None = None
    last_failure: dt.datetime | None = None
    reason: str = ""  # the last failure, one line for a person
    failures: int = 0  # in a row
    next_try: dt.datetime | None = None

    def succeeded(self, at: dt.datetime) -> SystemHealth:
        return replace(self, condition=Condition.UP, last_success=at, failures=0, next_try=None)

    def failed(self, at: dt.datetime, reason: str) -> SystemHealth:
        failures = self.failures + 1
        return replace(
            self,
            condition=Condition.DOWN,
            last_failure=at,
            reason=reason.splitlines()[0][:200] if reason else "",
            failures=failures,
            next_try=at + back_off(failures, self.system),
        )

    def switched_off(self) -> SystemHealth:
        return SystemHealth(self.system, Condition.OFF)

    def due(self, now: dt.datetime) -> bool:
        """Whether a probe should try it now: never tried, or down and its back-off over."""
        if self.condition is Condition.UNKNOWN:
            return True
        return self.condition is Condition.DOWN and (self.next_try is None or now >= self.next_try)

    def as_json(self) -> dict[str, object]:
        def moment(value: dt.datetime | None) -> str | None:
            return value.isoformat(timespec="seconds") if value else None

        return {
            "system": self.system.value,
            "condition": self.condition.value,
            "last_success": moment(self.last_success),
            "last_failure": moment(self.last_failure),
            "reason": self.reason,
            "failures": self.failures,
            "next_try": moment(self.next_try),
        }


def still_possible_key(system: System) -> str:
    """The message key of what the clerk can still do while `system` is down."""
    return f"health.without.{system.value}"


def name_key(system: System) -> str:
    return f"health.system.{system.value}"
