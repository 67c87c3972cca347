"""Screenshots of the inbox, a case and the walk-in dialog, on a fresh demo database.

Run under Xvfb: `make screenshots` (xvfb-run). Writes docs/screenshots/*.png."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import keyring  # noqa: E402
from PySide6.QtCore import (  # noqa: E402
    QEventLoop,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app.cli import CLIENT_SECRET, build_core, build_intake, seed_demo  # noqa: E402
from app.domain.catalogue import default_catalogue  # noqa: E402
from app.integrations.secrets import KeyringSecretStore  # noqa: E402
from app.integrations.settings import Settings  # noqa: E402
from app.store.database import upgrade  # noqa: E402
from sandbox.fitconnect.process import SandboxProcess  # noqa: E402
from sandbox.fitconnect.sender import Sender  # noqa: E402
from tests.conftest import MemoryKeyring  # noqa: E402
from tests.integrations.test_intake import intake_settings  # noqa: E402
from ui.i18n import set_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.tasks import TaskRunner  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def wait_for(signal: object, timeout_ms: int = 15000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def settle(ms: int = 400) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def grab(widget: QWidget, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(OUT / f"{name}.png"))
    print(f"wrote {OUT / name}.png")


def main() -> int:
    data = Path(tempfile.mkdtemp(prefix="bb-shots-"))
    keyring.set_keyring(MemoryKeyring())  # the sandbox's demo secret, for this process only
    portal = SandboxProcess(data / "sandbox").start()
    d = portal.description
    sender = Sender(
        portal.base_url, d["destination_id"], d["sender_client_id"], d["sender_client_secret"]
    )
    for service in [s.id for s in default_catalogue().services] * 2:
        sender.submit(service)
    for bad in ("attachment-hash", "tampered", "unknown-service", "data-schema"):
        sender.submit("geburtsurkunde", bad=bad)
    settings = Settings(data_dir=str(data), login="demo")
    core = build_core(settings)
    upgrade(core.database.engine)
    seed_demo(core, count=2500, if_empty=True, login="demo")
    core.settings = intake_settings(core, portal)
    KeyringSecretStore().set(CLIENT_SECRET, d["subscriber_client_secret"])
    set_language(os.environ.get("SCREENSHOT_LANGUAGE", "de"))
    application = QApplication.instance() or QApplication(sys.argv)
    runner = TaskRunner()
    window = MainWindow(
        core=core, runner=runner, login="demo", intake=lambda: build_intake(core, holder="shots")
    )
    window.resize(1600, 950)
    window.show()
    window.begin()
    wait_for(window.ready)
    assert window.intake is not None
    window.intake.stop()
    window.intake.pull()
    pulled: list[object] = []
    window.intake.pulled.connect(pulled.append)
    wait_for(window.intake.pulled)
    window.channel_filter.setCurrentIndex(window.channel_filter.findData("online"))
    window.table.sortByColumn(7, Qt.SortOrder.DescendingOrder)
    settle(800)
    grab(window, "inbox")
    quarantine = window.intake.open_quarantine()
    wait_for(quarantine.loaded)
    settle()
    grab(quarantine, "quarantine")
    quarantine.close()
    window.table.selectRow(3)
    wait_for(window.case_shown)
    settle()
    grab(window, "case")
    online_reference = pulled[0].cases[0]  # type: ignore[attr-defined]
    window.search.setText(online_reference)
    window.apply_filters()
    settle(600)
    window.table.selectRow(0)
    wait_for(window.case_shown)
    details = window.case_view.details
    assert details is not None and details.attachments
    viewers: list[QWidget] = []
    window.attachment_shown.connect(viewers.append)
    window.open_attachment(details.attachments[0].id)
    wait_for(window.attachment_shown)
    settle(800)
    grab(viewers[0], "attachment-viewer")
    viewers[0].close()
    dialog = window.open_walk_in_dialog()
    assert dialog is not None
    dialog.service.setCurrentIndex(dialog.service.findData("bewohnerparkausweis"))
    dialog.field("family_name").setText("Schäfer")  # type: ignore[union-attr]
    dialog.field("given_names").setText("Jürgen")  # type: ignore[union-attr]
    dialog.field("birth_date").setText("31.02.1980")  # type: ignore[union-attr]
    dialog.field("plate").setText("SI-XY 0815")  # type: ignore[union-attr]
    settle()
    grab(dialog, "walk-in-dialog")
    dialog.reject()
    window.close()
    runner.shutdown()
    core.close()
    application.quit()
    portal.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
