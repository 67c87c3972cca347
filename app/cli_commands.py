"""What the core's `buergerbuero` commands do (their arguments are app.cli's): the database,
users, the audit chain, the boxes, the document register, the settings."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.domain.errors import DomainError
from app.domain.users import DEFAULT_OFFICES, Role
from app.integrations.settings import Settings
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
        codes = {office.id: office.code for office in core.users.offices()}
        for user in core.users.users():  # the office by its code, as `users save --office`
            state = "active" if user.active else "inactive"
            office = codes.get(user.office_id, str(user.office_id))
            print(f"{user.login}\t{user.role.value}\t{office}\t{state}")
        return 0
    offices = {office.code: office for office in core.users.offices()}
    if not offices:
        for code, name in DEFAULT_OFFICES:
            core.users.save_office(
                code, name, actor=current_login(core.settings), at=core.clock.now()
            )
        offices = {office.code: office for office in core.users.offices()}
    if args.office not in offices:
        print(f"unknown office {args.office}; known: {', '.join(sorted(offices))}", file=sys.stderr)
        return 2
    core.users.save_user(
        actor=current_login(core.settings),
        at=core.clock.now(),
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


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "secrets":  # no database: a machine is set up before it has one
        from app.secrets_cli import secrets_command

        return secrets_command(args.secrets_action, args.name)
    if args.command == "settings":
        return _settings_show()
    if args.command == "outage" and args.outage_action == "drill":  # its own scratch database
        from app.outage_cli import drill_command

        return drill_command(settings)
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
        if args.command == "health":  # a database that is down is an answer, not a failure
            from app.health_cli import health_command

            return health_command(core)
        check_schema(core.database.engine)
        if args.command == "audit":
            return _audit_verify(core) if args.audit_action == "verify" else _audit_anchor(core)
        if args.command == "users":
            return _users(core, args)
        if args.command == "outage":
            from app.outage_cli import outage_command

            return outage_command(core, args)
        if args.command == "outbox":
            from app.health_cli import outbox_command

            return outbox_command(core, args.outbox_action)
        if args.command == "box":
            return _box(core, args.box_action, args.office)
        if args.command == "payment":
            from app.payment_cli import payment_command

            return payment_command(core, args.payment_action, args.reference)
        if args.command in ("till", "finance"):
            from app.till_cli import till_command

            return till_command(core, args)
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
