"""A box loading's state machine: the table against the process written out apart, every step
refused from every other state, and the database's idea of "active" the domain's."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app.domain.pickup import (
    ACTIVE_LOADING,
    LOADING_STEPS,
    Loading,
    LoadingRefused,
    LoadingState,
    LoadingStep,
    Size,
    next_state,
)
from app.store.models import ACTIVE_LOADING_SQL

L = LoadingState
EXPECTED = {
    "box.open_for_loading": (set(), L.RESERVED),
    # four eyes: the claim waits, door shut, for a second clerk signed in at their own seat
    "box.second_person_asked": (set(), L.CONFIRMING),
    "box.second_person_confirmed": ({L.CONFIRMING}, L.RESERVED),
    "box.door_opened": ({L.RESERVED}, L.DOOR_OPEN),
    # the box refused or closed empty; declined, withdrawn or unconfirmed in time
    "box.loading_cancelled": ({L.CONFIRMING, L.RESERVED, L.DOOR_OPEN}, L.CANCELLED),
    # the door closed on the item; also when our 'door opened' was never written (seat killed)
    "box.loaded": ({L.RESERVED, L.DOOR_OPEN}, L.LOADED),
    "box.code_issued": ({L.LOADED}, None),
    "box.code_renewed": ({L.LOADED, L.CODE_SENT}, L.LOADED),
    "box.code_sent": ({L.LOADED}, L.CODE_SENT),
    "box.reminded": ({L.CODE_SENT}, None),
    "box.collected": ({L.LOADED, L.CODE_SENT}, L.COLLECTED),
    "box.open_for_retrieval": ({L.LOADED, L.CODE_SENT}, L.RETRIEVING),
    "box.returned": ({L.RETRIEVING}, L.RETURNED),
}


def loading(state: LoadingState) -> Loading:
    at = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    return Loading(1, 1, "SI-2026-000001", "SI", "4", state, Size.S, False, 7, at, "a.becker")


def test_the_table_is_the_process() -> None:
    assert {s.value: (set(m.start), m.end) for s, m in LOADING_STEPS.items()} == EXPECTED


@pytest.mark.parametrize("step", [s for s in LoadingStep if LOADING_STEPS[s].start])
@pytest.mark.parametrize("state", list(LoadingState))
def test_every_step_from_every_state(step: LoadingStep, state: LoadingState) -> None:
    starts, end = EXPECTED[step.value]
    if state in starts:
        assert next_state(loading(state), step) is (end or state)
    else:
        with pytest.raises(LoadingRefused) as refused:
            next_state(loading(state), step)
        assert "SI-2026-000001" in refused.value.text("de")


def test_active_loadings_are_the_same_in_the_database() -> None:
    in_sql = set(re.findall(r"'([a-z_]+)'", ACTIVE_LOADING_SQL))
    assert in_sql == {state.value for state in ACTIVE_LOADING}
    # active: from the reservation until the loading ends
    ended = {L.COLLECTED, L.RETURNED, L.CANCELLED}
    assert set(ACTIVE_LOADING) == set(LoadingState) - ended
