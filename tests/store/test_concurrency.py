"""Two clerks in two real processes claim the same case at the same moment: exactly one wins."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from multiprocessing.synchronize import Barrier

import pytest

from app.domain.cases import CaseStatus
from app.domain.errors import DomainError
from app.domain.users import User
from app.integrations.settings import Settings
from app.wiring import Core, build_core
from tests.conftest import FixedClock, meldebescheinigung_form

ROUNDS = 5


def _claim(
    url: str,
    login: str,
    case_ids: list[int],
    barrier: Barrier,
    results: multiprocessing.Queue[tuple[str, int, str]],
    at: dt.datetime,
) -> None:
    # the test's clock, a minute on: the history is ordered by time, whatever today is
    core = build_core(Settings(database_url=url), clock=FixedClock(at))
    user = core.users.by_login(login)
    assert user is not None
    for case_id in case_ids:
        barrier.wait(timeout=30)
        try:
            core.desk.claim(user=user, case_id=case_id)
            results.put((login, case_id, "won"))
        except DomainError as error:
            results.put((login, case_id, error.text("de")))
    core.close()


@pytest.mark.slow
def test_exactly_one_of_two_processes_claims(
    core: Core, staff: dict[str, User], db_url: str
) -> None:
    case_ids = [
        core.desk.open_walk_in(
            user=staff["clerk"],
            service_id="meldebescheinigung_einfach",
            form=meldebescheinigung_form(),
        ).id
        for _ in range(ROUNDS)
    ]
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results: multiprocessing.Queue[tuple[str, int, str]] = context.Queue()
    workers = [
        context.Process(
            target=_claim,
            args=(
                db_url,
                login,
                case_ids,
                barrier,
                results,
                core.clock.now() + dt.timedelta(minutes=1),
            ),
        )
        for login in ("a.becker", "b.schulz")
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=60) for _ in range(2 * ROUNDS)]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    for case_id in case_ids:
        mine = [o for o in outcomes if o[1] == case_id]
        winners = [login for login, _, text in mine if text == "won"]
        assert len(winners) == 1, mine
        loser_text = next(text for _, _, text in mine if text != "won")
        assert f"bereits von {winners[0]} bearbeitet" in loser_text
        stored = core.cases.get(case_id)
        assert stored.status is CaseStatus.IN_PROGRESS and stored.assignee == winners[0]
        assert [e.action for e in core.cases.history(case_id)] == ["open", "claim"]
    assert core.audit.verify() == []
