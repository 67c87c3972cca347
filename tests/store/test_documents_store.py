"""Issuing and printing originals on the real store, on SQLite and on PostgreSQL: gap-free
numbers, nothing stored when sealing fails, prints and reprints recorded with the case."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from app.domain.cases import CaseStatus
from app.domain.documents import DocumentKind, DocumentRefused, MadeDocument, NumberState
from app.domain.errors import NotFound, TransitionRefused
from app.domain.users import User
from app.services.documents import DocumentDesk
from app.store.documents import STALE_REASON
from app.wiring import Core
from printing import verify
from printing.wiring import build_documents
from tests.conftest import FixedClock, SealSetup, decided_walk_in, meldebescheinigung_form


class _Secrets:
    def __init__(self, values: dict[str, str]) -> None:
        self.values = values

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def set(self, name: str, value: str) -> None:
        self.values[name] = value


@pytest.fixture
def documents(core: Core, seal: SealSetup) -> DocumentDesk:
    from dataclasses import replace

    from tests.conftest import PASSPHRASE

    core.settings = replace(core.settings, seal_pkcs12_file=str(seal.p12))
    secrets = _Secrets({"seal-key-password": PASSPHRASE})
    return build_documents(core, lambda: secrets)


def _approved_case(core: Core, clerk: User) -> int:
    return decided_walk_in(core, clerk)


def test_issue_print_reprint(
    core: Core, staff: dict[str, User], documents: DocumentDesk, seal: SealSetup
) -> None:
    clerk = staff["clerk"]
    case_id = _approved_case(core, clerk)
    issued = documents.issue(user=clerk, case_id=case_id)
    assert issued.number == "2026-000001"
    assert issued.kind is DocumentKind.MELDEBESCHEINIGUNG
    pdf = documents.pdf(user=clerk, document_id=issued.id)
    assert verify.check_pdf(pdf, seal.trust).ok
    assert b"2026-000001" in pdf or issued.pages == 1

    first = documents.record_print(
        user=clerk, document_id=issued.id, printer="Theke 3", pages=1, copies=1
    )
    assert not first.reprint
    assert core.cases.get(case_id).status is CaseStatus.PRINTED
    assert core.cases.history(case_id)[-1].reason == first.describe()

    again = documents.record_print(
        user=clerk, document_id=issued.id, printer="Theke 3", pages=1, copies=2
    )
    assert again.reprint
    assert [p.reprint for p in documents.prints(user=clerk, document_id=issued.id)] == [
        False,
        True,
    ]
    assert documents.documents(user=clerk, case_id=case_id)[0].prints == 2
    actions = [r.entry.action for r in core.audit.records()]
    assert actions[-4:] == [
        "document.viewed",
        "case.print",
        "document.printed",
        "document.reprinted",
    ]
    assert "document.issued" in actions
    assert core.audit.verify() == []
    with pytest.raises(TransitionRefused):  # as the page: only the case's clerk prints
        documents.issue(user=staff["clerk2"], case_id=case_id)
    handed = core.desk.hand_over(user=clerk, case_id=case_id)  # at the counter
    assert handed.status is CaseStatus.CLOSED
    assert core.cases.history(case_id)[-1].action == "hand_over"


def test_numbers_are_gap_free_per_year_and_a_failed_seal_voids_its_number(
    core: Core, staff: dict[str, User], documents: DocumentDesk, clock: FixedClock
) -> None:
    clerk = staff["clerk"]
    cases = [_approved_case(core, clerk) for _ in range(3)]
    assert documents.issue(user=clerk, case_id=cases[0]).number == "2026-000001"

    working_maker = documents.maker

    class Broken:
        def make(self, content: object) -> MadeDocument:
            raise RuntimeError("token pulled")

    documents.maker = Broken()
    with pytest.raises(RuntimeError, match="token pulled"):
        documents.issue(user=clerk, case_id=cases[1])
    assert documents.documents(user=clerk, case_id=cases[1]) == []
    documents.maker = working_maker
    assert documents.issue(user=clerk, case_id=cases[1]).number == "2026-000003"
    entries = documents.register_entries(user=clerk, year=2026)
    assert [(e.number, e.state, e.void_reason) for e in entries] == [
        ("2026-000001", NumberState.ISSUED, ""),
        ("2026-000002", NumberState.VOID, "token pulled"),
        ("2026-000003", NumberState.ISSUED, ""),
    ]
    clock.advance(days=60)
    assert documents.issue(user=clerk, case_id=cases[2]).number == "2027-000001"
    actions = [r.entry.action for r in core.audit.records()]
    assert actions.count("document.reserved") == 4 and actions.count("document.voided") == 1
    assert core.audit.verify() == []


def test_sealing_holds_no_database_lock(
    core: Core, staff: dict[str, User], documents: DocumentDesk
) -> None:
    """While one seat waits for its seal (a slow TSA), another seat writes: the seal runs
    between the reservation's transaction and the record's, not inside one."""
    clerk = staff["clerk"]
    first, second = (_approved_case(core, clerk) for _ in range(2))
    pending = documents.reserve(user=clerk, case_id=first)
    # another seat, meanwhile: a whole issue and a note (both take the write lock)
    assert documents.issue(user=clerk, case_id=second).number == "2026-000002"
    core.desk.add_note(user=clerk, case_id=second, text="während des Siegelns")
    made = documents.seal(pending)
    recorded = documents.record(user=clerk, pending=pending, made=made)
    assert recorded.number == "2026-000001" and recorded.case_id == first


def test_a_voided_reservation_cannot_be_recorded(
    core: Core, staff: dict[str, User], documents: DocumentDesk, clock: FixedClock
) -> None:
    clerk = staff["clerk"]
    case_id = _approved_case(core, clerk)
    slow = documents.reserve(user=clerk, case_id=case_id)
    made = documents.seal(slow)
    clock.advance(minutes=11)  # the seat is taken for dead: the next reservation voids it
    other = documents.reserve(user=clerk, case_id=_approved_case(core, clerk))
    assert other.reservation.number == "2026-000002"
    with pytest.raises(NotFound):
        documents.record(user=clerk, pending=slow, made=made)
    states = [e.state for e in documents.register_entries(user=clerk, year=2026)]
    assert states == [NumberState.VOID, NumberState.RESERVED]


def test_two_seats_issuing_at_once_never_share_a_number(
    core: Core, staff: dict[str, User], documents: DocumentDesk
) -> None:
    clerk = staff["clerk"]
    cases = [_approved_case(core, clerk) for _ in range(8)]
    numbers: list[str] = []
    errors: list[BaseException] = []

    def issue(chunk: list[int]) -> None:
        for case_id in chunk:
            try:
                numbers.append(documents.issue(user=clerk, case_id=case_id).number)
            except BaseException as error:
                errors.append(error)

    threads = [threading.Thread(target=issue, args=(cases[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [f"2026-{n:06d}" for n in range(1, 9)]


def test_undecided_case_gets_no_document(
    core: Core, staff: dict[str, User], documents: DocumentDesk
) -> None:
    clerk = staff["clerk"]
    case = core.desk.open_walk_in(
        user=clerk, service_id="meldebescheinigung_einfach", form=meldebescheinigung_form()
    )
    with pytest.raises(DocumentRefused) as refused:
        documents.issue(user=clerk, case_id=case.id)
    assert refused.value.key == "document.not_decided"


def test_rejected_case_gets_a_notice_and_stays_rejected(
    core: Core, staff: dict[str, User], documents: DocumentDesk, seal: SealSetup
) -> None:
    clerk = staff["clerk"]
    case = core.desk.open_walk_in(
        user=clerk, service_id="meldebescheinigung_einfach", form=meldebescheinigung_form()
    )
    core.desk.claim(user=clerk, case_id=case.id)
    core.desk.reject(user=clerk, case_id=case.id, reason="Keine Meldung in Siegen vorhanden.")
    notice = documents.issue(user=clerk, case_id=case.id)
    assert notice.kind is DocumentKind.ABLEHNUNGSBESCHEID
    documents.record_print(user=clerk, document_id=notice.id, printer="P", pages=1, copies=1)
    assert core.cases.get(case.id).status is CaseStatus.REJECTED
    found = verify.seals_in_pdf(documents.pdf(user=clerk, document_id=notice.id))
    assert verify.check_seal(found[0], seal.trust).ok


def test_printing_again_reuses_the_issued_original(
    core: Core, staff: dict[str, User], documents: DocumentDesk
) -> None:
    clerk = staff["clerk"]
    case_id = _approved_case(core, clerk)
    first, pdf = documents.printable(user=clerk, case_id=case_id)
    again, pdf_again = documents.printable(user=clerk, case_id=case_id)
    assert again.id == first.id and pdf_again == pdf
    assert len(documents.documents(user=clerk, case_id=case_id)) == 1


def test_a_seat_with_a_clerk_certificate_signs_after_the_seal(
    core: Core, staff: dict[str, User], seal: SealSetup, tmp_path: object
) -> None:
    from dataclasses import replace
    from pathlib import Path

    from printing.pades import CLERK_FIELD, SEAL_FIELD
    from tests.conftest import PASSPHRASE

    clerk_p12 = Path(str(tmp_path)) / "clerk.p12"
    seal.pki.pkcs12(clerk_p12, "a.becker", serial=0x42, passphrase="eigenes-kennwort")
    core.settings = replace(
        core.settings, seal_pkcs12_file=str(seal.p12), clerk_signature_pkcs12_file=str(clerk_p12)
    )
    secrets = _Secrets({"seal-key-password": PASSPHRASE, "clerk-key-password": "eigenes-kennwort"})
    documents = build_documents(core, lambda: secrets)
    clerk = staff["clerk"]
    issued = documents.issue(user=clerk, case_id=_approved_case(core, clerk))
    verdict = verify.check_pdf(documents.pdf(user=clerk, document_id=issued.id), seal.trust)
    assert verdict.ok, verdict
    assert [s.field for s in verdict.signatures] == [SEAL_FIELD, CLERK_FIELD]


_ISSUING_WORKER = """
import sys
from app.wiring import build_core
from app.integrations.settings import Settings
from printing.wiring import build_documents

