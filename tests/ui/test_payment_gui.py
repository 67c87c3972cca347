"""The window asks the payment platform by itself: a portal payment booked meanwhile settles
its case's fee without a click; the platform down is said in the status bar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.cases import PaymentState
from app.domain.payments import Booking, PaymentSource, PlatformPayment, PlatformStatus
from app.domain.payments import payment_request as make_request
from app.integrations.payment_platform import XBezahldiensteClient
from app.integrations.secrets import PAYMENT_PLATFORM_SECRET, KeyringSecretStore
from app.lanes import Lane
from app.store.outbox import SqlOutbox
from app.store.payments import SqlPaymentRepository
from app.wiring import Core, build_payments
from sandbox.payment_platform.process import PlatformProcess
from sandbox.pgcluster import free_port
from tests.conftest import meldebescheinigung_form
from tests.ui.conftest import LOGIN
from ui.main_window import MainWindow
from ui.tasks import TaskRunner


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[PlatformProcess]:
    with PlatformProcess(tmp_path / "platform") as process:
        yield process


def on_platform(core: Core, platform: PlatformProcess, **settings: object) -> None:
    core.settings = replace(
        core.settings,
        payment_platform_url=platform.base_url,
        payment_originator_id=platform.originator,
        payment_endpoint_id=platform.endpoint,
        payment_client_id=platform.client_id,
        **settings,  # type: ignore[arg-type]
    )
    KeyringSecretStore().set(PAYMENT_PLATFORM_SECRET, platform.client_secret)


def payment_window(qtbot: QtBot, core: Core, runner: TaskRunner) -> MainWindow:
    """The window with the payment desk, signed in and loaded."""
    window = MainWindow(
        core=core,
        runner=runner,
        login=LOGIN,
        payments=build_payments(core, database=runner.on(Lane.DATABASE)),
    )
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.begin()
    return window


def test_the_window_settles_a_booked_fee_and_says_when_the_platform_is_down(
    qtbot: QtBot, gui_core: Core, runner: TaskRunner, platform: PlatformProcess
) -> None:
    on_platform(gui_core, platform)
    clerk = gui_core.users.by_login(LOGIN)
    assert clerk is not None
    cases = [
        gui_core.desk.open_walk_in(
            user=clerk, service_id="meldebescheinigung_einfach", form=meldebescheinigung_form()
        )
        for _ in range(2)
    ]
    client = XBezahldiensteClient(
        platform.base_url,
        originator=platform.originator,
        endpoint=platform.endpoint,
        client_id=platform.client_id,
        secret=platform.client_secret,
    )
    repository = SqlPaymentRepository(gui_core.database)
    now = gui_core.clock.now()
    for index, case in enumerate(cases):
        made = client.create(
            make_request(
                request_id=f"gui-{index}",
                reference=case.reference,
                service="Meldebescheinigung",
                fee_cents=case.fee_cents,
                booking=Booking("431100", "1220"),
                redirect_url="",
                at=dt.datetime.now(dt.UTC),
            )
        )
        repository.add(
            PlatformPayment(
                case_id=case.id,
                source=PaymentSource.LINK,
                request_id=f"gui-{index}",
                status=PlatformStatus.INITIAL,
                amount_cents=case.fee_cents,
                transaction_id=made.transaction_id,
                status_url=made.status_url,
                next_check_at=now,
            ),
            at=now,
        )
        if index == 0:
            platform.settle(made.transaction_id, "BOOKED")
    window = payment_window(qtbot, gui_core, runner)
    assert window.payment_sync is not None
    qtbot.waitUntil(
        lambda: gui_core.cases.get(cases[0].id).payment is PaymentState.PAID, timeout=20_000
    )
    assert gui_core.cases.get(cases[1].id).payment is PaymentState.OPEN  # not paid yet
    qtbot.waitUntil(lambda: not window.payment_sync.running, timeout=20_000)  # the first round
    platform.fault("offline")
    gui_core.clock.advance(minutes=2)  # type: ignore[attr-defined]
    with qtbot.waitSignal(window.payment_sync.synced, timeout=20_000):
        window.payment_sync.sync()
    assert "Bezahlplattform antwortet nicht" in window.statusBar().currentMessage()
    window.close()
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=10_000)


def test_the_link_waits_in_the_outbox_while_the_relay_is_down_and_the_clerk_is_told(
    qtbot: QtBot, gui_core: Core, runner: TaskRunner, platform: PlatformProcess
) -> None:
    """Ctrl+Shift+Z on a case whose fee is open: the platform makes the link; the mail relay
    does not answer, so the mail waits in the outbox, and the status bar says so."""
    on_platform(gui_core, platform, smtp_host="127.0.0.1", smtp_port=free_port())  # no relay
    clerk = gui_core.users.by_login(LOGIN)
    assert clerk is not None
    case = gui_core.desk.open_walk_in(
        user=clerk,
        service_id="meldebescheinigung_einfach",
        form=meldebescheinigung_form(email="anna@example.org"),
        claim=True,
    )
    window = payment_window(qtbot, gui_core, runner)
    window.show_page("page.cases")
    with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
        window.case_page.show_case(case.id)
    window.activateWindow()
    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(
        lambda: "vorgemerkt per E-Mail" in window.statusBar().currentMessage(), timeout=20_000
    )
    (queued,) = SqlOutbox(gui_core.database).for_case(case.id)
    assert queued.message.subject and queued.attempts == 1
    window.close()
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=10_000)
