"""Data protection in the window, on the demo data: a supervisor finds a person's cases under
another spelling and saves the access report as PDF and JSON ("Auskunft (Art. 15 DSGVO)…");
an administrator sees the periods and what is due, puts a case on hold, and deletes what is
due only after saying so twice ("Aufbewahrung und Löschung…"); a clerk sees neither. With
SCREENSHOT_DIR set, both dialogs are saved as pictures (make screenshots)."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from app.domain.retention import DataKind
from app.domain.users import Role
from app.store.models import CaseRow
from app.wiring import Core
from tests.support.keys import activate
from tests.ui.conftest import LOGIN
from tests.ui.test_mnemonics import clashes, mnemonic
from ui.i18n import set_language
from ui.main import privacy_desks
from ui.main_window import MainWindow
from ui.tasks import TaskRunner


def _window(qtbot: QtBot, core: Core, runner: TaskRunner, login: str) -> MainWindow:
    window = MainWindow(core=core, runner=runner, login=login, privacy=privacy_desks(core))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.begin()
    return window


@pytest.fixture
def admin_window(qtbot: QtBot, gui_core: Core, runner: TaskRunner) -> Iterator[MainWindow]:
    set_language("de")
    window = _window(qtbot, gui_core, runner, LOGIN)  # the demo's admin
    yield window
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=10_000)


def _folded(name: str) -> str:
    """How a citizen may write their name on the request: umlauts written out."""
    for letter, written in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        name = name.replace(letter, written).replace(letter.upper(), written.capitalize())
    return name


def test_a_supervisor_finds_a_person_and_saves_the_report_by_keyboard(
    qtbot: QtBot, admin_window: MainWindow, gui_core: Core, tmp_path: Path
) -> None:
    with gui_core.database.reading() as session:
        row = session.execute(
            select(CaseRow.reference, CaseRow.family_name, CaseRow.given_names, CaseRow.birth_date)
            .where(CaseRow.birth_date.is_not(None))
            .order_by(CaseRow.id)
            .limit(1)
        ).one()
    assert admin_window.privacy.access_action.isVisible()
    menu = [a.text() for a in admin_window.menus["menu.admin"].actions() if a.isVisible()]
    letters = [mnemonic(text) for text in menu if text]
    assert len(letters) == len(set(letters)) == 3, menu
    admin_window.privacy.access_action.trigger()
    dialog = admin_window.privacy.access_dialog
    assert dialog is not None
    activate(qtbot, dialog)
    assert dialog.family_name.hasFocus() and not dialog.search_button.isEnabled()
    qtbot.keyClicks(dialog.family_name, _folded(row.family_name).upper())
    qtbot.keyClick(dialog.family_name, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.given_names, _folded(row.given_names.split()[0]))
    qtbot.keyClick(dialog.given_names, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.birth_date, row.birth_date.strftime("%d.%m.%Y"))
    qtbot.keyClick(dialog.birth_date, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10_000)
    assert dialog.report is not None
    found = [dialog.cases.item(r, 0).text() for r in range(dialog.cases.rowCount())]
    assert row.reference in found and "gefunden" in dialog.outcome.text()
    assert dialog.cases.hasFocus() and dialog.pdf_button.isEnabled()
    assert clashes(dialog) == {}
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        dialog.grab().save(str(Path(folder) / "access-report-dialog.png"))
    for kind in ("pdf", "json"):
        admin_window.privacy.save_report(dialog, kind, tmp_path / f"auskunft.{kind}")
        qtbot.waitUntil(
            lambda kind=kind: f"auskunft.{kind}" in dialog.outcome.text(), timeout=10_000
        )
    text = " ".join(p.extract_text() for p in PdfReader(tmp_path / "auskunft.pdf").pages)
    assert row.reference in " ".join(text.split())
    saved = json.loads((tmp_path / "auskunft.json").read_text(encoding="utf-8"))
    assert row.reference in [case["reference"] for case in saved["cases"]]
    made = [r.entry for r in gui_core.audit.records() if r.entry.action == "privacy.access_report"]
    assert len(made) == 1 and row.reference in made[0].detail
    assert row.family_name not in made[0].detail + made[0].subject
    qtbot.keyClicks(dialog.birth_date, "9")  # another person now: the report is gone
    assert dialog.report is None and not dialog.pdf_button.isEnabled()
    dialog.reject()


def test_the_administrator_holds_a_case_and_deletes_what_is_due(
    qtbot: QtBot, admin_window: MainWindow, gui_core: Core
) -> None:
    long_ago = gui_core.clock.now() - dt.timedelta(days=800)
    with gui_core.database.writing() as session:
        old = list(session.scalars(select(CaseRow.id).order_by(CaseRow.id).limit(2)))
        session.execute(
            update(CaseRow)
            .where(CaseRow.id.in_(old))
            .values(status="collected", updated_at=long_ago)
        )
    held, deleted = (gui_core.cases.get(case_id) for case_id in old)
    admin_window.privacy.retention_action.trigger()
    dialog = admin_window.privacy.retention_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: bool(dialog.counts), timeout=10_000)
    assert dialog.periods.rowCount() == len(DataKind)
    assert dialog.counts[DataKind.APPLICATION_DATA] == 2 and dialog.run_button.isEnabled()
    assert "Noch nie" in dialog.last_run.text()
    assert clashes(dialog) == {}
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        dialog.grab().save(str(Path(folder) / "retention-dialog.png"))

    activate(qtbot, dialog)
    dialog.reference.setFocus()
    qtbot.keyClicks(dialog.reference, "SI-1999-000001")
    qtbot.keyClick(dialog.release_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "keinen Vorgang" in dialog.message.text(), timeout=10_000)
    dialog.reference.clear()
    qtbot.keyClicks(dialog.reference, held.reference)
    assert not dialog.hold_button.isEnabled()  # a hold needs its reason
    qtbot.keyClicks(dialog.reason, "Klage 3 K 17/26")
    qtbot.keyClick(dialog.hold_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "gesetzt" in dialog.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: dialog.counts[DataKind.APPLICATION_DATA] == 1, timeout=10_000)

    qtbot.keyClick(dialog.run_button, Qt.Key.Key_Space)
    box = dialog.confirm_box
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter keeps everything: Cancel is the default
    qtbot.waitUntil(lambda: dialog.confirm_box is None)
    assert gui_core.cases.get(deleted.id).applicant.family_name == deleted.applicant.family_name
    qtbot.keyClick(dialog.run_button, Qt.Key.Key_Space)
    box = dialog.confirm_box
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "beendet" in dialog.message.text(), timeout=20_000)
    assert gui_core.cases.get(deleted.id).applicant.family_name == ""
    assert gui_core.cases.get(held.id).applicant.family_name == held.applicant.family_name
    assert "Zuletzt gelaufen" in dialog.last_run.text()
    dialog.reject()


@pytest.mark.parametrize("role", [Role.CLERK, Role.SUPERVISOR])
def test_a_clerk_sees_neither_and_a_supervisor_no_retention(
    qtbot: QtBot, gui_core: Core, runner: TaskRunner, role: Role
) -> None:
    user = next(u for u in gui_core.users.users() if u.role is role and u.active)
    window = _window(qtbot, gui_core, runner, user.login)
    assert window.privacy.access_action.isVisible() is (role is Role.SUPERVISOR)
    assert not window.privacy.retention_action.isVisible()
    qtbot.waitUntil(lambda: runner.pending == 0)
