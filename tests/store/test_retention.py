"""Retention on SQLite and PostgreSQL: a finished case past its periods loses its attachments,
its identity check's details and its personal data, each deletion audited; its figures still
count; a legal hold keeps a case whole; a case finished lately or still open keeps everything;
a dry run lists what would go and changes nothing; the audit chain verifies."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import delete as sa_delete
from sqlalchemy import select, update

from app.domain.audit import verify_chain
from app.domain.errors import DomainError, NotFound, PermissionDenied
from app.domain.identity import IdentityLevel
from app.domain.retention import RETENTION_ACTOR, DataKind, default_rules
from app.domain.users import User
from app.services.reporting import Period
from app.services.retention import RetentionDesk
from app.store.models import AttachmentRow, CaseEventRow, CaseRow, NoteRow
from app.store.retention import SqlRetention
from app.wiring import Core, build_reports
from tests.conftest import FixedClock, meldebescheinigung_form


def _finished(core: Core, clerk: User, family: str, *, age_days: int) -> tuple[int, str]:
    form = meldebescheinigung_form(family_name=family, given_names="Erika")
    case = core.desk.open_walk_in(user=clerk, service_id="meldebescheinigung_einfach", form=form)
    core.desk.claim(user=clerk, case_id=case.id)
    core.desk.verify_identity(
        user=clerk,
        case_id=case.id,
        level=IdentityLevel.HIGH,
        method="counter_visual",
        note="Reisepass C01X00T47",
    )
    core.desk.add_note(user=clerk, case_id=case.id, text="Tochter holt ab")
    core.desk.reject(user=clerk, case_id=case.id, reason="Nicht zuständig: Wohnsitz in Köln")
    when = core.clock.now() - dt.timedelta(days=age_days)
    with core.database.writing() as session:
        session.execute(update(CaseRow).where(CaseRow.id == case.id).values(updated_at=when))
        session.add(
            AttachmentRow(
                case_id=case.id,
                filename="nachweis.pdf",
                media_type="application/pdf",
                size=9,
                sha256="0" * 64,
                content=b"%PDF-1.7\n",
            )
        )
    return case.id, case.reference


def _held_data(core: Core, case_id: int) -> tuple[object, ...]:
    with core.database.reading() as session:
        row = session.get(CaseRow, case_id)
        assert row is not None
        attachments = session.scalar(
            select(AttachmentRow.id).where(AttachmentRow.case_id == case_id).limit(1)
        )
        reasons = sorted(
            session.scalars(select(CaseEventRow.reason).where(CaseEventRow.case_id == case_id))
        )
        notes = list(session.scalars(select(NoteRow.text).where(NoteRow.case_id == case_id)))
        return (row.family_name, row.birth_date, row.form_data, attachments, reasons, notes)


def test_a_case_past_its_periods_is_deleted_and_still_counted(
    core: Core, staff: dict[str, User]
) -> None:
    clerk, supervisor, admin = staff["clerk"], staff["supervisor"], staff["admin"]
    old, old_reference = _finished(core, clerk, "Alt", age_days=800)
    held, held_reference = _finished(core, clerk, "Gehalten", age_days=800)
    recent, _ = _finished(core, clerk, "Neu", age_days=10)
    still_open = core.desk.open_walk_in(
        user=clerk,
        service_id="meldebescheinigung_einfach",
        form=meldebescheinigung_form(family_name="Offen"),
    ).id
    retention = SqlRetention(
        core.database, default_rules(), [s.id for s in core.catalogue.services]
    )
    assert retention.hold(
        held_reference, "Widerspruchsverfahren 2026-17", actor=admin.login, at=core.clock.now()
    )
    period = Period(dt.date(2020, 1, 1), core.clock.now().date())
    figures = build_reports(core).report(user=supervisor, period=period)
    kept = {case_id: _held_data(core, case_id) for case_id in (old, held, recent, still_open)}
    records = len(list(core.audit.records()))

    planned = retention.run(core.clock.now(), actor=admin.login, dry_run=True)
    assert planned.cases[DataKind.APPLICATION_DATA] == [old_reference]
    assert planned.cases[DataKind.ATTACHMENTS] == [old_reference]
    assert {case_id: _held_data(core, case_id) for case_id in kept} == kept  # nothing changed
    assert len(list(core.audit.records())) == records

    done = retention.run(core.clock.now(), actor=admin.login)
    assert done.cases == planned.cases
    family, birth, form, attachment, reasons, notes = _held_data(core, old)
    assert (family, birth, form, attachment, notes) == ("", None, {}, None, [])
    assert not any("Reisepass" in r or "Köln" in r for r in reasons)
    for case_id in (held, recent, still_open):
        assert _held_data(core, case_id) == kept[case_id]
    assert build_reports(core).report(user=supervisor, period=period) == figures
    assert core.cases.get(old).reference == old_reference  # the row stays, found by reference
    deleted = [
        (r.entry.subject, r.entry.detail)
        for r in core.audit.records()
        if r.entry.action == "retention.deleted"
    ]
    assert (old_reference, "application_data") in deleted
    assert all(subject == old_reference for subject, _ in deleted)
    assert not any("Alt" in r.entry.detail for r in core.audit.records())
    assert verify_chain(core.audit.records()) == []
    assert retention.run(core.clock.now(), actor=admin.login).cases == {
        kind: [] for kind in planned.cases
    }  # a second run finds nothing more


def test_the_desk_runs_once_a_day_for_the_intake_task_and_only_for_an_admin(
    core: Core, staff: dict[str, User]
) -> None:
    clerk, admin = staff["clerk"], staff["admin"]
    _, reference = _finished(core, clerk, "Alt", age_days=800)
    store = SqlRetention(core.database, default_rules(), [s.id for s in core.catalogue.services])
    now = core.clock.now()
    desk = RetentionDesk(store=store, clock=FixedClock(now))
    with pytest.raises(PermissionDenied):
        desk.preview(user=clerk)
    with pytest.raises(PermissionDenied):
        desk.hold(user=staff["supervisor"], reference=reference, reason="Klage")
    with pytest.raises(DomainError):
        desk.hold(user=admin, reference=reference, reason="  ")
    with pytest.raises(NotFound):
        desk.release(user=admin, reference="SI-1999-000001")
    assert desk.preview(user=admin).cases[DataKind.APPLICATION_DATA] == [reference]
    assert store.last_run() is None  # a dry run is no run

    first = desk.run_if_due()
    assert first is not None and first.cases[DataKind.APPLICATION_DATA] == [reference]
    assert store.last_run() == now
    assert desk.run_if_due() is None  # the same day: the other offices' tasks skip it
    tomorrow = RetentionDesk(store=store, clock=FixedClock(now + dt.timedelta(days=1)))
    assert tomorrow.run_if_due() is not None
    runs = [r.entry for r in core.audit.records() if r.entry.action == "retention.run"]
    assert [entry.actor for entry in runs] == [RETENTION_ACTOR, RETENTION_ACTOR]
    assert "application_data=1" in runs[0].detail and reference not in runs[0].detail
    assert {p.kind for p in desk.periods()} == set(DataKind)
    assert verify_chain(core.audit.records()) == []


def test_a_case_of_a_service_no_longer_offered_follows_the_kinds_own_period(
    core: Core, staff: dict[str, User]
) -> None:
    retired, reference = _finished(core, staff["clerk"], "Alt", age_days=800)
    with core.database.writing() as session:
        session.execute(update(CaseRow).where(CaseRow.id == retired).values(service_id="altdienst"))
    store = SqlRetention(core.database, default_rules(), [s.id for s in core.catalogue.services])
    planned = store.run(core.clock.now(), actor="it.admin", dry_run=True)
    assert planned.cases[DataKind.APPLICATION_DATA] == [reference]
    assert planned.cases[DataKind.IDENTITY_CHECKS] == [reference]


def test_a_setting_overrides_a_kind_for_every_service() -> None:
    rules = default_rules().overridden({DataKind.APPLICATION_DATA: 60})
    assert rules.period(DataKind.APPLICATION_DATA, "geburtsurkunde") == 60
    assert rules.period(DataKind.ATTACHMENTS, "geburtsurkunde") == 3
    assert default_rules().period(DataKind.APPLICATION_DATA, "geburtsurkunde") == 24
    assert dataclasses.is_dataclass(rules)


def test_the_command_on_a_year_of_demo_cases(tmp_path: Path) -> None:
    """As IT schedules it: the dry run lists, the run deletes exactly that, the council's
    figures of the year are the same before and after, a hold on a case that is not there
    is exit 1, a clerk's login is refused in one line."""
    tool = Path(sys.executable).with_name("buergerbuero")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("BUERGERBUERO_")},
        "BUERGERBUERO_DATA_DIR": str(tmp_path),
        "BUERGERBUERO_LOGIN": "it.admin",
    }

    def run(*arguments: str, login: str = "it.admin") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(tool), *arguments],
            env={**env, "BUERGERBUERO_LOGIN": login},
            capture_output=True,
            text=True,
            timeout=300,
        )

    assert run("db", "upgrade").returncode == 0
    assert run("demo", "--cases", "120").returncode == 0
    today = dt.date.today()
    year = [
        "report",
        "--from",
        (today - dt.timedelta(days=400)).isoformat(),
        "--to",
        today.isoformat(),
    ]
    before = json.loads(run(*year).stdout)
    planned = run("retention", "run", "--dry-run")
    assert planned.returncode == 0, planned.stderr
    due = json.loads(planned.stdout)["cases"]
    assert due["attachments"] or due["identity_checks"] or due["application_data"]
    done = json.loads(run("retention", "run").stdout)
    assert done["cases"] == due and not done["dry_run"]
    after = json.loads(run(*year).stdout)
    for moment in ("as_of", "basis"):  # when each was made, and its note saying so
        after.pop(moment, None), before.pop(moment, None)
    assert after == before
    assert json.loads(run("retention", "run").stdout)["cases"] == {kind: [] for kind in due}
    missing = run("retention", "hold", "SI-1999-000001", "--reason", "Klage")
    assert missing.returncode == 1
    refused = run("retention", "run", login="a.becker")
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1


