"""The composition root of the desktop application and the `buergerbuero` entry point:
`gui` (the default) starts Qt here; every other command is app.cli's (or its delegates').

This is the only place the window's parts are wired: the core from app.wiring, the pull with
its database calls bound to the database lane, the quarantine, the pickup desk, the documents,
the reports, the trust list."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from app import __version__, cli
from app.arguments import CommandParser
from app.domain.errors import Explained
from app.integrations.settings import (
    Settings,
    SettingsError,
    load_settings,
)
from app.lanes import enforce_lanes

# what only the window needs is imported when it starts: a headless command (`card check`)
# starts in the time its own work takes, without the database layer, Babel or Qt
if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication

    from app.domain.access_report import AccessReport
    from app.services.pull import Pull
    from app.services.report_tables import Table
    from app.services.reporting import Report
    from app.wiring import Core
    from ui.intake_controller import IntakeParts
    from ui.main_window import MainWindow
    from ui.privacy_commands import PrivacyDesks
    from ui.tasks import TaskRunner


def window_intake(
    core: Core,
    runner: TaskRunner,
    *,
    holder: str | None = None,
    build: Callable[..., Pull] | None = None,
) -> IntakeParts:
    """The pull for the window: built on the network lane when it first runs, each of its
    database calls on the database lane; and the quarantine's use cases."""
    from app.lanes import Lane
    from app.services.quarantine import QuarantineDesk
    from app.wiring import build_pull, seat_holder
    from ui.intake_controller import IntakeParts

    seat = holder or seat_holder()
    builder = build or build_pull
    return IntakeParts(
        build=lambda: builder(core, holder=seat, database=runner.on(Lane.DATABASE)),
        quarantine=QuarantineDesk(store=core.intake_store(), audit=core.audit, clock=core.clock),
    )


def window_title(settings: Settings) -> str:
    from ui.i18n import tr

    if settings.profile:
        return tr("app.title_profile", profile=settings.profile)
    return tr("app.title")


def build_window(settings: Settings, core: Core, runner: TaskRunner) -> MainWindow:
    """The window with everything this seat is configured for (the benchmark starts this)."""
    from app.lanes import Lane
    from ui.operations import Operation

    # the database driver's import and the first connection start on the database lane while
    # the window's modules load and its widgets are made; sign-in follows on the same lane
    (
        Operation.on(runner, Lane.DATABASE, lambda: core.database.engine.connect().close())
        .success(lambda _none: None)
        .failure(lambda _error: None)
        .run()
    )
    from app.integrations.private_folder import private_folder
    from app.integrations.settings import setting_pairs
    from app.wiring import build_pickup, current_login, pickup_configured, pull_configured
    from printing.wiring import build_documents, load_population_register, load_trust_list
    from ui.main_window import MainWindow

    pickup = (
        build_pickup(core, database=runner.on(Lane.DATABASE))
        if pickup_configured(settings)
        else None
    )
    from app.wiring import build_payments, build_reports
    from app.wiring.outage import build_outage

    payments = (
        build_payments(core, database=runner.on(Lane.DATABASE))
        if settings.payment_platform_url
        else None
    )
    return MainWindow(
        core=core,
        runner=runner,
        login=current_login(settings),
        intake=window_intake(core, runner) if pull_configured(settings) else None,
        documents=build_documents(core, population_register=load_population_register(settings)),
        trust=lambda: load_trust_list(settings),
        title=lambda: window_title(settings),
        state_file=private_folder(settings.resolved_data_dir()) / "window-state.json",
        pickup=pickup,
        box_offices=list(setting_pairs(settings.pickup_boxes)),
        reports=build_reports(core),
        render_report=lambda kind, report, tables: render_report(settings, kind, report, tables),
        payments=payments,
        outage=build_outage(core) if settings.outage_journal else None,
        privacy=privacy_desks(core),
    )


def privacy_desks(core: Core) -> PrivacyDesks:
    """The Verwaltung menu's access report and retention (each checks the user's role)."""
    from app.wiring import build_access_desk, build_retention_desk
    from printing.access_report_pdf import access_report_pdf
    from ui.privacy_commands import PrivacyDesks

    def access_pdf(report: AccessReport) -> bytes:
        return access_report_pdf(
            report, authority=core.settings.authority_name, catalogue=core.catalogue
        )

    return PrivacyDesks(
        access=build_access_desk(core),
        retention=build_retention_desk(core),
        catalogue=core.catalogue,
        access_pdf=access_pdf,
    )


def render_report(settings: Settings, kind: str, report: Report, tables: list[Table]) -> bytes:
    """A dashboard export: CSV, XLSX or the council's PDF."""
    from app.services.report_files import tables_csv, tables_xlsx

    if kind == "csv":
        return tables_csv(tables).encode("utf-8-sig")
    if kind == "xlsx":
        return tables_xlsx(tables, basis=report.basis)
    from printing.report_pdf import council_report

    return council_report(report, tables, settings=settings, language=settings.language)


def check_gui(application: QCoreApplication, window: MainWindow) -> int:
    """`gui --check`: the window is built and shown; say so as JSON and leave (exit 0)."""
    import json

    from PySide6 import __version__ as pyside_version
    from PySide6.QtGui import QGuiApplication

    window.show()
    application.processEvents()
    built = {
        "window": window.windowTitle(),
        "platform": QGuiApplication.platformName(),
        "qt": pyside_version,
        "visible": window.isVisible(),
    }
    window.close()
    print(json.dumps(built))  # ASCII: a Windows console prints its own code page
    return 0 if built["visible"] else 2


