"""`buergerbuero retention run [--dry-run]`: delete what is past its period (docs/compliance.md),
as a scheduled task or by hand; `--dry-run` lists what would go and changes nothing.
`buergerbuero retention hold REFERENCE --reason R` / `release REFERENCE`: a legal hold keeps a
case whole. Under an admin's login; JSON on stdout; exit 0, 1 (hold: no such case), 2 when it
cannot run."""

from __future__ import annotations

import argparse
import json
import sys

from app.arguments import Commands


def add_commands(commands: Commands) -> None:
    root = commands.add_parser(
        "retention", help="delete what is past its retention period; legal holds (JSON)"
    )
    actions = root.add_subparsers(dest="retention_action", required=True)
    run = actions.add_parser("run", help="delete what is due (--dry-run: only list it)")
    run.add_argument("--dry-run", action="store_true")
    hold = actions.add_parser("hold", help="keep a case's data whatever its periods say")
    hold.add_argument("reference")
    hold.add_argument("--reason", required=True)
    release = actions.add_parser("release", help="end a case's legal hold")
    release.add_argument("reference")
    for parser in (run, hold, release):
        parser.set_defaults(handler=command)


def command(args: argparse.Namespace) -> int:
    from app.domain.errors import Explained, NotFound
    from app.domain.users import Role
    from app.integrations.settings import SettingsError, load_settings
    from app.wiring import build_core, current_login
    from app.wiring.privacy import build_retention_desk

    def said(problem: str) -> int:
        print(f"buergerbuero retention: {problem}", file=sys.stderr)
        return 2

    try:
        settings = load_settings()
        core = build_core(settings)
    except SettingsError as error:
        return said(str(error))
    try:
        core.check_schema()
        user = core.users.by_login(current_login(settings))
        if user is None or not user.has_role(Role.ADMIN):
            return said("an admin's login is needed (BUERGERBUERO_LOGIN or the OS login)")
        desk = build_retention_desk(core)
        if args.retention_action == "run":
            result = desk.preview(user=user) if args.dry_run else desk.run(user=user)
            report = {
                "dry_run": args.dry_run,
                "cases": {kind.value: refs for kind, refs in result.cases.items()},
                "quarantine_raw": result.quarantine_raw,
                "audit_records": result.audit_records,
            }
            print(json.dumps(report, indent=1))
            return 0
        reason = args.reason if args.retention_action == "hold" else ""
        try:
            if args.retention_action == "hold":
                desk.hold(user=user, reference=args.reference, reason=reason)
            else:
                desk.release(user=user, reference=args.reference)
        except NotFound:
            print(json.dumps({"reference": args.reference, "found": False}))
            return 1
        print(json.dumps({"reference": args.reference, "legal_hold": reason}))
        return 0
    except (Explained, SettingsError) as error:
        return said(error.text(settings.language) if isinstance(error, Explained) else str(error))
    finally:
        core.close()