url, p12, passphrase, login, *case_ids = sys.argv[1:]
core = build_core(Settings(database_url=url, seal_pkcs12_file=p12))

class Secrets:
    def get(self, name):
        return passphrase
    def set(self, name, value):
        raise NotImplementedError

documents = build_documents(core, Secrets)
user = core.users.by_login(login)
for case_id in case_ids:
    print(documents.issue(user=user, case_id=int(case_id)).number, flush=True)
"""


@pytest.mark.slow
def test_a_killed_seat_leaves_no_gap_and_no_half_document(
    core: Core,
    staff: dict[str, User],
    documents: DocumentDesk,
    seal: SealSetup,
    db_url: str,
    clock: FixedClock,
) -> None:
    import signal
    import subprocess
    import sys

    from tests.conftest import PASSPHRASE

    clerk = staff["clerk"]
    cases = [_approved_case(core, clerk) for _ in range(40)]
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _ISSUING_WORKER,
            db_url,
            str(seal.p12),
            PASSPHRASE,
            clerk.login,
            *map(str, cases),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout is not None
    year = dt.datetime.now(dt.UTC).year  # the worker runs on the real clock
    for _ in range(5):
        assert worker.stdout.readline().startswith(f"{year}-")
    worker.send_signal(signal.SIGKILL)  # somewhere inside the next issue, most likely
    worker.wait(timeout=10)
    worker.stdout.close()

    issued = [d for case_id in cases for d in documents.documents(user=clerk, case_id=case_id)]
    assert len(issued) >= 5
    for document in issued:  # every stored original is whole and sealed
        assert verify.check_pdf(documents.pdf(user=clerk, document_id=document.id), seal.trust).ok
    # the dead seat's reservation (if it died while sealing) is voided as stale by the next
    clock.current = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11)
    without = next(c for c in cases if not documents.documents(user=clerk, case_id=c))
    following = documents.issue(user=clerk, case_id=without)
    entries = documents.register_entries(user=clerk, year=year)
    numbers = [e.number for e in entries]
    assert numbers == [f"{year}-{n:06d}" for n in range(1, len(numbers) + 1)]  # no gap
    assert following.number == numbers[-1]
    assert {e.state for e in entries} <= {NumberState.ISSUED, NumberState.VOID}
    assert {e.number for e in entries if e.state is NumberState.ISSUED} == {
        d.number for d in [*issued, following]
    }
    assert all(e.void_reason == STALE_REASON for e in entries if e.state is NumberState.VOID)
