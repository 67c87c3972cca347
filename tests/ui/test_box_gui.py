"""The pickup box page in the real window, against the emulated box over HTTP: a clerk scans an
original into the loading dialog (typing and Enter, as a handheld scanner does), the door opens,
shuts on the item, the row turns "belegt" and the citizen's mail arrives; past the deadline the
item is on the "Zurücknehmen" list. With SCREENSHOT_DIR set, the box view, the loading dialog,
the returns list and the citizen's mail are saved there."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import cast

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.domain.users import User
from app.lanes import Lane
from app.wiring import Core, build_pickup
from sandbox.pickup_box.process import BoxProcess
from sandbox.smtp_sink import SmtpSink
from tests.conftest import FixedClock, decided_walk_in, meldebescheinigung_form
from tests.ui.conftest import LOGIN
from ui.i18n import set_language
from ui.main_window import MainWindow
from ui.tasks import TaskRunner

TOKEN = "gui-box-token"


def shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        widget.grab().save(str(Path(folder) / f"box-{name}.png"))


@pytest.fixture
def box(tmp_path: Path) -> Iterator[BoxProcess]:
    with BoxProcess(tmp_path / "box", boxes={"SI": 80}, token=TOKEN) as process:
        yield process


@pytest.fixture
def box_window(
    qtbot: QtBot,
    gui_core: Core,
    runner: TaskRunner,
    box: BoxProcess,
    sink: SmtpSink,
    clock: FixedClock,
    request: pytest.FixtureRequest,
) -> Iterator[MainWindow]:
    """The window with the box page; `indirect` True gives it box_four_eyes=1."""
    clock.current = dt.datetime.now(dt.UTC)  # the box stamps its events with the real time
    set_language("de")
    gui_core.secrets().set("pickup-box-token-si", TOKEN)
    settings = dataclasses.replace(
        gui_core.settings,
        pickup_boxes=f"SI={box.url('SI')}",
        box_addresses="SI=Markt 2, 57072 Siegen",
        smtp_host="127.0.0.1",
        smtp_port=sink.port,
        box_four_eyes=int(getattr(request, "param", False)),
    )
    core = dataclasses.replace(gui_core, settings=settings)
    pickup = build_pickup(core, database=runner.on(Lane.DATABASE))
    window = MainWindow(core=core, runner=runner, login=LOGIN, pickup=pickup, box_offices=["SI"])
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.begin()
    yield window
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=20_000)


def printed(core: Core, given: str, **form: str) -> str:
    clerk = core.users.by_login(LOGIN)
    assert isinstance(clerk, User)
    case_id = decided_walk_in(
        core,
        clerk,
        form=meldebescheinigung_form(
            given_names=given, email=f"{given.lower()}@example.org", **form
        ),
    )
    case = core.cases.get(case_id)
    done, event = case.mark_printed(clerk, core.clock.now(), "Theke-1")
    core.cases.save(done, event, expected_version=case.version)
    return case.reference


def load_by_scanner(
    qtbot: QtBot, window: MainWindow, reference: str, *, outcome: str = "ist offen"
) -> str:
    page = window.box_page
    assert page is not None
    dialog = page.open_load_dialog()
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    dialog.scanned.setFocus()
    dialog.scanned.insert(reference)  # what the scanner types
    qtbot.keyClick(dialog.scanned, Qt.Key.Key_Return)
    try:
        qtbot.waitUntil(lambda: outcome in dialog.outcome.text(), timeout=15_000)
    except Exception:
        raise AssertionError(dialog.outcome.text()) from None
    return dialog.outcome.text().split("Fach ")[1].split()[0]


def test_load_by_scanner_then_the_row_the_mail_and_the_returns_list(
    qtbot: QtBot, box_window: MainWindow, box: BoxProcess, sink: SmtpSink, clock: FixedClock
) -> None:
    page = box_window.box_page
    assert page is not None
    box_window.show_page("page.box")
    qtbot.waitUntil(lambda: page.model.rowCount() == 80, timeout=15_000)
    core = box_window.core
    references = [printed(core, name) for name in ("Anna", "Ben", "Clara", "Deniz")]

    compartment = load_by_scanner(qtbot, box_window, references[0])
    assert page.dialog is not None
    dialog = page.dialog
    assert "Anna" in dialog.citizen.text() and references[0] in dialog.citizen.text()
    box.physical("SI").close(compartment)  # the dialog follows its loading to the code sent
    qtbot.waitUntil(lambda: "Abholcode ist gesendet" in dialog.outcome.text(), timeout=15_000)
    assert len(sink.messages) == 1
    shot(dialog, "loading-dialog")
    dialog.close()
    for reference in references[1:]:
        other = load_by_scanner(qtbot, box_window, reference)
        assert page.dialog is not None
        page.dialog.close()
        box.physical("SI").close(other)
    page.sync()
    qtbot.waitUntil(lambda: page.model.statuses.count("loaded") == 4, timeout=15_000)
    assert len(sink.messages) == 4
    row = next(i for i, v in enumerate(page.model.rows) if v.compartment.id == compartment)
    assert "belegt" in page.model.text(row, 1) and page.model.text(row, 2) == references[0]

    page.search.setText(references[0])  # the search narrows to that item
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 1, timeout=5_000)
    page.search.clear()
    box_window.resize(1400, 820)
    page.table.selectRow(row)
    shot(box_window, "view")

    clock.advance(days=9)  # past every deadline
    page.load()
    qtbot.waitUntil(lambda: page.returns.rowCount() == 4, timeout=15_000)
    assert page.model.statuses.count("overdue") == 4
    page.tabs.setCurrentIndex(1)
    shot(box_window, "returns")

    mail = cast(
        EmailMessage, message_from_bytes(sink.messages[0].as_bytes(), policy=policy.default)
    )
    body = mail.get_body(("plain",))
    assert body is not None
    (qr,) = [part.get_content() for part in mail.iter_attachments()]
    rendered = QWidget()
    layout = QHBoxLayout(rendered)
    text = QLabel(f"An: {mail['To']}\nBetreff: {mail['Subject']}\n\n{body.get_content()}")  # type: ignore[attr-defined]
    text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    picture = QLabel()
    pixmap = QPixmap()
    pixmap.loadFromData(qr)
    picture.setPixmap(pixmap)
    layout.addWidget(text, alignment=Qt.AlignmentFlag.AlignTop)
    layout.addWidget(picture, alignment=Qt.AlignmentFlag.AlignTop)
    rendered.setStyleSheet("background: white; font-family: 'DejaVu Sans Mono'; font-size: 12px;")
    rendered.resize(1000, 640)
    qtbot.addWidget(rendered)
    rendered.show()
    shot(rendered, "mail")
    assert not pixmap.isNull()


def test_the_originals_the_citizens_sent_to_the_box_load_from_their_list(
    qtbot: QtBot, box_window: MainWindow, box: BoxProcess
) -> None:
    page = box_window.box_page
    assert page is not None
    core = box_window.core
    clerk = core.users.by_login(LOGIN)
    assert clerk is not None
    siegen = next(o.id for o in core.users.offices() if o.code == "SI")
    core.users.save_user(
        actor="setup",
        at=core.clock.now(),  # a clerk of the office whose box this is
        login=LOGIN,
        display_name=clerk.display_name,
        role=clerk.role,
        office_id=siegen,
        active=True,
    )
    wanted = [printed(core, name, box_pickup="true") for name in ("Emil", "Frida")]
    printed(core, "Greta")  # did not ask for the box
    box_window.show_page("page.box")
    page.load()
    qtbot.waitUntil(lambda: page.to_load.rowCount() == 2, timeout=15_000)
    assert {page.to_load.item(r, 0).text() for r in range(2)} == set(wanted)
    page.tabs.setCurrentIndex(2)
    page.to_load.selectRow(0)
    box_window.resize(1400, 820)
    shot(box_window, "to-load")
    first = page.waiting[0].reference
    dialog = page.open_load_dialog()
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    assert dialog.scanned.text() == first  # the row is what a scan would have typed
    qtbot.keyClick(dialog.scanned, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "ist offen" in dialog.outcome.text(), timeout=15_000)
    dialog.close()
    page.load()
    qtbot.waitUntil(lambda: page.to_load.rowCount() == 1, timeout=15_000)
    assert page.to_load.item(0, 0).text() != first


@pytest.mark.parametrize("box_window", [True], indirect=True, ids=["four-eyes"])
def test_four_eyes_a_second_clerk_confirms_on_their_own_box_page(
    qtbot: QtBot, box_window: MainWindow, box: BoxProcess
) -> None:
    """The loader's scan holds a compartment with its door shut; on another seat a second
    clerk, signed in as themselves, sees it under "Zu bestätigen" and confirms; the loader's
    dialog, still open at the box, then says the door is open. (One window plays both seats:
    the signed-in user is what the seat's login would be.)"""
    page = box_window.box_page
    assert page is not None
    box_window.show_page("page.box")
    qtbot.waitUntil(lambda: page.model.rowCount() == 80, timeout=15_000)
    core = box_window.core
    reference = printed(core, "Emil")
    compartment = load_by_scanner(qtbot, box_window, reference, outcome="wartet auf die Bestät")
    dialog = page.dialog
    assert dialog is not None and dialog.four_eyes.isVisible()
    assert page.to_confirm.rowCount() == 0  # nobody confirms their own loading
    loader = box_window.user
    assert loader is not None
    second = core.users.save_user(
        actor="setup",
        at=core.clock.now(),
        login="b.zweite",
        display_name="B. Zweite",
        role=loader.role,
        office_id=loader.office_id,
        active=True,
    )
    box_window.user = second  # the second seat
    page.load()
    qtbot.waitUntil(lambda: page.to_confirm.rowCount() == 1, timeout=15_000)
    assert page.to_confirm.item(0, 0).text() == reference
    assert page.to_confirm.item(0, 2).text() == loader.login
    page.tabs.setCurrentIndex(3)
    page.to_confirm.selectRow(0)
    shot(page, "four-eyes")
    page.confirm()
    qtbot.waitUntil(lambda: "Bestätigt" in page.message.text(), timeout=15_000)
    qtbot.waitUntil(lambda: "ist offen" in dialog.outcome.text(), timeout=15_000)
    # the page's refresh (after the confirmation, and every few seconds) updates its counts,
    # never the clerk's outcome: before, the summary overwrote "Bestätigt" at once
    page.load()
    qtbot.waitUntil(lambda: page.runner.pending == 0, timeout=15_000)
    assert "Bestätigt" in page.message.text() and "Fächern frei" in page.summary.text()
    loading = next(v.loading for v in page.desk.view("SI") if v.compartment.id == compartment)
    assert loading is not None and loading.confirmed_by == "b.zweite"
    dialog.close()


@pytest.mark.parametrize("box_window", [True], indirect=True, ids=["four-eyes"])
@pytest.mark.parametrize("language", ["de", "en"])
def test_no_alt_key_clashes_on_the_box_page(
    qtbot: QtBot, box_window: MainWindow, language: str
) -> None:
    """The box page with every button, tab and the menu bar (four eyes on: the most); and the
    case page beside the box's page tab (Alt+B took "Übernehmen" and the "Ausgabebox" tab)."""
    from tests.ui.test_mnemonics import clashes

    page = box_window.box_page
    assert page is not None
    box_window.show_page("page.box")
    set_language(language)
    box_window.retranslate()
    try:
        qtbot.waitUntil(lambda: page.model.rowCount() == 80, timeout=15_000)
        assert clashes(box_window) == {}
        core = box_window.core
        reference = printed(core, "Fritz")
        case_id = _case_id(core, reference)
        box_window.show_page("page.cases")
        with qtbot.waitSignal(box_window.case_page.shown, timeout=10_000):
            box_window.case_page.show_case(case_id)
        assert clashes(box_window) == {}
    finally:
        set_language("de")
        box_window.retranslate()


def _case_id(core: Core, reference: str) -> int:
    from app.domain.inbox import InboxQuery

    (row,) = core.cases.page(InboxQuery(search=reference), offset=0, limit=1)
    return row.id
