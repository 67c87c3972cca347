"""A system's health as the seat saw it: up after an answer, down after a failure with its
reason, tried again after a back-off that grows with each failure in a row and stops growing."""

from __future__ import annotations

import datetime as dt

from app.domain.health import BACK_OFF_SECONDS, Condition, System, SystemHealth, back_off

AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_a_failure_is_down_with_its_reason_and_a_next_try() -> None:
    health = SystemHealth(System.MAIL).failed(AT, "ConnectionRefusedError\nsecond line")
    assert health.condition is Condition.DOWN and health.reason == "ConnectionRefusedError"
    assert health.next_try == AT + dt.timedelta(seconds=BACK_OFF_SECONDS[0])
    assert not health.due(AT) and health.due(health.next_try)


def test_the_back_off_grows_and_then_stays() -> None:
    health = SystemHealth(System.BOX)
    waits = []
    for _ in range(len(BACK_OFF_SECONDS) + 3):
        health = health.failed(AT, "timeout")
        assert health.next_try is not None
        waits.append((health.next_try - AT).total_seconds())
    assert waits == sorted(waits) and waits[-1] == waits[-4] == BACK_OFF_SECONDS[-1]
    assert back_off(0) == back_off(1)


def test_the_central_database_is_tried_at_least_every_ten_seconds() -> None:
    health = SystemHealth(System.DATABASE)
    for _ in range(len(BACK_OFF_SECONDS)):
        health = health.failed(AT, "connection refused")
    assert health.next_try == AT + dt.timedelta(seconds=10)
    assert back_off(len(BACK_OFF_SECONDS), System.MAIL) == dt.timedelta(seconds=300)


def test_an_answer_clears_the_failures() -> None:
    health = SystemHealth(System.SMS).failed(AT, "HTTP 503").failed(AT, "HTTP 503")
    later = AT + dt.timedelta(minutes=3)
    up = health.succeeded(later)
    assert (up.condition, up.failures, up.next_try, up.last_success) == (
        Condition.UP,
        0,
        None,
        later,
    )
    assert up.last_failure == AT and not up.due(later + dt.timedelta(days=1))


def test_never_tried_is_due_and_not_set_up_never() -> None:
    assert SystemHealth(System.TSA).due(AT)
    assert not SystemHealth(System.TSA).switched_off().due(AT)


def test_json_has_no_surprises() -> None:
    shown = SystemHealth(System.PAYMENT).failed(AT, "HTTP 503").as_json()
    assert shown["system"] == "payment" and shown["condition"] == "down"
    assert shown["last_failure"] == "2026-03-02T09:00:00+00:00" and shown["last_success"] is None