def run_gui(language: str | None = None, check: bool = False) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.wiring import build_core
    from ui.i18n import error_text, set_language, tr
    from ui.tasks import TaskRunner

    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"buergerbuero: {error}", file=sys.stderr)
        return 2
    set_language(language or settings.language)
    application = QApplication.instance() or QApplication(sys.argv)
    application.setApplicationName("Bürgerbüro Desk")
    enforce_lanes(threading.main_thread())
    core = build_core(settings)
    runner = TaskRunner()
    window = build_window(settings, core, runner)
    if check:
        try:
            return check_gui(application, window)
        finally:
            runner.shutdown()
            core.close()
            enforce_lanes(None)

    def refuse(error: BaseException) -> None:
        from app.domain.errors import SchemaMismatch

        title = tr("startup.schema") if isinstance(error, SchemaMismatch) else tr("startup.login")
        QMessageBox.critical(window, title, error_text(error))
        application.exit(3)

    # SIGTERM (a logout, `kill`, the demo's launcher ending) closes the window as Ctrl+Q does;
    # the timer lets the interpreter run its signal handlers while Qt's loop waits
    signal.signal(signal.SIGTERM, lambda _number, _frame: window.close())
    signal.signal(signal.SIGINT, lambda _number, _frame: window.close())
    heartbeat = QTimer()
    heartbeat.start(250)
    heartbeat.timeout.connect(lambda: None)

    window.startup_failed.connect(refuse)
    window.show()
    window.begin()
    try:
        return int(application.exec())
    finally:
        heartbeat.stop()
        runner.shutdown()
        runner.wait_network(timeout=5)
        core.close()
        enforce_lanes(None)  # the window is gone: a caller in this process runs as before


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        return _dispatch(arguments)
    except Explained as error:  # a rule, the database, the schema: for a person, one line
        print(f"buergerbuero {_command(arguments)}: {error.text(_language())}", file=sys.stderr)
        return 2
    except (SettingsError, OSError) as error:  # a file or folder, a server that does not answer
        print(f"buergerbuero {_command(arguments)}: {_said(error)}", file=sys.stderr)
        return 2


def _command(arguments: list[str]) -> str:
    if arguments[:1] in (["sandbox"], ["forms"]):
        return " ".join(arguments[:2])
    return arguments[0] if arguments else "gui"


def _language() -> str:
    try:
        return load_settings().language
    except SettingsError:
        return "de"


def _said(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror and error.filename:
        return f"{error.strerror}: {error.filename}"
    return str(error) or type(error).__name__


def command_tree() -> CommandParser:
    """Every `buergerbuero` command in one argparse tree: the window's `gui` (the default), the
    core's (app.cli), the documents' checks and report (printing), the card reader's, the forms'.
    Each module adds its own commands with their handler; what a handler needs it imports when
    it runs, so `buergerbuero` starts no faster or slower for the commands it does not run."""
    from app import retention_cli
    from cardreader import cli as card_cli
    from printing import access_report_cli, receipt_cli, report_cli, timestamp_cli, verifier_cli
    from printing import cli as printing_cli
    from ui import forms_cli

    root = CommandParser(prog="buergerbuero", description="Bürgerbüro Desk")
    root.add_argument("--version", action="version", version=f"buergerbuero {__version__}")
    commands = root.add_subparsers(dest="command")
    gui = commands.add_parser("gui", help="start the desktop application (default)")
    gui.add_argument("--lang", choices=("de", "en"))
    gui.add_argument(
        "--check",
        action="store_true",
        help="build and show the main window, print what was built as JSON, and exit "
        "(does this seat's Qt start?)",
    )
    for add_commands in (
        cli.add_commands,
        printing_cli.add_commands,
        report_cli.add_commands,
        receipt_cli.add_commands,
        timestamp_cli.add_commands,
        verifier_cli.add_commands,
        access_report_cli.add_commands,
        retention_cli.add_commands,
        card_cli.add_commands,
        forms_cli.add_commands,
    ):
        add_commands(commands)
    # the local stand-ins (not in a production install) keep their own parser: importing it
    # would load the portal and box emulators for every command
    sandbox = commands.add_parser(
        "sandbox",
        help="the local stand-ins of the portal, mailbox and printer (demo, tests)",
        add_help=False,
        prefix_chars="+",  # no options of its own here: `--help` and the rest are the sandbox's
    )
    sandbox.add_argument("arguments", nargs=argparse.REMAINDER)
    sandbox.set_defaults(handler=_sandbox)
    return root


def _sandbox(args: argparse.Namespace) -> int:
    from sandbox.cli import main as sandbox_main

    return sandbox_main(args.arguments)


def _dispatch(arguments: list[str]) -> int:
    parsed = command_tree().parse_args(arguments)
    if parsed.command in (None, "gui"):
        return run_gui(getattr(parsed, "lang", None), getattr(parsed, "check", False))
    return int(parsed.handler(parsed))


if __name__ == "__main__":
    sys.exit(main())
