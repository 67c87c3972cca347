"""The composition root of the desktop application and the `buergerbuero` entry point:
`gui` (the default) starts Qt here; every other command is app.cli's."""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Sequence

from app import cli
from app.integrations.secrets import KeyringSecretStore
from app.integrations.settings import SettingsError, load_settings
from app.services.documents import RegisterLookup, no_register
from app.services.pull import Pull
from app.store.database import SchemaMismatch
from ui.i18n import error_text, set_language, tr


def _register_lookup() -> RegisterLookup:
    """The resident register's answers. A demo seat (started by `sandbox demo`) uses the
    sandbox's stand-in; a production seat has no register connection yet."""
    from sandbox.demo_keyring import SANDBOX_DIR_VARIABLE

    if os.environ.get(SANDBOX_DIR_VARIABLE):
        from sandbox.demo_register import demo_register

        return demo_register
    return no_register


def run_gui(language: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from printing.wiring import build_documents, load_trust_list
    from ui.main_window import MainWindow
    from ui.tasks import TaskRunner

    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"buergerbuero: {error}", file=sys.stderr)
        return 2
    set_language(language or settings.language)
    application = QApplication.instance() or QApplication(sys.argv)
    application.setApplicationName("Bürgerbüro Desk")
    core = cli.build_core(settings)
    runner = TaskRunner()
    intake = None
    if cli.pull_configured(settings):
        holder = f"{socket.gethostname()}:{os.getpid()}"

        def intake() -> Pull:  # built on the network lane: it talks to the portal
            return cli.build_pull(core, holder=holder)

    window = MainWindow(
        core=core,
        runner=runner,
        login=cli.current_login(settings),
        intake=intake,
        documents=build_documents(core, KeyringSecretStore, register_lookup=_register_lookup()),
        trust=lambda: load_trust_list(settings),
    )

    def refuse(error: BaseException) -> None:
        title = tr("startup.schema") if isinstance(error, SchemaMismatch) else tr("startup.login")
        QMessageBox.critical(window, title, error_text(error))
        application.exit(3)

    window.startup_failed.connect(refuse)
    window.show()
    window.begin()
    try:
        return int(application.exec())
    finally:
        runner.shutdown()
        core.close()


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["forms"]:
        from ui.forms_cli import main as forms_main

        return forms_main(arguments[1:])
    if arguments[:1] == ["verify"]:
        from printing.cli import verify_main

        return verify_main(arguments[1:])
    if arguments[:1] == ["verify-seal"]:
        from printing.cli import verify_seal_main

        return verify_seal_main(arguments[1:])
    if arguments[:1] == ["sandbox"]:  # the local stand-ins; not part of a production install
        from sandbox.cli import main as sandbox_main

        return sandbox_main(arguments[1:])
    parsed = cli.parser().parse_args(arguments)
    if parsed.command in (None, "gui"):
        return run_gui(getattr(parsed, "lang", None))
    return cli.main(arguments)


if __name__ == "__main__":
    sys.exit(main())
