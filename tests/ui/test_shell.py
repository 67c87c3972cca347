"""The shell: pages, menu bar and shortcuts, in-place language switching, faults that are
reported once, attachments that cannot be shown, quitting."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.wiring import Core
from tests.ui.conftest import LOGIN
from ui.attachment_viewer import AttachmentViewer, decode_attachment
from ui.i18n import set_language
from ui.inbox_model import Column
from ui.intake_controller import IntakeParts
from ui.main import window_intake
from ui.main_window import MainWindow
from ui.tasks import TaskRunner


def _find_actions(window: MainWindow) -> list[QAction]:
    find = QKeySequence(QKeySequence.StandardKey.Find)
    return [a for a in window.findChildren(QAction) if a.shortcut() == find]


def test_a_case_that_cannot_be_opened_is_taken_off_once(
    qtbot: QtBot, window: MainWindow, runner: TaskRunner
) -> None:
    """The selected case is gone (another seat, a stale link): the page says so and stops;
    it used to reload it forever."""
    opened: list[int] = []
    window.case_page.shown.connect(opened.append)
    with qtbot.waitSignal(window.action_failed, timeout=5_000) as refused:
        window.case_page.show_case(999_999)
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=5_000)
    assert "999999" in refused.args[0]
    assert window.case_page.case_id is None and window.case_page.view.details is None
    assert window.case_page.view.message.text() == refused.args[0]
    assert opened == [] and runner.pending == 0  # nothing asked for it again


def test_switching_the_language_retranslates_in_place(
    qtbot: QtBot, window: MainWindow, runner: TaskRunner
) -> None:
    status_widgets = len(window.statusBar().findChildren(QLabel))
    toolbars = window.findChildren(type(window.toolbar))
    inbox, view = window.inbox, window.case_page.view
    window.inbox.status_filter.setCurrentIndex(window.inbox.status_filter.findData(""))
    qtbot.waitUntil(lambda: not window.inbox.model.loading and runner.pending == 0)
    window.language_action.trigger()
    qtbot.waitUntil(lambda: not window.inbox.model.loading and runner.pending == 0)
    assert window.language_action.text() == "Deutsch"
    assert window.menus["menu.file"].title() == "&File"
    assert window.pages.tabText(0) == "Case&s"
    assert window.inbox.table.accessibleName() == "Inbox"
    assert window.case_page.view.accessibleName() == "Case"
    assert window.inbox.status_filter.currentData() == ""  # the chosen filter stays
    # the same widgets, no second Ctrl+F (ambiguous shortcuts fire neither) or toolbar
    assert window.inbox is inbox and window.case_page.view is view
    assert len(_find_actions(window)) == 1
    assert window.findChildren(type(window.toolbar)) == toolbars
    assert len(window.statusBar().findChildren(QLabel)) == status_widgets
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.inbox.search.hasFocus()
    set_language("de")


def test_switching_the_language_keeps_the_automatic_pull(
    qtbot: QtBot, gui_core: Core, runner: TaskRunner
) -> None:
    pulls: list[object] = []

    class NoPull:
        def run_once(self, progress: object = None, stop: object = None) -> object:
            pulls.append(1)
            from app.services.intake import IntakeResult

            return IntakeResult()

    intake = IntakeParts(build=NoPull, quarantine=window_intake(gui_core, runner).quarantine)
    window = MainWindow(core=gui_core, runner=runner, login=LOGIN, intake=intake)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.begin()
    controller = window.intake
    assert controller is not None and controller.timer.isActive()
    window.language_action.trigger()
    assert window.intake is controller and controller.timer.isActive()
    assert controller.action.text() == "&Pull"
    with qtbot.waitSignal(controller.pulled, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_F6)
    assert pulls
    controller.stop()
    set_language("de")


def test_the_menu_bar_holds_every_action_and_ctrl_q_quits(qtbot: QtBot, window: MainWindow) -> None:
    in_menus = {a for menu in window.menus.values() for a in menu.actions()}
    for key in ("action.new", "action.refresh", "action.forms", "action.language", "action.quit"):
        assert window.commands[key] in in_menus, key
    assert window.commands["action.quit"].shortcut() == QKeySequence("Ctrl+Q")
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)


def test_a_profile_is_named_in_the_title(qtbot: QtBot, gui_core: Core, runner: TaskRunner) -> None:
    from dataclasses import replace

    from ui.main import window_title

    settings = replace(gui_core.settings, profile="demo")
    assert settings.resolved_data_dir().parts[-2:] == ("profiles", "demo")
    window = MainWindow(
        core=gui_core, runner=runner, login=LOGIN, title=lambda: window_title(settings)
    )
    qtbot.addWidget(window)
    assert "Profil „demo“" in window.windowTitle()
    set_language("en")  # the title bar follows the language too
    try:
        window.retranslate()
        assert "Profil" not in window.windowTitle() and "demo" in window.windowTitle()
    finally:
        set_language("de")


def test_an_attachment_that_cannot_be_read_says_so(qtbot: QtBot) -> None:
    decoded = decode_attachment("antrag.pdf", "application/pdf", b"%PDF-1.7\nnot a pdf at all")
    assert decoded.kind == "broken" and decoded.problem
    viewer = AttachmentViewer(decoded)
    qtbot.addWidget(viewer)
    assert "lässt sich nicht anzeigen" in viewer.message.text()
    image = decode_attachment("foto.jpg", "image/jpeg", b"\xff\xd8\xff broken")
    assert image.kind == "broken"


def test_printer_and_database_errors_follow_the_language() -> None:
    from app.domain.errors import DatabaseUnavailable
    from ui.i18n import error_text
    from ui.printer_output import PrinterUnavailable

    set_language("en")
    try:
        assert "not ready" in error_text(PrinterUnavailable("printer.not_ready", printer="T1"))
        assert "cannot be reached" in error_text(
            DatabaseUnavailable("database.unavailable", detail="x")
        )
    finally:
        set_language("de")
    assert "nicht bereit" in error_text(PrinterUnavailable("printer.not_ready", printer="T1"))


def test_f1_lists_every_command_with_its_keys(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.open_shortcuts()
    qtbot.addWidget(dialog)
    rows = {
        dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text()
        for r in range(dialog.table.rowCount())
    }
    # Qt's German names for the keys, as on a German keyboard
    assert rows["Beenden"] == "Strg+Q" and rows["Suchen"] == "Strg+F"
    assert rows["Antragsformular"] == "Strg+Umschalt+F" and rows["English"] == "Strg+Umschalt+L"
    assert rows["Bereich „Vorgänge“"] == "Strg+1"
    assert rows["Übernehmen"] == "Alt+M" and rows["Genehmigen"] == "Alt+G"  # the case's too
    assert rows["Rückmeldung erfassen"] == "Alt+K"
    assert all(keys for keys in rows.values())
    dialog.close()


def test_qt_own_dialog_texts_follow_the_language(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Abbrechen"
    window.language_action.trigger()
    try:
        english = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(english)
        assert english.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"
    finally:
        window.language_action.trigger()
    assert QApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"


def test_titles_show_no_mnemonic_markers() -> None:
    from ui.i18n import tr_title

    for key in ("quarantine.settle", "quarantine.save_raw", "verify.choose", "forms.save"):
        assert "&" not in tr_title(key) and not tr_title(key).endswith("…")


def test_size_splitter_and_columns_are_remembered_and_fit_the_screen(
    qtbot: QtBot, gui_core: Core, runner: TaskRunner, tmp_path: Path
) -> None:
    state = tmp_path / "window-state.json"
    first = MainWindow(core=gui_core, runner=runner, login=LOGIN, state_file=state)
    qtbot.addWidget(first)
    first.show()
    with qtbot.waitSignal(first.ready, timeout=10_000):
        first.begin()
    available = first.screen().availableGeometry()
    first.resize(min(1100, available.width() - 60), min(700, available.height() - 60))
    size = (first.width(), first.height())  # the window's own minimum may be wider
    first.splitter.setSizes([700, 400])
    first.inbox.table.setColumnWidth(Column.STATUS, 222)  # names and services fill the rest
    first.close()
    assert state.exists()
    again = MainWindow(core=gui_core, runner=runner, login=LOGIN, state_file=state)
    qtbot.addWidget(again)
    again.show()
    with qtbot.waitSignal(again.ready, timeout=10_000):
        again.begin()
    assert (again.width(), again.height()) == size
    assert again.inbox.table.columnWidth(Column.STATUS) == 222
    huge = MainWindow(core=gui_core, runner=runner, login=LOGIN)
    qtbot.addWidget(huge)
    huge.resize(5000, 4000)  # what 150 % fonts asked for on a small screen
    huge.show()
    from ui.window_state import fit_to_screen

    fit_to_screen(huge)
    available = huge.screen().availableGeometry()
    assert huge.frameGeometry().width() <= available.width()
    assert huge.frameGeometry().height() <= available.height()


def test_a_damaged_state_file_gives_the_defaults(tmp_path: Path) -> None:
    from ui.window_state import read_state

    broken = tmp_path / "window-state.json"
    broken.write_text("{not json", "utf-8")
    assert read_state(broken) == {} and read_state(tmp_path / "missing.json") == {}


def test_quarantine_reasons_read_without_technical_names() -> None:
    import datetime as dt

    from app.domain.intake import IntakeRecord
    from ui.quarantine_page import problem_text

    def record(problem: str, detail: str) -> IntakeRecord:
        at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
        return IntakeRecord("s", "c", "quarantined", None, problem, detail, "{}", True, at)

    assert problem_text(record("encryption-issue", "data: InvalidJWEData")) == (
        "Nicht entschlüsselbar: die Antragsdaten"
    )
    assert "21,0 MB" in problem_text(record("attachment-too-large", "22020756 bytes"))
    assert (
        problem_text(record("data-schema-violation", "'family_name' is a required property"))
        == "Antragsdaten ungültig: Pflichtangabe fehlt (family_name)"
    )


def test_at_150_percent_the_window_fits_a_1600x1000_screen(
    demo_template: Path, tmp_path: Path
) -> None:
    """A real X screen (Xvfb) and Qt's scale factor 1.5, as a seat with large fonts has it:
    the window opens inside the screen (it opened at 2250x1350 before)."""
    import shutil

    from tests.support.real_window import on_x

    database = tmp_path / "desk.sqlite3"
    shutil.copy(demo_template, database)
    seen = on_x("tests.support.scaled_window", database, LOGIN, QT_SCALE_FACTOR="1.5")
    x, y, width, height = seen["frame"]  # type: ignore[misc]
    sx, sy, screen_width, screen_height = seen["screen"]  # type: ignore[misc]
    assert seen["scale"] == 1.5
    assert sx <= x and sy <= y
    assert x + width <= sx + screen_width and y + height <= sy + screen_height