def test_the_chains_oldest_records_go_and_it_still_verifies(
    core: Core, staff: dict[str, User]
) -> None:
    """§ 40 BMG: the retrieval log's records are deleted after their period; the chain loses
    its start, says where it now starts, and verifies from there; a dry run deletes none."""
    from app.domain.audit import AuditEntry
    from app.store.models import AuditRecordRow

    clerk = staff["clerk"]
    case = core.desk.open_walk_in(
        user=clerk, service_id="meldebescheinigung_einfach", form=meldebescheinigung_form()
    )
    for _ in range(3):
        core.desk.open_case(user=clerk, case_id=case.id)
    head_seq, _ = core.audit.head()
    old = head_seq - 1  # all but the last two records were made two years ago
    with core.database.writing() as session:
        session.execute(
            update(AuditRecordRow)
            .where(AuditRecordRow.seq <= old)
            .values(at=core.clock.now() - dt.timedelta(days=730))
        )
    # (their hashes now disagree with their content: the deletion must not need them)
    retention = SqlRetention(core.database, default_rules(), ["meldebescheinigung_einfach"])
    assert retention.run(core.clock.now(), actor="it.admin", dry_run=True).audit_records == old
    assert core.audit.pruned() == (0, "0" * 64)
    assert retention.run(core.clock.now(), actor="it.admin").audit_records == old
    pruned_seq, pruned_hash = core.audit.pruned()
    assert pruned_seq == old
    kept = list(core.audit.records())
    assert kept[0].seq == old + 1 and kept[0].prev_hash == pruned_hash
    assert [r.entry.action for r in kept[-2:]] == ["retention.audit_pruned", "retention.run"]
    assert core.audit.verify() == []
    core.audit.append(AuditEntry("a.becker", "case.viewed", case.reference, "", core.clock.now()))
    assert core.audit.verify() == []
    with core.database.writing() as session:  # and a record removed after the start is seen
        session.execute(sa_delete(AuditRecordRow).where(AuditRecordRow.seq == old + 1))
    assert core.audit.verify() != []
