"""A seat's journal against the central database on both engines: prepared (number blocks,
the office's open cases copied), worked on while the central database is out of reach
(walk-ins, a till payment, a note, a decision on a copied case), while another seat goes on
centrally; then merged once: the seat's cases carried with their numbers from its blocks, the
audit chain continued and intact, the same person and the case changed on both sides listed
for a supervisor, nothing doubled by a second merge."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from app.domain.inbox import InboxQuery
from app.domain.outage import ConflictKind, Series
from app.domain.users import User
from app.integrations.settings import Settings
from app.services.outage import OutageDesk
from app.store.database import Database, make_engine, upgrade
from app.wiring import Core, build_core
from app.wiring.outage import OutageSwitch, build_outage
from printing import pades, verify
from printing.late_timestamps import stamp_waiting
from printing.wiring import build_documents
from sandbox.tsa import TimestampAuthority
from tests.conftest import (
    PASSPHRASE,
    FixedClock,
    SealSetup,
    decided_walk_in,
    meldebescheinigung_form,
)

PERSON = {"family_name": "Offline", "given_names": "Olga", "birth_date": "01.02.1970"}


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Database]:
    engine = make_engine(f"sqlite:///{tmp_path / 'journal.sqlite3'}")
    upgrade(engine)
    database = Database(engine)
    yield database
    database.dispose()


@pytest.fixture
def outage(core: Core, journal: Database) -> tuple[OutageDesk, OutageSwitch]:
    desk, switch = build_outage(core, journal)
    desk.seat = "Theke-3"
    return desk, switch


def walk_in(core: Core, clerk: User, **form: str) -> int:
    return core.desk.open_walk_in(
        user=clerk,
        service_id="meldebescheinigung_einfach",
        form=meldebescheinigung_form(**form),
        claim=True,
    ).id


def test_work_on_the_journal_is_merged_once_with_its_conflicts(
    core: Core,
    staff: dict[str, User],
    outage: tuple[OutageDesk, OutageSwitch],
    db_url: str,
    clock: FixedClock,
) -> None:
    desk, switch = outage
    clerk, supervisor = staff["clerk"], staff["supervisor"]
    copied = walk_in(core, clerk, family_name="Kopie")
    both_sides = walk_in(core, clerk, family_name="Beidseits")
    prepared = desk.prepare(user=clerk, office="SI")
    assert {b.series for b in prepared.blocks} == set(Series)
    assert prepared.cases_copied == 2
    case_block = next(b for b in prepared.blocks if b.series is Series.CASE)

    switch.to_journal()  # the central database is gone: the seat works on its journal
    clock.advance(minutes=5)
    offline = [walk_in(core, clerk, **PERSON), walk_in(core, clerk, family_name="Zwei")]
    references = [core.cases.get(case_id).reference for case_id in offline]
    assert all(case_block.holds(int(r.rsplit("-", 1)[1])) for r in references)
    fees = core.desk.fees
    assert fees is not None
    paid = fees.take(user=clerk, case_id=offline[1], way="cash")
    assert paid.payment_reference.startswith("SI-Q-")
    core.desk.add_note(user=clerk, case_id=offline[0], text="offline aufgenommen")
    core.desk.add_note(user=clerk, case_id=copied, text="offline bearbeitet")
    core.desk.release(user=clerk, case_id=both_sides)
    core.desk.add_note(user=clerk, case_id=both_sides, text="offline dazu")
    assert desk.journal.offline_work()["cases"] == 2

    other_seat = build_core(Settings(database_url=db_url), clock=clock)  # goes on centrally
    try:
        twin = walk_in(other_seat, staff["clerk2"], **PERSON)
        other_seat.desk.add_note(user=staff["clerk2"], case_id=both_sides, text="zentral")
        other_seat.desk.reassign(user=supervisor, case_id=both_sides, to_login="b.schulz")
    finally:
        other_seat.close()

    switch.to_central()  # it is back
    office = {o.code: o.id for o in core.users.offices()}["SI"]
    report = desk.merge_back(by=clerk.login, office_id=office)
    assert (report.cases, report.changed, report.conflicts) == (2, 1, 2)
    assert core.audit.verify() == []
    rows = core.desk.inbox_page(InboxQuery(), offset=0, limit=100)
    assert sorted(r.reference for r in rows if r.reference in references) == sorted(references)
    assert len({r.reference for r in rows}) == len(rows)
    carried = next(r for r in rows if r.reference == references[0])
    assert [n.text for n in core.cases.notes(carried.id)] == ["offline aufgenommen"]
    assert "offline bearbeitet" in [n.text for n in core.cases.notes(copied)]
    assert core.cases.get(next(r.id for r in rows if r.reference == references[1])).fee_due == 0
    conflicts = desk.conflicts(user=supervisor)
    assert {c.kind for c in conflicts} == {
        ConflictKind.SAME_PERSON,
        ConflictKind.CHANGED_ON_BOTH_SIDES,
    }
    same = next(c for c in conflicts if c.kind is ConflictKind.SAME_PERSON)
    assert same.local["reference"] == references[0]
    assert same.central["reference"] == core.cases.get(twin).reference
    # the central side of a case changed on both sides is kept, the offline one listed
    assert core.cases.get(both_sides).assignee == "b.schulz"
    assert [n.text for n in core.cases.notes(both_sides)] == ["zentral", "offline dazu"]
    again = desk.merge_back(by=clerk.login, office_id=office)
    assert (again.cases, again.changed, again.conflicts) == (0, 0, 0)
    assert core.audit.verify() == []


@pytest.mark.parametrize("order", ["first-then-second", "second-then-first"])
def test_two_seats_offline_at_once_merge_in_either_order(
    core: Core, staff: dict[str, User], db_url: str, clock: FixedClock, tmp_path: Path, order: str
) -> None:
    """Two seats of the office lose the central database together; each numbers from its own
    blocks, so whichever merges first, every case arrives once and the chain holds."""
    second_core = build_core(Settings(database_url=db_url), clock=clock)
    seats = []
    try:
        for name, seat_core in (("Theke-1", core), ("Theke-2", second_core)):
            engine = make_engine(f"sqlite:///{tmp_path / f'{name}.sqlite3'}")
            upgrade(engine)
            desk, switch = build_outage(seat_core, Database(engine))
            desk.seat = name
            desk.prepare(user=staff["clerk"], office="SI")
            seats.append((seat_core, desk, switch))
        references: list[str] = []
        for seat_core, _desk, switch in seats:
            switch.to_journal()
            for family in ("Erster", "Zweiter", "Dritter"):
                references.append(
                    seat_core.cases.get(
                        walk_in(seat_core, staff["clerk"], family_name=family)
                    ).reference
                )
        assert len(set(references)) == 6  # two seats, two blocks: no number twice
        office = {o.code: o.id for o in core.users.offices()}["SI"]
        merging = seats if order == "first-then-second" else list(reversed(seats))
        carried = []
        for _seat_core, desk, switch in merging:
            switch.to_central()
            outcome = desk.merge_back(by="a.becker", office_id=office)
            carried.append(outcome.cases)
        assert carried == [3, 3]
        rows = core.desk.inbox_page(InboxQuery(), offset=0, limit=100)
        assert sorted(r.reference for r in rows) == sorted(references)
        assert core.audit.verify() == []
        # the same three people opened at both seats: the second merge lists each once
        conflicts = seats[0][1].conflicts(user=staff["supervisor"])
        assert [c.kind for c in conflicts] == [ConflictKind.SAME_PERSON] * 3
    finally:
        for _seat_core, _desk, switch in seats:
            switch.journal.dispose()
        second_core.close()


class _SealSecrets:
    def get(self, name: str) -> str | None:
        return PASSPHRASE if name == "seal-key-password" else None

    def set(self, name: str, value: str) -> None:
        raise NotImplementedError


def test_an_original_sealed_on_the_journal_with_the_seat_key_while_the_tsa_is_gone(
    core: Core,
    staff: dict[str, User],
    outage: tuple[OutageDesk, OutageSwitch],
    seal: SealSetup,
    clock: FixedClock,
) -> None:
    """The seat seals with its own key (PKCS#12 here) while both the central database and the
    TSA are gone: the original is numbered from the seat's document block and sealed B-B; the
    merge carries it with its PDF; its timestamp is added centrally once the TSA answers."""
    desk, switch = outage
    clerk = staff["clerk"]
    blocks = {b.series: b for b in desk.prepare(user=clerk, office="SI").blocks}
    with TimestampAuthority(seal.pki) as gone:
        stopped_tsa = gone.url
    core.settings = replace(
        core.settings, seal_pkcs12_file=str(seal.p12), seal_timestamp_url=stopped_tsa
    )
    documents = build_documents(core, _SealSecrets)

    switch.to_journal()
    case_id = decided_walk_in(core, clerk)
    reference = core.cases.get(case_id).reference
    issued = documents.issue(user=clerk, case_id=case_id)
    assert blocks[Series.DOCUMENT].holds(int(issued.number.rsplit("-", 1)[1]))
    offline_pdf = documents.pdf(user=clerk, document_id=issued.id)
    verdict = verify.check_pdf(offline_pdf, seal.trust)
    assert verdict.ok, verdict
    assert not verdict.signatures[0].timestamped  # B-B: its timestamp is to come

    switch.to_central()
    office = {o.code: o.id for o in core.users.offices()}["SI"]
    assert desk.merge_back(by=clerk.login, office_id=office).cases == 1
    (row,) = core.desk.inbox_page(InboxQuery(search=reference), offset=0, limit=5)
    (carried,) = core.documents.for_case(row.id)
    assert carried.number == issued.number
    assert core.documents.pdf(carried.id) == offline_pdf
    assert [n for _id, n, _pdf in core.documents.awaiting_timestamp(limit=10)] == [issued.number]
    with TimestampAuthority(seal.pki) as tsa:
        timestamper = pades.HTTPTimeStamper(tsa.url)
        assert stamp_waiting(core.documents, timestamper, by="it", clock=clock) == 1
        assert stamp_waiting(core.documents, timestamper, by="it", clock=clock) == 0
    later = verify.check_pdf(core.documents.pdf(carried.id), seal.trust)
    assert later.ok, later
    assert [s.role for s in later.signatures] == [pades.Role.SEAL, pades.Role.TIMESTAMP]
    assert core.audit.verify() == []


def test_till_days_closed_offline_are_carried_and_one_closed_on_both_sides_is_listed(
    core: Core,
    staff: dict[str, User],
    outage: tuple[OutageDesk, OutageSwitch],
    db_url: str,
    clock: FixedClock,
) -> None:
    """Yesterday's day, closed before the outage, confirmed offline: the confirmation is
    carried. Today's day, booked and closed offline while a misconfigured second PC with the
    same counter name closed it centrally with other sums: listed with both sides, the central
    closing kept."""
    desk, switch = outage
    clerk, second = staff["clerk"], staff["clerk2"]
    fees = core.desk.fees
    assert fees is not None
    till, counter = fees.till, fees.counter
    office = {o.code: o.id for o in core.users.offices()}["SI"]

    def close_with_what_is_counted(seat: Core, user: User) -> None:
        assert seat.desk.fees is not None
        view = seat.desk.fees.till.view(office_id=office, counter=counter)
        seat.desk.fees.till.close_day(
            user=user, office_id=office, counter=counter, counted_cents=view.totals.cash_cents
        )

    fees.take(user=clerk, case_id=walk_in(core, clerk, family_name="Gestern"), way="cash")
    yesterday = till.today()
    close_with_what_is_counted(core, clerk)
    desk.prepare(user=clerk, office="SI")

    switch.to_journal()
    till.confirm_day(user=second, office_id=office, counter=counter, day=yesterday)
    clock.advance(days=1)
    fees.take(user=clerk, case_id=walk_in(core, clerk, family_name="Heute"), way="cash")
    close_with_what_is_counted(core, clerk)
    other = build_core(Settings(database_url=db_url, till_counter=counter), clock=clock)
    try:  # the other PC, centrally, on the same counter: a second fee, its own closing
        assert other.desk.fees is not None
        twin = walk_in(other, second, family_name="Zentral")
        other.desk.fees.take(user=second, case_id=twin, way="cash")
        close_with_what_is_counted(other, second)
    finally:
        other.close()

    switch.to_central()
    report = desk.merge_back(by=clerk.login, office_id=office)
    assert report.conflict_kinds.count(ConflictKind.TILL_DAY_DIFFERS.value) == 1
    carried = till.journal.day(office, counter, yesterday)
    assert (carried.state.value, carried.confirmed_by) == ("confirmed", second.login)
    today = till.journal.day(office, counter, till.today())
    assert today.closed_by == second.login  # the central closing is kept
    (listed,) = [
        c for c in desk.conflicts(user=staff["supervisor"]) if c.kind.value.startswith("till")
    ]
    assert listed.local["closed_by"] == clerk.login and listed.central["closed_by"] == second.login
    again = desk.merge_back(by=clerk.login, office_id=office)
    assert again.conflicts == 0
    assert core.audit.verify() == []
