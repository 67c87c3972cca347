"""Clients that report to the seat's health board: every call that reaches a remote system
tells the board whether it answered (`watched`); the core wraps each client it builds."""

from __future__ import annotations

import functools
from collections.abc import Collection
from typing import Any, TypeVar, cast

from app.domain.health import System
from app.services.health import HealthBoard

T = TypeVar("T")


def _down_errors(system: System) -> tuple[type[BaseException], ...]:
    """What a client raises when its system cannot be reached (a refusal is an answer)."""
    if system is System.MAIL:
        from app.integrations.mail import MailUnavailable

        return (MailUnavailable,)
    if system is System.SMS:
        from app.integrations.sms import SmsUnavailable

        return (SmsUnavailable,)
    if system is System.BOX:
        from app.integrations.pickup_box import BoxUnavailable

        return (BoxUnavailable,)
    if system is System.PAYMENT:
        from app.ports.payments import PlatformUnavailable

        return (PlatformUnavailable,)
    if system is System.PORTAL:
        from app.integrations.fitconnect.client import FitConnectUnavailable

        return (FitConnectUnavailable,)
    return (OSError,)


class _Watched:
    """`target` with the named calls reporting their outcome; everything else passes through."""

    def __init__(
        self, target: object, system: System, board: HealthBoard, calls: Collection[str]
    ) -> None:
        self._target, self._system, self._board = target, system, board
        self._calls, self._down = frozenset(calls), _down_errors(system)

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:  # a setting of the client (its timeout): the client's, not the wrapper's
            setattr(self._target, name, value)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if name not in self._calls:
            return value
        board, system, down = self._board, self._system, self._down

        @functools.wraps(value)
        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                result = value(*args, **kwargs)
            except down as error:
                board.failed(system, error)
                raise
            except Exception:  # an answer we did not like: the system answered
                board.succeeded(system)
                raise
            board.succeeded(system)
            return result

        return call


def watched(target: T, system: System, board: HealthBoard | None, calls: Collection[str]) -> T:
    """`target` reporting each of `calls` to `board` (no board: `target` itself)."""
    if board is None:
        return target
    return cast(T, _Watched(target, system, board, calls))


MAIL_CALLS = ("send", "probe")
SMS_CALLS = ("send", "probe")
BOX_CALLS = (
    "probe",
    "compartments",
    "open_for_loading",
    "open_for_retrieval",
    "register_item",
    "events",
)
PAYMENT_CALLS = ("probe", "create", "status")
PORTAL_CALLS = (
    "destination",
    "submissions",
    "submission",
    "attachment",
    "post_event",
    "events",
)
