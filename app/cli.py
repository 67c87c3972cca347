"""The core's `buergerbuero` commands: their arguments (`add_commands`, into ui.main's one
tree, or alone as `python -m app.cli`). What they do is app.cli_commands', imported only when
one of them runs: the card reader's or a document check's command does not load the database
layer to start. The wiring of the core is app.wiring's; the window's is ui.main's."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from app import __version__
from app.arguments import CommandParser, Commands
from app.domain.errors import Explained
from app.domain.users import Role
from app.integrations.settings import SettingsError, load_settings


def add_commands(commands: Commands) -> None:
    """The core's commands into the `buergerbuero` tree (ui.main's, or `main` below)."""
    demo = commands.add_parser("demo", help="fill the database with demo offices, staff and cases")
    demo.add_argument("--cases", type=int, default=2500)
    demo.add_argument("--if-empty", action="store_true")
    db = commands.add_parser("db", help="database schema")
    db.add_argument("db_action", choices=("upgrade", "current", "stamp"))
    db.add_argument(
        "revision", nargs="?", help="stamp: the revision the tables are (checked by hand)"
    )
    secrets = commands.add_parser(
        "secrets", help="the machine's secrets in the OS keyring (values from stdin, never shown)"
    )
    secrets.add_argument("secrets_action", choices=("list", "set", "delete"))
    secrets.add_argument("name", nargs="?", help="set/delete: the secret's name (see list)")
    settings = commands.add_parser("settings", help="the effective settings and their sources")
    settings.add_argument("settings_action", choices=("show",))
    audit = commands.add_parser("audit", help="audit log")
    audit.add_argument("audit_action", choices=("verify", "anchor"))
    intake = commands.add_parser("intake", help="pull online applications (FIT-Connect), headless")
    mode = intake.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="one pull, then exit (default)")
    mode.add_argument("--loop", action="store_true", help="pull every intake_interval_seconds")
    task = commands.add_parser(
        "intake-task", help="Windows: the headless intake as a scheduled task at boot"
    )
    task.add_argument("task_action", choices=("install", "remove", "show"))
    task.add_argument("--account", help="NetworkService, LocalService, SYSTEM or DOMAIN\\gmsa$")
    box = commands.add_parser(
        "box", help="the pickup boxes: compartments as JSON, or catch up events (schedulable)"
    )
    box.add_argument("box_action", choices=("status", "sync"))
    box.add_argument("--office", default=None, help="one office's box (default: every box)")
    payment = commands.add_parser(
        "payment", help="fees on the payment platform: sync the waiting ones, or one case's (JSON)"
    )
    payment.add_argument("payment_action", choices=("sync", "status"))
    payment.add_argument("reference", nargs="?", help="status: the case's reference")
    till = commands.add_parser(
        "till", help="a counter's till: its day as JSON, the closing, the second confirmation"
    )
    till.add_argument("till_action", choices=("status", "close", "confirm"))
    till.add_argument("--office", default="SI")
    till.add_argument("--counter", required=True, help="the counter, e.g. Theke-3")
    till.add_argument("--day", default=None, help="YYYY-MM-DD (default: today)")
    till.add_argument("--counted", default=None, help="close: the cash counted, e.g. 26,50")
    till.add_argument("--note", default=None, help="close: what is known of a difference")
    finance = commands.add_parser(
        "finance", help="the confirmed till day as the finance system's import file (CSV)"
    )
    finance.add_argument("finance_action", choices=("export",))
    finance.add_argument("--office", default="SI")
    finance.add_argument("--day", default=None, help="YYYY-MM-DD (default: today)")
    finance.add_argument("--out", type=Path, default=None, help="the file to write")
    health = commands.add_parser(
        "health", help="try every remote system this seat uses, now: each one's state (JSON)"
    )
    outbox = commands.add_parser(
        "outbox", help="messages to citizens that wait: send the due ones (schedulable), or count"
    )
    outbox.add_argument("outbox_action", choices=("send", "status"))
    outage = commands.add_parser(
        "outage",
        help="an outage of the central database: prepare a seat, its journal, merge, conflicts",
    )
    outage.add_argument(
        "outage_action", choices=("prepare", "status", "merge", "conflicts", "drill")
    )
    outage.add_argument("--office", default=None, help="default: the signed-in user's office")
    users = commands.add_parser("users", help="users (first admin, listing)")
    users.add_argument("users_action", choices=("list", "save"))
    users.add_argument("--login")
    users.add_argument("--name")
    users.add_argument("--role", choices=[role.value for role in Role], default="clerk")
    users.add_argument("--office", default="SI")
    users.add_argument("--inactive", action="store_true")
    documents = commands.add_parser(
        "documents", help="the document register: every number of a year, issued or void (JSON)"
    )
    documents.add_argument("documents_action", choices=("register",))
    documents.add_argument("--year", type=int, default=None, help="default: this year")
    for command in (
        demo,
        db,
        secrets,
        settings,
        audit,
        intake,
        task,
        box,
        payment,
        till,
        finance,
        health,
        outbox,
        outage,
        users,
        documents,
    ):
        command.set_defaults(handler=run_command)


def parser() -> CommandParser:
    """The core's commands alone (`python -m app.cli`)."""
    root = CommandParser(prog="buergerbuero", description="Bürgerbüro Desk")
    root.add_argument("--version", action="version", version=f"buergerbuero {__version__}")
    add_commands(root.add_subparsers(dest="command", required=True))
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """The core's commands without the window (`python -m app.cli`)."""
    return run_command(parser().parse_args(argv))


def run_command(args: argparse.Namespace) -> int:
    """One of the core's commands; what it cannot do is one line on stderr and exit 2."""
    from app.cli_commands import run
    from app.integrations.secrets import NoSecureKeyring
    from app.wiring import IntakeNotConfigured

    language = "de"
    try:
        settings = load_settings()
        language = settings.language
        return run(args, settings)
    except (SettingsError, IntakeNotConfigured, NoSecureKeyring) as error:
        print(f"buergerbuero: {error}", file=sys.stderr)
        return 2
    except Explained as error:  # the database, the schema, a rule: in the seat's language
        print(f"buergerbuero: {error.text(language)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
