"""The reader watch on the real pcscd: the virtual reader appears, a card goes in and out, and
the PC/SC service stopping and coming back is said and recovered from by itself."""

from __future__ import annotations

import time

from cardreader.watch import (
    CARD_INSERTED,
    CARD_REMOVED,
    READER_ADDED,
    SERVICE_BACK,
    SERVICE_LOST,
    ReaderEvent,
    ReaderWatch,
)
from sandbox.pcsc import PrivatePcscd
from sandbox.virtual_card.vpcd import VirtualCard


def events_until(watch: ReaderWatch, wanted: ReaderEvent, seconds: float = 10) -> list[ReaderEvent]:
    seen: list[ReaderEvent] = []
    deadline = time.monotonic() + seconds
    while wanted not in seen:
        assert time.monotonic() < deadline, seen
        seen += watch.poll(200)
    return seen


def test_a_card_in_and_out_and_the_service_gone_and_back(pcscd: PrivatePcscd) -> None:
    reader = f"{pcscd.reader_prefix} 00 00"
    watch = ReaderWatch()
    card = VirtualCard()
    try:
        assert ReaderEvent(READER_ADDED, reader) in events_until(
            watch, ReaderEvent(READER_ADDED, reader)
        )
        assert watch.readers[reader] is False
        card.insert()
        started = time.monotonic()
        events_until(watch, ReaderEvent(CARD_INSERTED, reader))
        insert_seconds = time.monotonic() - started
        assert watch.readers[reader] is True
        card.remove()
        events_until(watch, ReaderEvent(CARD_REMOVED, reader))
        assert insert_seconds < 5
        pcscd.pause()
        events_until(watch, ReaderEvent(SERVICE_LOST))
        assert watch.readers == {}
        pcscd.resume()
        seen = events_until(watch, ReaderEvent(READER_ADDED, reader), seconds=20)
        assert ReaderEvent(SERVICE_BACK) in seen
    finally:
        card.remove()
        watch.close()
