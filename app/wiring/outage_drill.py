"""`buergerbuero outage drill`: the whole outage rehearsed on a scratch database, for IT before
the real one. A scratch central database (SQLite in a temporary folder, demo staff and cases),
a seat prepared (blocks, journal), the central database made really unreachable (its folder
moved away: every new connection fails), work on the journal (walk-ins, a cash payment, a
note, an identity check and a decision, the till day closed), the folder back, the merge, and
the checks: every case once, numbers from the seat's blocks, the work carried, the audit chain
intact, a second merge adds nothing."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.domain.cases import CaseStatus
from app.domain.documents import RegisterFacts, RegisterSource
from app.domain.errors import DatabaseUnavailable
from app.domain.identity import IdentityLevel
from app.domain.inbox import InboxQuery
from app.domain.outage import Series
from app.domain.users import User
from app.integrations.settings import Settings
from app.ports import Clock
from app.store.database import Database, make_engine, ping, upgrade
from app.wiring.core import Core, build_core
from app.wiring.demo import seed_demo
from app.wiring.outage import build_outage

DRILL_SEAT = "Drill-Theke"
DRILL_REGISTER = {"main_address": "Probeweg 1, 57072 Siegen", "usual_given_name": "Olga"}
WALK_INS = 5


@dataclass
class Drill:
    say: Callable[[str], None] = lambda _line: None
    steps: list[tuple[str, bool, str]] = field(default_factory=list)

    def step(self, name: str, ok: bool, detail: str = "") -> bool:
        self.steps.append((name, ok, detail))
        self.say(f"{'ok    ' if ok else 'FAILED'} {name}{f': {detail}' if detail else ''}")
        return ok

    @property
    def ok(self) -> bool:
        return all(ok for _name, ok, _detail in self.steps)

    def as_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "steps": [{"step": n, "ok": ok, "detail": d} for n, ok, d in self.steps],
        }


def _decide(core: Core, clerk: User, case_id: int) -> CaseStatus:
    """The counter's usual steps on a paid walk-in: identity seen, register facts confirmed,
    approved."""
    core.desk.verify_identity(
        user=clerk,
        case_id=case_id,
        level=IdentityLevel.HIGH,
        method="counter_visual",
        note="Probe: Personalausweis",
    )
    case = core.cases.get(case_id)
    facts = RegisterFacts(
        case_id, DRILL_REGISTER, RegisterSource.CONFIRMED, clerk.login, core.clock.now()
    )
    core.register_confirmations.confirm(facts, case_reference=case.reference)
    return core.desk.approve(user=clerk, case_id=case_id).status


def run_drill(
    *, login: str, clock: Clock | None = None, say: Callable[[str], None] = lambda _line: None
) -> Drill:
    drill = Drill(say)
    with tempfile.TemporaryDirectory(prefix="bb-drill-") as scratch:
        root = Path(scratch)
        central_dir = root / "central"
        central_dir.mkdir()
        settings = Settings(
            database_url=f"sqlite:///{central_dir / 'central.sqlite3'}",
            data_dir=str(root / "seat"),
            till_counter=DRILL_SEAT,
        )
        core = build_core(settings, clock=clock)
        try:
            _rehearse(drill, core, root, central_dir, login)
        finally:
            core.close()
    return drill


def _rehearse(drill: Drill, core: Core, root: Path, central_dir: Path, login: str) -> None:
    upgrade(core.database.engine)
    seed_demo(core, count=60, if_empty=False, login=login)
    clerk = core.users.by_login(login)
    assert clerk is not None
    journal_engine = make_engine(f"sqlite:///{root / 'journal.sqlite3'}")
    upgrade(journal_engine)
    journal = Database(journal_engine)
    desk, switch = build_outage(core, journal)
    office = next(o for o in core.users.offices() if o.id == clerk.office_id)
    prepared = desk.prepare(user=clerk, office=office.code)
    blocks = {b.series: b for b in prepared.blocks}
    drill.step("prepare", len(blocks) == 3, f"{prepared.cases_copied} open cases")

    core.database.dispose()
    away = central_dir.with_name("central.away")
    central_dir.rename(away)  # the server is gone: every new connection fails
    try:
        ping(core.database)
        gone = False
    except DatabaseUnavailable:
        gone = True
    drill.step("central database unreachable", gone)
    switch.to_journal()
    references = []
    for number in range(WALK_INS):
        case = core.desk.open_walk_in(
            user=clerk,
            service_id="meldebescheinigung_einfach",
            form={
                "family_name": f"Probe{'ABCDEFGHIJ'[number]}",
                "given_names": "Olga",
                "birth_date": "01.02.1970",
                "delivery": "paper",
            },
            claim=True,
        )
        references.append(case.reference)
    first = core.desk.inbox_page(InboxQuery(search=references[0]), offset=0, limit=1)[0]
    fees = core.desk.fees
    assert fees is not None
    paid = fees.take(user=clerk, case_id=first.id, way="cash")
    core.desk.add_note(user=clerk, case_id=first.id, text="Probe: offline aufgenommen")
    in_block = all(blocks[Series.CASE].holds(int(r.rsplit("-", 1)[1])) for r in references)
    receipt = paid.payment_reference
    drill.step("walk-ins on the journal", in_block, ", ".join(references))
    drill.step("cash payment on the journal", "-Q-" in receipt, receipt)
    decided = _decide(core, clerk, first.id)
    drill.step("identity check and decision on the journal", decided is CaseStatus.APPROVED)
    till, counter = fees.till, fees.counter
    counted = till.view(office_id=office.id, counter=counter).totals.cash_cents
    till.close_day(user=clerk, office_id=office.id, counter=counter, counted_cents=counted)
    drill.step("till day closed on the journal", True, f"{counted / 100:.2f} EUR in cash")

    away.rename(central_dir)
    switch.to_central()
    report = desk.merge_back(by=clerk.login, office_id=office.id)
    drill.step("merge", report.cases == WALK_INS, json.dumps(report.as_json()))
    carried = [
        len(core.desk.inbox_page(InboxQuery(search=r), offset=0, limit=5)) for r in references
    ]
    drill.step("every case once", carried == [1] * WALK_INS)
    merged = core.desk.inbox_page(InboxQuery(search=references[0]), offset=0, limit=1)[0]
    notes = [n.text for n in core.cases.notes(merged.id)]
    drill.step(
        "note, payment and decision carried",
        "Probe: offline aufgenommen" in notes
        and core.cases.get(merged.id).status is CaseStatus.APPROVED
        and core.cases.get(merged.id).payment_reference == receipt,
    )
    day = fees.till.journal.day(office.id, fees.counter, fees.till.today())
    drill.step("till day carried", day.closed_by == clerk.login, day.state.value)
    broken = core.audit.verify()
    drill.step("audit chain intact", broken == [], "; ".join(map(str, broken[:3])))
    again = desk.merge_back(by=clerk.login, office_id=office.id)
    drill.step("a second merge adds nothing", again.cases == 0 and again.changed == 0)
    journal.dispose()
