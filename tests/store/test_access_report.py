"""A person's access report (DSGVO Art. 15) on SQLite and PostgreSQL: every case of theirs is
found across services and channels whatever the spelling (umlauts written out, capitals, a
double name by one part, a scan whose birth date is not entered yet), nobody else's is, and
each case carries its identity check, notes, documents and who read it. The making is audited
without the person's name; the PDF and JSON come from the command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import update

from app.domain.access_report import Person, is_theirs
from app.domain.audit import verify_chain
from app.domain.users import User
from app.services.access_report import report_json
from app.store.models import CaseRow
from app.wiring import Core
from app.wiring.privacy import build_access_desk
from tests.conftest import meldebescheinigung_form

JOERG = Person("Müller-Lüdenscheidt", "Jörg Äneas", __import__("datetime").date(1980, 2, 29))


def test_names_are_matched_folded_and_by_each_part_of_a_double_name() -> None:
    born = JOERG.birth_date
    assert is_theirs(JOERG, "MUELLER-LUEDENSCHEIDT", "Joerg", born)
    assert is_theirs(JOERG, "Lüdenscheidt", "Jörg", born)
    assert is_theirs(JOERG, "Müller Lüdenscheidt", "Äneas", None)  # no birth date entered yet
    assert not is_theirs(JOERG, "Müller-Lüdenscheidt", "Jörg", born.replace(day=28))
    assert not is_theirs(JOERG, "Müller", "Anna", born)  # the same birthday, someone else
    ayse = Person("Yılmaz", "Ayşe", born)
    assert is_theirs(ayse, "Yilmaz", "Ayse", born)


def _walk_in(core: Core, clerk: User, family: str, given: str, born: str, service: str) -> int:
    form = meldebescheinigung_form(family_name=family, given_names=given, birth_date=born)
    if service != "meldebescheinigung_einfach":
        form = {**form, "delivery": "paper"}
    case = core.desk.open_walk_in(user=clerk, service_id=service, form=form)
    return case.id


def test_every_case_of_the_person_and_no_one_elses(core: Core, staff: dict[str, User]) -> None:
    clerk, supervisor = staff["clerk"], staff["supervisor"]
    theirs = [
        _walk_in(
            core,
            clerk,
            "Müller-Lüdenscheidt",
            "Jörg Äneas",
            "29.02.1980",
            "meldebescheinigung_einfach",
        ),
        _walk_in(
            core,
            clerk,
            "Mueller-Luedenscheidt",
            "Joerg",
            "29.02.1980",
            "meldebescheinigung_einfach",
        ),
        _walk_in(core, clerk, "LÜDENSCHEIDT", "JÖRG", "29.02.1980", "meldebescheinigung_einfach"),
        _walk_in(
            core, clerk, "Müller-Lüdenscheidt", "Jörg", "29.02.1980", "meldebescheinigung_einfach"
        ),
    ]
    others = [
        _walk_in(core, clerk, "Müller", "Anna", "29.02.1980", "meldebescheinigung_einfach"),
        _walk_in(
            core, clerk, "Müller-Lüdenscheidt", "Jörg", "28.02.1980", "meldebescheinigung_einfach"
        ),
    ]
    with core.database.writing() as session:  # a scan whose birth date is not entered yet
        session.execute(update(CaseRow).where(CaseRow.id == theirs[3]).values(birth_date=None))
    core.desk.claim(user=clerk, case_id=theirs[0])
    from app.domain.identity import IdentityLevel

    core.desk.verify_identity(
        user=clerk,
        case_id=theirs[0],
        level=IdentityLevel.HIGH,
        method="counter_visual",
        note="Reisepass",
    )
    core.desk.add_note(user=clerk, case_id=theirs[0], text="Rückruf erbeten")
    core.desk.open_case(user=staff["clerk2"], case_id=theirs[1])

    report = build_access_desk(core).report(user=supervisor, person=JOERG)

    found = {case.reference: case for case in report.cases}
    references = {core.cases.get(case_id).reference: case_id for case_id in theirs + others}
    assert set(found) == {ref for ref, case_id in references.items() if case_id in theirs}
    first = found[core.cases.get(theirs[0]).reference]
    assert first.identity_checks and "Reisepass" in first.identity_checks[0]["check"]
    assert [note["text"] for note in first.notes] == ["Rückruf erbeten"]
    second = found[core.cases.get(theirs[1]).reference]
    assert [(r.actor, r.action) for r in second.retrievals] == [("b.schulz", "case.viewed")]
    assert found[core.cases.get(theirs[3]).reference].birth_date_unknown

    (made,) = [r.entry for r in core.audit.records() if r.entry.action == "privacy.access_report"]
    assert made.actor == supervisor.login and made.subject.startswith("auskunft-")
    assert "Lüdenscheidt" not in made.detail and "1980" not in made.detail
    assert verify_chain(core.audit.records()) == []
    data = report_json(report)
    assert data["person"]["birth_date"] == "1980-02-29" and len(data["cases"]) == 4


def test_a_clerk_may_not_make_one(core: Core, staff: dict[str, User]) -> None:
    import pytest

    from app.domain.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        build_access_desk(core).report(user=staff["clerk"], person=JOERG)


def test_the_command_writes_the_pdf_and_the_json(
    core: Core, staff: dict[str, User], db_url: str, tmp_path: Path
) -> None:
    if not db_url.startswith("sqlite"):
        return  # the command's engine-agnostic; the store above runs on both
    case_id = _walk_in(
        core,
        staff["clerk"],
        "Mueller-Luedenscheidt",
        "Joerg",
        "29.02.1980",
        "meldebescheinigung_einfach",
    )
    reference = core.cases.get(case_id).reference
    with core.database.writing() as session:  # a service the catalogue no longer offers
        session.execute(update(CaseRow).where(CaseRow.id == case_id).values(service_id="altdienst"))
    tool = Path(sys.executable).with_name("buergerbuero")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("BUERGERBUERO_")},
        "BUERGERBUERO_DATABASE_URL": db_url,
        "BUERGERBUERO_LOGIN": staff["supervisor"].login,
        "BUERGERBUERO_DATA_DIR": str(tmp_path / "seat"),
    }
    person = ["--family-name", "Müller-Lüdenscheidt", "--given-names", "Jörg Äneas"]
    for form in ("pdf", "json"):
        out = tmp_path / f"auskunft.{form}"
        done = subprocess.run(
            [
                str(tool),
                "access-report",
                *person,
                "--birth-date",
                "1980-02-29",
                "--format",
                form,
                "--out",
                str(out),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["cases"] == [reference]
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "auskunft.pdf").pages)
    assert "Auskunft nach Art. 15 DSGVO" in text and reference in text
    assert (
        json.loads((tmp_path / "auskunft.json").read_text())["cases"][0]["reference"] == reference
    )
    bad = subprocess.run(
        [
            str(tool),
            "access-report",
            *person,
            "--birth-date",
            "29.02.1980",
            "--out",
            str(tmp_path / "x.json"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


def test_the_retrieval_log_lists_what_one_login_opened(core: Core, staff: dict[str, User]) -> None:
    from app.services.access_report import retrieval_log
    from app.store.access_report import SqlRetrievalLog

    case_id = _walk_in(
        core, staff["clerk"], "Weiß", "Jürgen", "01.01.1970", "meldebescheinigung_einfach"
    )
    core.desk.open_case(user=staff["clerk2"], case_id=case_id)
    core.desk.open_case(user=staff["clerk"], case_id=case_id)
    day = core.clock.now().date()

    def log_of(login: str, user: User) -> list[dict[str, str]]:
        return retrieval_log(
            log=SqlRetrievalLog(core.database),
            audit=core.audit,
            clock=core.clock,
            user=user,
            login=login,
            first=day,
            last=day,
        )

    (entry,) = log_of("b.schulz", staff["admin"])
    assert (entry["action"], entry["case"]) == ("case.viewed", core.cases.get(case_id).reference)
    assert log_of("b.schulz", staff["admin"]) == [entry]  # reading it is audited, not counted
    read = [r.entry for r in core.audit.records() if r.entry.action == "privacy.retrieval_log"]
    assert [(r.actor, r.subject) for r in read] == [("it.admin", "b.schulz")] * 2
    import pytest

    from app.domain.errors import PermissionDenied

    with pytest.raises(PermissionDenied):  # a supervisor does not watch a clerk's reading
        log_of("b.schulz", staff["supervisor"])
