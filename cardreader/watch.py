"""Readers and cards as they come and go, from SCardGetStatusChange: the `\\\\?PnP?\\Notification`
pseudo-reader reports readers plugged in or out (on pcsc-lite and on WinSCard, without
polling), each reader's state its card. `poll()` waits at most a moment, so that the
card-reader lane can run a CAN check between two polls; the context is kept between polls and
re-established, with back-off, when the PC/SC service stops and comes back (Windows stops it
when the last reader is unplugged)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from smartcard import scard

from app.lanes import Lane, require_lane
from cardreader.errors import CardError
from cardreader.pcsc import establish

PNP = "\\\\?PnP?\\Notification"
BACKOFF_S = (0.5, 1.0, 2.0, 5.0)

READER_ADDED, READER_REMOVED = "reader-added", "reader-removed"
CARD_INSERTED, CARD_REMOVED = "card-inserted", "card-removed"
SERVICE_LOST, SERVICE_BACK = "service-lost", "service-back"


@dataclass(frozen=True, slots=True)
class ReaderEvent:
    kind: str
    reader: str = ""


class ReaderWatch:
    def __init__(self, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._handle: Any = None
        self._states: dict[str, int] = {}  # reader → its last known event state
        self._lost = False
        self._retry_at = 0.0
        self._failures = 0
        self._pnp = 0  # the PnP pseudo-reader's last event state (its reader count)
        self._monotonic = monotonic

    @property
    def readers(self) -> dict[str, bool]:
        """Each known reader and whether it holds a card."""
        return {
            name: bool(state & scard.SCARD_STATE_PRESENT) for name, state in self._states.items()
        }

    def poll(self, timeout_ms: int = 300) -> list[ReaderEvent]:
        require_lane(Lane.CARD_READER)
        if self._handle is None:
            if self._monotonic() < self._retry_at:
                time.sleep(timeout_ms / 1000)
                return []
            try:
                self._connect()
            except CardError:  # no context: the service is gone, whatever code it gave
                return self._service_gone()
            back = [ReaderEvent(SERVICE_BACK)] if self._lost else []
            self._lost, self._failures = False, 0
            return back + self._list_readers()
        query = [(PNP, self._pnp)] + [(name, state) for name, state in self._states.items()]
        result, states = scard.SCardGetStatusChange(self._handle, timeout_ms, query)
        if result == scard.SCARD_E_TIMEOUT:
            return []
        if result != scard.SCARD_S_SUCCESS:
            if result & 0xFFFFFFFF in (
                scard.SCARD_E_UNKNOWN_READER,
                scard.SCARD_E_READER_UNAVAILABLE,
            ):
                return self._list_readers()  # a reader went between two polls
            self._drop()
            return self._service_gone()
        events: list[ReaderEvent] = []
        for name, state, _atr in states:
            if name == PNP:
                if state & scard.SCARD_STATE_CHANGED:
                    self._pnp = state & ~scard.SCARD_STATE_CHANGED
                    events += self._list_readers()
                continue
            if name not in self._states or not state & scard.SCARD_STATE_CHANGED:
                continue
            before = bool(self._states[name] & scard.SCARD_STATE_PRESENT)
            now = bool(state & scard.SCARD_STATE_PRESENT)
            self._states[name] = state & ~scard.SCARD_STATE_CHANGED
            if now != before:
                events.append(ReaderEvent(CARD_INSERTED if now else CARD_REMOVED, name))
        return events

    def close(self) -> None:
        self._drop()

    # --- the context ---------------------------------------------------------------------------

    def _connect(self) -> None:
        self._handle, self._pnp = establish(), 0

    def _drop(self) -> None:
        if self._handle is not None:
            scard.SCardReleaseContext(self._handle)
            self._handle = None

    def _service_gone(self) -> list[ReaderEvent]:
        delay = BACKOFF_S[min(self._failures, len(BACKOFF_S) - 1)]
        self._failures += 1
        self._retry_at = self._monotonic() + delay
        if self._lost:
            return []
        self._lost = True
        removed = [ReaderEvent(READER_REMOVED, name) for name in self._states]
        self._states = {}
        return [ReaderEvent(SERVICE_LOST), *removed]

    def _list_readers(self) -> list[ReaderEvent]:
        """Readers now against readers known: the added (and their cards), the removed."""
        assert self._handle is not None
        result, names = scard.SCardListReaders(self._handle, [])
        if result == scard.SCARD_E_NO_READERS_AVAILABLE:
            names = []
        elif result != scard.SCARD_S_SUCCESS:
            self._drop()
            return self._service_gone()
        events = [ReaderEvent(READER_REMOVED, n) for n in self._states if n not in names]
        self._states = {n: s for n, s in self._states.items() if n in names}
        added = [n for n in names if n not in self._states]
        if added:
            _result, states = scard.SCardGetStatusChange(
                self._handle, 0, [(n, scard.SCARD_STATE_UNAWARE) for n in added]
            )
            for name, state, _atr in states:
                self._states[name] = state & ~scard.SCARD_STATE_CHANGED
                events.append(ReaderEvent(READER_ADDED, name))
                if state & scard.SCARD_STATE_PRESENT:
                    events.append(ReaderEvent(CARD_INSERTED, name))
        return events
