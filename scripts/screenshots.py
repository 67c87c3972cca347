"""Screenshots of the inbox, a case, the walk-in dialog, the print preview and the document
check, on a fresh demo database (documents sealed with the demo seal, printed into a private
CUPS); and PNG renders of every document template in docs/documents/.

Run under Xvfb: `make screenshots` (xvfb-run). Writes docs/screenshots/*.png."""

from __future__ import annotations

import atexit
import os
import sys
import tempfile
import time
from dataclasses import replace
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

from app.domain.cases import CaseAction, Channel  # noqa: E402
from app.domain.catalogue import default_catalogue  # noqa: E402
from app.domain.documents import DocumentKind  # noqa: E402
from app.domain.inbox import InboxQuery  # noqa: E402
from app.integrations.secrets import PAYMENT_PLATFORM_SECRET, KeyringSecretStore  # noqa: E402
from app.integrations.settings import Settings  # noqa: E402
from app.lanes import Lane  # noqa: E402
from app.store.database import upgrade  # noqa: E402
from app.wiring import (  # noqa: E402
    CLIENT_SECRET,
    MAILBOX_PASSWORD,
    Core,
    build_core,
    build_payments,
    seed_demo,
)
from printing.maker import SealedDocumentMaker  # noqa: E402
from printing.seal_keys import Pkcs12SealKey  # noqa: E402
from printing.wiring import SEAL_KEY_PASSWORD, build_documents, load_trust_list  # noqa: E402
from sandbox.cups import PrivateCups  # noqa: E402
from sandbox.demo_payments import send_paid_applications  # noqa: E402
from sandbox.demo_register import DemoRegister  # noqa: E402
from sandbox.document_samples import sample_content  # noqa: E402
from sandbox.fitconnect.process import SandboxProcess  # noqa: E402
from sandbox.fitconnect.sender import Sender  # noqa: E402
from sandbox.imap import PrivateImap  # noqa: E402
from sandbox.paper_forms import PARKING_APPLICATION, demo_mails, filled_form  # noqa: E402
from sandbox.payment_platform.process import PlatformProcess  # noqa: E402
from sandbox.seal_pki import DEMO_PASSPHRASE_FILE, SIGNER_ID, demo_seal  # noqa: E402
from tests.conftest import MemoryKeyring, decided_walk_in  # noqa: E402
from tests.integrations.conftest import intake_settings  # noqa: E402
from ui.data_entry_dialog import DataEntryDialog  # noqa: E402
from ui.i18n import set_language  # noqa: E402
from ui.main import window_intake  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.print_dialog import PrintDialog  # noqa: E402
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


# SCREENSHOT_SIZE=1280x800 takes the same screens on a smaller display, named "-1280x800"
SIZE = os.environ.get("SCREENSHOT_SIZE", "")
SUFFIX = f"-{SIZE}" if SIZE else ""


def window_size() -> tuple[int, int]:
    """The window on its display (a task bar's height left free)."""
    width, height = (int(n) for n in (SIZE or "1600x1000").split("x"))
    return width, height - 50


def grab(widget: QWidget, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(OUT / f"{name}{SUFFIX}.png"))
    print(f"wrote {OUT / name}{SUFFIX}.png")


def documents_screens(window: MainWindow, core: Core, cups: PrivateCups) -> None:
    """Approve a walk-in case, preview and print its original, then check the printout."""
    user = core.users.by_login("demo")
    assert user is not None
    case_id = decided_walk_in(
        core,
        user,
        service_id="bewohnerparkausweis",
        form={
            "family_name": "Schäfer",
            "given_names": "Jürgen",
            "birth_date": "14.03.1979",
            "kind": "new",
            "street": "Löhrstraße 7",
            "zone": "A",
            "plate": "SI-JS 1979",
            "holder": "self",
            "period_months": "12",
        },
    )
    window.case_page.show_case(case_id)
    wait_for(window.case_page.shown)
    controller = window.documents
    assert controller is not None
    opened: list[PrintDialog] = []
    controller.dialog_opened.connect(opened.append)
    controller.failed.connect(lambda text: print(f"documents: {text}", file=sys.stderr))
    window.case_page.print_original()
    wait_for(controller.dialog_opened, 30000)
    settle(800)
    grab(opened[0], "print-preview")
    before = cups.snapshot()
    opened[0].print_button.click()
    wait_for(controller.printed, 30000)
    wait_for(window.case_page.shown)
    settle(800)
    grab(window, "case-printed")
    printout = cups.wait_for_output(opened[0].document.number, before=before)
    verify_dialog = controller.open_verify()
    verify_dialog.check_file(str(printout))
    deadline = time.monotonic() + 30
    while "ECHT" not in verify_dialog.verdict_label.text() and time.monotonic() < deadline:
        settle(200)
    settle(400)
    grab(verify_dialog, "verify")
    verify_dialog.close()
    # what a seat without a register adapter asks before an extended Meldebescheinigung
    from app.domain.documents import DocumentKind, register_fields
    from app.services.documents import RegisterForm
    from ui.register_dialog import RegisterDialog

    fields = register_fields(
        DocumentKind.MELDEBESCHEINIGUNG_ERWEITERT, {"include_marital_status": "true"}
    )
    register = RegisterDialog(RegisterForm(case_id, fields, None, False), window)
    register.fields["main_address"].setText("Löhrstraße 7, 57072 Siegen")
    register.fields["moved_in"].setText("01.04.2019")
    register.show()
    settle(400)
    grab(register, "register-dialog")
    register.close()


