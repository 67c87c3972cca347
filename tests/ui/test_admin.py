"""The admin manages users, roles and offices through the window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.users import Role
from app.wiring import Core
from ui.main_window import MainWindow


def test_admin_adds_a_user_and_renames_an_office(
    qtbot: QtBot, window: MainWindow, gui_core: Core
) -> None:
    assert window.admin_action.isVisible()  # the demo makes the signed-in login an admin
    dialog = window.open_admin_dialog()
    qtbot.keyClicks(dialog.login, "n.neu")
    qtbot.keyClicks(dialog.display_name, "Nina Neu")
    dialog.role.setCurrentIndex(dialog.role.findData("supervisor"))
    qtbot.mouseClick(dialog.save_user_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.message.text()), timeout=10_000)
    assert "n.neu" in dialog.message.text(), dialog.message.text()
    saved = gui_core.users.by_login("n.neu")
    assert saved is not None and saved.role is Role.SUPERVISOR
    created = [r.entry for r in gui_core.audit.records() if r.entry.action == "user.created"]
    assert [(e.subject, e.detail) for e in created if e.subject == "n.neu"] == [
        ("n.neu", "role: supervisor; office: EI; active")  # the first office in the list
    ]

    dialog.office_list.setCurrentIndex(dialog.office_list.findData("WE"))
    dialog.office_name.setText("Bürgerbüro Weidenau (Bismarckplatz)")
    qtbot.mouseClick(dialog.save_office_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "WE" in dialog.message.text(), timeout=10_000)
    assert {o.code: o.name for o in gui_core.users.offices()}[
        "WE"
    ] == "Bürgerbüro Weidenau (Bismarckplatz)"
    renamed = [r.entry for r in gui_core.audit.records() if r.entry.action == "office.renamed"]
    assert renamed[-1].subject == "WE" and renamed[-1].detail.endswith(
        "-> Bürgerbüro Weidenau (Bismarckplatz)"
    )


def test_admin_action_hidden_for_clerks(qtbot: QtBot, gui_core: Core, runner) -> None:  # type: ignore[no-untyped-def]
    clerk = next(u for u in gui_core.users.users() if u.role is Role.CLERK)
    window = MainWindow(core=gui_core, runner=runner, login=clerk.login)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.begin()
    assert not window.admin_action.isVisible()
    qtbot.waitUntil(lambda: runner.pending == 0)
