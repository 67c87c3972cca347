"""No two controls a clerk can see at once share an Alt+letter, in German or in English: a
clash makes Alt+letter cycle between them instead of acting (BITV 2.0: 2.1.1 Tastatur)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QGroupBox,
    QLabel,
    QMenuBar,
    QTabBar,
    QToolBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.domain.cases import Applicant, Case, CaseStatus, Channel, PaymentState
from app.domain.identity import IdentityLevel
from app.domain.users import Role, User
from ui.access_report_dialog import AccessReportDialog
from ui.admin_dialog import AdminDialog
from ui.dialogs import (
    AnswerDialog,
    ApproveDialog,
    AskCitizenDialog,
    PaymentDialog,
    ReassignDialog,
    RejectDialog,
)
from ui.i18n import set_language
from ui.identity_dialog import IdentityCheckDialog
from ui.main_window import MainWindow
from ui.retention_dialog import RetentionDialog
from ui.verify_dialog import VerifyDialog

MNEMONIC = re.compile(r"&([^&\s])")


def mnemonic(text: str) -> str | None:
    found = MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def shown_mnemonics(window: QWidget) -> Iterator[tuple[str, str]]:
    """(letter, text) of every control on screen in `window` that answers to Alt+letter."""

    def visible(widget: QWidget) -> bool:
        return widget.isVisibleTo(window) and widget.window() is window

    for button in window.findChildren(QAbstractButton):
        if visible(button) and not isinstance(button.parent(), QToolBar):
            yield from _pair(button.text())
    for label in window.findChildren(QLabel):
        if visible(label) and label.buddy() is not None:
            yield from _pair(label.text())
    for box in window.findChildren(QGroupBox):
        if visible(box):
            yield from _pair(box.title())
    for tabs in window.findChildren(QTabBar):
        if visible(tabs):
            for index in range(tabs.count()):
                yield from _pair(tabs.tabText(index))
    for bar in window.findChildren(QMenuBar):
        for action in bar.actions():
            if action.isVisible():
                yield from _pair(action.text())


def _pair(text: str) -> Iterator[tuple[str, str]]:
    letter = mnemonic(text)
    if letter:
        yield letter, text


def clashes(window: QWidget) -> dict[str, list[str]]:
    pairs = list(shown_mnemonics(window))
    counts = Counter(letter for letter, _text in pairs)
    return {
        letter: sorted(text for other, text in pairs if other == letter)
        for letter, count in counts.items()
        if count > 1
    }


def sample_case() -> Case:
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    return Case(
        id=1,
        reference="SI-2026-000001",
        office_id=1,
        service_id="meldebescheinigung_einfach",
        channel=Channel.COUNTER,
        status=CaseStatus.IN_PROGRESS,
        applicant=Applicant("Müller", "Jörg", dt.date(1985, 3, 14)),
        form_data=(),
        identity_required=IdentityLevel.HIGH,
        identity_verified=IdentityLevel.NONE,
        fee_cents=0,
        payment=PaymentState.NONE_DUE,
        payment_reference="",
        received_at=now,
        due_at=now,
    )


STAFF = [
    User(1, "a.clerk", "A. Clerk", Role.CLERK, 1),
    User(2, "b.clerk", "B. Clerk", Role.CLERK, 1),
]


@pytest.mark.parametrize("language", ["de", "en"])
def test_no_dialog_has_two_controls_with_one_mnemonic(qtbot: QtBot, language: str) -> None:
    set_language(language)
    try:
        dialogs: list[QDialog] = [
            RejectDialog(),
            AskCitizenDialog(),
            ReassignDialog(STAFF),
            IdentityCheckDialog(sample_case()),
            PaymentDialog(),
            AnswerDialog(),
            ApproveDialog(),
            AdminDialog(STAFF, [], None),
            VerifyDialog(),
            AccessReportDialog({}),
            RetentionDialog({}),
        ]
        for dialog in dialogs:
            qtbot.addWidget(dialog)
            dialog.show()
            assert clashes(dialog) == {}, type(dialog).__name__
    finally:
        set_language("de")


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_window_and_its_pages_have_no_clash(
    qtbot: QtBot, window: MainWindow, language: str
) -> None:
    if language == "en":
        window.language_action.trigger()
    try:
        row = next(
            r
            for r in range(window.inbox.model.rowCount())
            if window.inbox.model.row_at(r).status is CaseStatus.RECEIVED
        )
        with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
            window.inbox.table.selectRow(row)
        assert clashes(window) == {}
        dialog = window.open_walk_in_dialog()
        assert dialog is not None
        assert clashes(dialog) == {}
        dialog.reject()
    finally:
        if language == "en":
            window.language_action.trigger()
        set_language("de")


def test_alt_letters_act_on_a_real_display(demo_template: Path, tmp_path: Path) -> None:
    """Qt's offscreen platform does not deliver Alt+letter to buttons; on a real X display
    (Xvfb) Alt+M claims the case and Alt+I opens 'Identität prüfen…'."""
    from tests.support.real_window import on_x
    from tests.ui.conftest import LOGIN

    database = tmp_path / "desk.sqlite3"
    shutil.copy(demo_template, database)
    seen = on_x("tests.support.mnemonic_window", database, LOGIN)
    assert seen == {"status": "in_progress", "dialog": "IdentityCheckDialog"}