def data_entry_screen(window: MainWindow, core: Core) -> None:
    """The mailed scan of a paper form, claimed, its data being typed beside the scan."""
    scans = core.desk.inbox_page(InboxQuery(channel=Channel.PDF_FORM), offset=0, limit=100)
    scanned = next(row for row in scans if row.needs_data_entry)
    window.inbox.search.setText(scanned.reference)
    window.apply_filters()
    wait_for(window.inbox.loaded)
    window.inbox.table.selectRow(0)
    wait_for(window.case_page.shown)
    window.case_page.act(CaseAction.CLAIM)
    wait_for(window.case_page.shown)
    settle()
    grab(window, "case-scanned-form")
    dialogs: list[QWidget] = []
    window.case_page.dialog_opened.connect(dialogs.append)
    window.case_page.act(CaseAction.ENTER_DATA)
    wait_for(window.case_page.dialog_opened, timeout_ms=30000)
    dialog = dialogs[0]
    assert isinstance(dialog, DataEntryDialog)
    dialog.field("family_name").setText("Kaya")  # type: ignore[union-attr]
    dialog.field("given_names").setText("Mehmet")  # type: ignore[union-attr]
    settle(800)
    grab(dialog, "data-entry-dialog")
    dialog.close()
    window.inbox.search.setText("")


def sample_receipt() -> bytes:
    """A Quittung as the till prints it (fixed figures: the picture does not change)."""
    import datetime as dt

    from app.domain.till import TillEntry, TillMethod
    from printing.receipt import ReceiptIssuer, receipt_pdf

    entry = TillEntry(
        id=1,
        office_id=1,
        counter="Theke-3",
        day=dt.date(2026, 12, 7),
        case_id=1,
        case_reference="SI-2026-001097",
        amount_cents=900,
        method=TillMethod.CASH,
        receipt="SI-Q-2026-000042",
        by="a.becker",
        at=dt.datetime(2026, 12, 7, 10, 12, tzinfo=dt.UTC),
    )
    issuer = ReceiptIssuer("Stadt Siegen", "Bürgerbüro Siegen", "Markt 2, 57072 Siegen")
    return receipt_pdf(entry, issuer=issuer, service="Meldebescheinigung (einfach)")


def render_templates() -> None:
    """Every template, sealed with a throwaway seal, as PNG (pdftoppm) in docs/documents/."""
    import subprocess

    folder = Path(tempfile.mkdtemp(prefix="bb-docs-"))
    target = ROOT / "docs" / "documents"
    target.mkdir(parents=True, exist_ok=True)
    seal_env = demo_seal(folder)
    key = Pkcs12SealKey(
        Path(seal_env["BUERGERBUERO_SEAL_PKCS12_FILE"]),
        (folder / DEMO_PASSPHRASE_FILE).read_text().strip(),
    )
    maker = SealedDocumentMaker(key, signer_id=SIGNER_ID, location="Siegen")
    for kind in DocumentKind:
        pdf = folder / f"{kind.value}.pdf"
        pdf.write_bytes(maker.make(sample_content(kind)).pdf)
        subprocess.run(
            ["pdftoppm", "-r", "80", "-png", "-singlefile", str(pdf), str(target / kind.value)],
            check=True,
        )
        print(f"wrote {target / kind.value}.png")
    receipt = folder / "quittung.pdf"
    receipt.write_bytes(sample_receipt())
    subprocess.run(
        ["pdftoppm", "-r", "90", "-png", "-singlefile", str(receipt), str(target / "quittung")],
        check=True,
    )
    filled = folder / "antrag-bewohnerparkausweis.pdf"
    filled.write_bytes(filled_form(default_catalogue(), "bewohnerparkausweis", PARKING_APPLICATION))
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", "-singlefile", str(filled), str(target / filled.stem)],
        check=True,
    )
    print(f"wrote {target / filled.stem}.png (the application form, filled)")


