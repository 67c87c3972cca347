"""`buergerbuero access-report --family-name N --given-names G --birth-date YYYY-MM-DD
--format json|pdf --out FILE`: a person's access report (DSGVO Art. 15) under a supervisor's
login: the PDF for the citizen, JSON for the data-protection officer. `buergerbuero
retrieval-log --clerk LOGIN --from D --to D`: what one member of staff opened (JSON, an admin's
login). Both are audited. Exit 0; 2 when it cannot be made (the role, a bad date, the
database)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from app.arguments import Commands, run_alone


def add_commands(commands: Commands) -> None:
    root = commands.add_parser(
        "access-report", help="everything held on one person (DSGVO Art. 15): pdf or json"
    )
    root.add_argument("--family-name", required=True)
    root.add_argument("--given-names", required=True)
    root.add_argument("--birth-date", required=True, help="YYYY-MM-DD")
    root.add_argument("--format", choices=("json", "pdf"), default="json")
    root.add_argument("--out", type=Path, required=True, help="the file to write")
    root.set_defaults(handler=run)
    log = commands.add_parser(
        "retrieval-log",
        help="which cases one member of staff opened in a period (JSON; an admin's login)",
    )
    log.add_argument("--clerk", required=True, help="the login")
    log.add_argument("--from", dest="first", required=True, help="YYYY-MM-DD")
    log.add_argument("--to", dest="last", required=True, help="YYYY-MM-DD, inclusive")
    log.set_defaults(handler=run_log)


def main(argv: Sequence[str]) -> int:
    return run_alone("access-report", add_commands, argv)


def _said(problem: str, command: str = "access-report") -> int:
    print(f"buergerbuero {command}: {problem}", file=sys.stderr)
    return 2


def run_log(args: argparse.Namespace) -> int:
    from app.domain.errors import DomainError, Explained
    from app.integrations.settings import SettingsError, load_settings
    from app.services.access_report import retrieval_log
    from app.store.access_report import SqlRetrievalLog
    from app.wiring import build_core, current_login

    try:
        first, last = dt.date.fromisoformat(args.first), dt.date.fromisoformat(args.last)
        settings = load_settings()
    except ValueError:
        return _said("--from and --to are dates (YYYY-MM-DD)", "retrieval-log")
    except SettingsError as error:
        return _said(str(error), "retrieval-log")
    core = build_core(settings)
    try:
        core.check_schema()
        user = core.users.by_login(current_login(settings))
        if user is None:
            return _said("this login is no user", "retrieval-log")
        entries = retrieval_log(
            log=SqlRetrievalLog(core.database),
            audit=core.audit,
            clock=core.clock,
            user=user,
            login=args.clerk,
            first=first,
            last=last,
        )
    except (DomainError, Explained) as error:
        return _said(error.text(settings.language), "retrieval-log")
    finally:
        core.close()
    print(
        json.dumps(
            {"clerk": args.clerk, "from": args.first, "to": args.last, "entries": entries}, indent=1
        )
    )
    return 0


def run(args: argparse.Namespace) -> int:
    from app.domain.access_report import Person
    from app.domain.errors import DomainError, Explained
    from app.integrations.settings import SettingsError, load_settings
    from app.services.access_report import report_json
    from app.wiring import build_core, current_login
    from app.wiring.privacy import build_access_desk

    try:
        person = Person(args.family_name, args.given_names, dt.date.fromisoformat(args.birth_date))
        settings = load_settings()
    except ValueError:
        return _said(f"--birth-date {args.birth_date} is no date (YYYY-MM-DD)")
    except SettingsError as error:
        return _said(str(error))
    if not args.out.parent.is_dir():
        return _said(f"no such folder {args.out.parent}")
    core = build_core(settings)
    try:
        core.check_schema()
        user = core.users.by_login(current_login(settings))
        if user is None:
            return _said("this login is no user")
        report = build_access_desk(core).report(user=user, person=person)
        if args.format == "json":
            data = json.dumps(report_json(report), ensure_ascii=False, indent=1).encode()
        else:
            from printing.access_report_pdf import access_report_pdf

            data = access_report_pdf(
                report,
                authority=settings.authority_name,
                catalogue=core.catalogue,
            )
    except (DomainError, Explained) as error:
        return _said(error.text(settings.language))
    finally:
        core.close()
    args.out.write_bytes(data)
    print(json.dumps({"out": str(args.out), "cases": [c.reference for c in report.cases]}))
    return 0
