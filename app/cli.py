"""The core's `buergerbuero` commands: their arguments (`add_commands`, into ui.main's one
tree, or alone as `python -m app.cli`) and their handlers. The wiring of the core is
app.wiring's; the window's is ui.main's."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from app import __version__
from app.arguments import CommandParser, Commands
from app.domain.errors import DomainError, Explained
from app.domain.users import DEFAULT_OFFICES, Role
from app.integrations.secrets import NoSecureKeyring
from app.integrations.settings import Settings, SettingsError, load_settings
from app.store.database import (
    DatabaseUnavailable,
    check_schema,
    current_revision,
    head_revision,
    parse_database_url,
    stamp,
    upgrade,
)
from app.wiring import (
    Core,
    IntakeNotConfigured,
    build_anchoring,
    build_core,
    current_login,
    seed_demo,
)


def _db(core: Core, action: str, revision: str | None = None) -> int:
    if action == "upgrade":
        upgrade(core.database.engine)
        print(f"schema at {current_revision(core.database.engine)} (head {head_revision()})")
    elif action == "stamp":
        if not revision:
            print("buergerbuero db stamp REVISION: name the revision to record", file=sys.stderr)
            return 2
        stamp(core.database.engine, revision)
        print(f"schema recorded as {current_revision(core.database.engine)}, not migrated")
    else:
        database = current_revision(core.database.engine) or "(empty)"
        print(f"database: {database}; application: {head_revision()}")
    return 0


def _users(core: Core, args: argparse.Namespace) -> int:
    if args.users_action == "list":
        for user in core.users.users():
            state = "active" if user.active else "inactive"
            print(f"{user.login}\t{user.role.value}\t{user.office_id}\t{state}")
        return 0
    offices = {office.code: office for office in core.users.offices()}
    if not offices:
        for code, name in DEFAULT_OFFICES:
            core.users.save_office(code, name)
        offices = {office.code: office for office in core.users.offices()}
    if args.office not in offices:
        print(f"unknown office {args.office}; known: {', '.join(sorted(offices))}", file=sys.stderr)
        return 2
    core.users.save_user(
        login=args.login,
        display_name=args.name or args.login,
        role=Role(args.role),
        office_id=offices[args.office].id,
        active=not args.inactive,
    )
    print(f"saved {args.login}")
    return 0


def _document_register(core: Core, year: int) -> int:
    """One JSON object per number: a void one with its reason (a spoiled number is kept)."""
    for entry in core.documents.entries(year):
        print(
            json.dumps(
                {
                    "number": entry.number,
                    "state": entry.state.value,
                    "kind": entry.kind.value,
                    "case_id": entry.case_id,
                    "reserved_at": entry.reserved_at.isoformat(),
                    "reserved_by": entry.reserved_by,
                    "void_reason": entry.void_reason,
                },
                ensure_ascii=False,
            )
        )
    return 0


def _audit_verify(core: Core) -> int:
    problems = core.audit.verify()
    anchoring = build_anchoring(core)
    verdict = anchoring.check() if anchoring is not None else None
    if verdict is not None:
        problems += verdict.problems
        for note in verdict.notes:
            print(f"note: {note}")
    if problems:
        for problem in problems:
            print(problem)
        print(f"audit chain BROKEN: {len(problems)} problem(s)")
        return 1
    if verdict is None:
        print("audit chain intact (no anchors configured: audit_anchor_folder)")
    elif not verdict.proven_up_to:
        print(f"audit chain intact; no anchor yet vouches for it ({verdict.anchors} anchors)")
    else:
        at = f"{verdict.proven_at:%Y-%m-%d %H:%M:%S} UTC" if verdict.proven_at else "?"
        head, _hash = core.audit.head()
        print(
            f"audit chain intact; proven by {verdict.anchors} anchor(s) up to record "
            f"{verdict.proven_up_to} as of {at}; records {verdict.proven_up_to + 1}-{head} "
            "not yet anchored"
            if head > verdict.proven_up_to
            else f"audit chain intact; proven by {verdict.anchors} anchor(s) up to record "
            f"{verdict.proven_up_to} (the head) as of {at}"
        )
    return 0


def _audit_anchor(core: Core) -> int:
    anchoring = build_anchoring(core)
    if anchoring is None:
        print("buergerbuero: audit anchor: set audit_anchor_folder first", file=sys.stderr)
        return 2
    try:
        name = anchoring.anchor()
    except OSError as error:
        print(f"buergerbuero: audit anchor: {error}", file=sys.stderr)
        return 2
    print(f"audit anchored: {name}")
    return 0


def _box(core: Core, action: str, office: str | None) -> int:
    """`box status`: every compartment, ours beside the box's, and open issues (JSON); `box
    sync`: events caught up, reminders sent, the returns due. Exit 2 when a box cannot be
    reached (the others are still done)."""
    from dataclasses import asdict

    from app.integrations.settings import setting_pairs
    from app.wiring import build_pickup, pickup_configured

    if not pickup_configured(core.settings):
        print("buergerbuero box: no pickup box is set up (pickup_boxes)", file=sys.stderr)
        return 2
    desk = build_pickup(core)
    offices = [office] if office else list(setting_pairs(core.settings.pickup_boxes))
    result: dict[str, object] = {}
    status = 0
    for code in offices:
        try:
            if action == "sync":
                result[code] = asdict(desk.sync(code))
            else:
                result[code] = {
                    "compartments": [
                        {
                            "id": view.compartment.id,
                            "size": view.compartment.size.value,
                            "low": view.compartment.low,
                            "state": view.compartment.state.value,
                            "reference": view.loading.reference if view.loading else None,
                            "loading": view.loading.state.value if view.loading else None,
                            "since": view.loading.opened_at.isoformat() if view.loading else None,
                            "deadline": view.loading.deadline.isoformat()
                            if view.loading and view.loading.deadline
                            else None,
                            "conflict": view.conflict or None,
                        }
                        for view in desk.view(code)
                    ],
                    "issues": [
                        {"id": i.id, "kind": i.kind, "compartment": i.compartment}
                        for i in desk.issues(code)
                    ],
                }
        except DomainError as error:
            print(f"buergerbuero box {action} {code}: {error.text()}", file=sys.stderr)
            result[code] = {"error": error.key}
            status = 2
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return status


def _settings_show() -> int:
    """The effective settings as JSON, each with its source; a password inside database_url is
    shown as ***."""
    from sqlalchemy.engine import make_url

    from app.integrations.settings import settings_sources

    shown: dict[str, dict[str, object]] = {}
    for name, (value, source) in settings_sources().items():
        if name == "database_url" and value and make_url(str(value)).password:
            value = make_url(str(value)).render_as_string(hide_password=True)
        shown[name] = {"value": value, "from": source}
    print(json.dumps(shown, ensure_ascii=False, indent=1))
    return 0


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
    for command in (demo, db, secrets, settings, audit, intake, task, box, users, documents):
        command.set_defaults(handler=run_command)


def parser() -> CommandParser:
    """The core's commands alone (`python -m app.cli`)."""
    root = CommandParser(prog="buergerbuero", description="Bürgerbüro Desk")
    root.add_argument("--version", action="version", version=f"buergerbuero {__version__}")
    add_commands(root.add_subparsers(dest="command", required=True))
    return root


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "secrets":  # no database: a machine is set up before it has one
        from app.secrets_cli import secrets_command

        return secrets_command(args.secrets_action, args.name)
    if args.command == "settings":
        return _settings_show()
    if args.command == "intake-task":  # no database either: the installer registers it
        from app.integrations.intake_task import intake_task_command

        return intake_task_command(args.task_action, args.account)
    if args.command == "users" and args.users_action == "save" and not args.login:
        print("buergerbuero users save: --login is required", file=sys.stderr)
        return 2
    # `db upgrade` makes the database; the intake service waits for one (a share mounted late)
    if args.command != "intake" and not (args.command == "db" and args.db_action == "upgrade"):
        _refuse_missing_sqlite_file(settings)
    core = build_core(settings)
    try:
        if args.command == "db":
            return _db(core, args.db_action, args.revision)
        if args.command == "demo":
            written = seed_demo(
                core, count=args.cases, if_empty=args.if_empty, login=current_login(settings)
            )
            print(f"demo: {written} cases written")
            return 0
        if args.command == "intake":
            from app.intake_cli import intake_command

            return intake_command(core, args)  # checks the schema, waits for it with --loop
        check_schema(core.database.engine)
        if args.command == "audit":
            return _audit_verify(core) if args.audit_action == "verify" else _audit_anchor(core)
        if args.command == "users":
            return _users(core, args)
        if args.command == "box":
            return _box(core, args.box_action, args.office)
        if args.command == "documents":
            return _document_register(core, args.year or core.clock.now().year)
        raise AssertionError(args.command)
    finally:
        core.close()


def _refuse_missing_sqlite_file(settings: Settings) -> None:
    """Only `db upgrade` makes a database: any other command on a SQLite file that is not
    there (a mistyped path, an unmounted share) says so instead of creating an empty one."""
    url = parse_database_url(settings.resolved_database_url())
    named = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
    if named and not Path(str(url.database)).exists():
        raise DatabaseUnavailable("database.no_file", path=url.database)


def main(argv: Sequence[str] | None = None) -> int:
    """The core's commands without the window (`python -m app.cli`)."""
    return run_command(parser().parse_args(argv))


def run_command(args: argparse.Namespace) -> int:
    """One of the core's commands; what it cannot do is one line on stderr and exit 2."""
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