def main() -> int:
    render_templates()
    data = Path(tempfile.mkdtemp(prefix="bb-shots-"))
    keyring.set_keyring(MemoryKeyring())  # the sandbox's demo secret, for this process only
    portal = SandboxProcess(data / "sandbox").start()
    atexit.register(portal.stop)  # also when a step fails: leave no server behind
    d = portal.description
    sender = Sender(
        portal.base_url, d["destination_id"], d["sender_client_id"], d["sender_client_secret"]
    )
    for service in [s.id for s in default_catalogue().services] * 2:
        sender.submit(service)
    for bad in ("attachment-hash", "tampered", "unknown-service", "data-schema"):
        sender.submit("geburtsurkunde", bad=bad)
    platform = PlatformProcess(data / "payments").start()
    atexit.register(platform.stop)
    send_paid_applications(sender, platform)  # the last five: their fee paid (or not) online
    mailbox = PrivateImap({"antraege": "demo"}).start()
    atexit.register(mailbox.stop)
    for mail in demo_mails(default_catalogue()):
        mailbox.deliver("antraege", mail)
    seal = demo_seal(data / "seal")
    settings = Settings(
        data_dir=str(data),
        login="demo",
        seal_pkcs12_file=seal["BUERGERBUERO_SEAL_PKCS12_FILE"],
        seal_trust_list_file=seal["BUERGERBUERO_SEAL_TRUST_LIST_FILE"],
    )
    core = build_core(settings)
    upgrade(core.database.engine)
    seed_demo(core, count=2500, if_empty=True, login="demo")
    core.settings = replace(
        intake_settings(core, portal),
        seal_pkcs12_file=settings.seal_pkcs12_file,
        seal_trust_list_file=settings.seal_trust_list_file,
        printer_name="Theke-3",
        form_mailbox_host="127.0.0.1",
        form_mailbox_port=mailbox.port,
        form_mailbox_security="none",
        form_mailbox_user="antraege",
    )
    KeyringSecretStore().set(CLIENT_SECRET, d["subscriber_client_secret"])
    KeyringSecretStore().set(MAILBOX_PASSWORD, "demo")
    KeyringSecretStore().set(
        SEAL_KEY_PASSWORD, (data / "seal" / DEMO_PASSPHRASE_FILE).read_text().strip()
    )
    cups = PrivateCups.in_temporary_folder(queue="Theke-3").start()
    atexit.register(cups.stop)
    set_language(os.environ.get("SCREENSHOT_LANGUAGE", "de"))
    application = QApplication.instance() or QApplication(sys.argv)
    runner = TaskRunner()
    core.settings = replace(
        core.settings,
        payment_platform_url=platform.base_url,
        payment_originator_id=platform.originator,
        payment_endpoint_id=platform.endpoint,
        payment_client_id=platform.client_id,
    )
    KeyringSecretStore().set(PAYMENT_PLATFORM_SECRET, platform.client_secret)
    window = MainWindow(
        core=core,
        runner=runner,
        login="demo",
        intake=window_intake(core, runner, holder="shots"),
        documents=build_documents(core, population_register=DemoRegister()),
        trust=lambda: load_trust_list(settings),
        payments=build_payments(core, database=runner.on(Lane.DATABASE)),
    )
    window.show()
    window.begin()
    wait_for(window.ready)
    window.resize(*window_size())  # after the start, which fits the window to its screen
    assert window.intake is not None
    window.intake.stop()
    window.intake.pull()
    pulled: list[object] = []
    window.intake.pulled.connect(pulled.append)
    wait_for(window.intake.pulled)
    window.inbox.channel_filter.setCurrentIndex(window.inbox.channel_filter.findData("online"))
    window.inbox.table.sortByColumn(7, Qt.SortOrder.DescendingOrder)
    settle(800)
    grab(window, "inbox")
    assert window.payment_sync is not None
    window.payment_sync.sync()  # the portal's payments asked on the platform
    wait_for(window.payment_sync.synced)
    window.apply_filters()
    wait_for(window.inbox.loaded)
    window.inbox.table.selectRow(0)  # the newest: booked for the wrong amount
    wait_for(window.case_page.shown)
    settle()
    grab(window, "case-payment")
    quarantine = window.intake.open_quarantine()
    wait_for(quarantine.loaded)
    settle()
    grab(window, "quarantine")
    window.show_page("page.cases")
    window.inbox.table.selectRow(3)
    wait_for(window.case_page.shown)
    settle()
    grab(window, "case")
    # an online case (the pull lists the paper channel's first; the inbox shows online ones)
    online_reference = next(
        reference
        for reference in pulled[0].cases  # type: ignore[attr-defined]
        if window.inbox.model.row_of_reference(reference) is not None
    )
    window.inbox.search.setText(online_reference)
    window.apply_filters()
    wait_for(window.inbox.loaded)
    window.inbox.table.selectRow(0)
    wait_for(window.case_page.shown)
    details = window.case_page.view.details
    assert details is not None and details.attachments
    viewers: list[QWidget] = []
    window.case_page.attachment_shown.connect(viewers.append)
    window.case_page.open_attachment(details.attachments[0].id)
    wait_for(window.case_page.attachment_shown)
    settle(800)
    grab(viewers[0], "attachment-viewer")
    viewers[0].close()
    window.inbox.search.setText("")
    window.inbox.channel_filter.setCurrentIndex(window.inbox.channel_filter.findData("pdf_form"))
    window.apply_filters()
    wait_for(window.inbox.loaded)
    window.inbox.table.selectRow(0)
    wait_for(window.case_page.shown)
    settle()
    grab(window, "case-mailed-form")
    data_entry_screen(window, core)
    form_dialog = window.open_form_dialog()
    form_dialog.service.setCurrentIndex(form_dialog.service.findData("bewohnerparkausweis"))
    settle()
    grab(form_dialog, "application-form-dialog")
    form_dialog.close()
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
    documents_screens(window, core, cups)
    window.close()
    runner.shutdown()
    core.close()
    application.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
