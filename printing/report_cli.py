"""`buergerbuero report --from DATE --to DATE [--office SI] --format json|csv|xlsx|pdf [--out F]`:
the supervisors' figures, for a scheduled monthly report. Run under a supervisor's login
(BUERGERBUERO_LOGIN or the OS login); exit 0, or 2 when it cannot be made."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from app.arguments import Commands, run_alone


def add_commands(commands: Commands) -> None:
    root = commands.add_parser(
        "report", help="the supervisors' figures for a period: json, csv, xlsx or the council's pdf"
    )
    root.add_argument("--from", dest="first", required=True, help="YYYY-MM-DD")
    root.add_argument("--to", dest="last", required=True, help="YYYY-MM-DD, inclusive")
    root.add_argument("--office", default=None, help="one office (default: all four)")
    root.add_argument("--format", choices=("json", "csv", "xlsx", "pdf"), default="json")
    root.add_argument("--lang", choices=("de", "en"), default=None)
    root.add_argument("--out", type=Path, default=None, help="a file (default: stdout)")
    root.set_defaults(handler=run)


def main(argv: Sequence[str]) -> int:
    return run_alone("report", add_commands, argv)


def run(args: argparse.Namespace) -> int:
    from app.domain.errors import DomainError
    from app.integrations.settings import SettingsError, load_settings
    from app.services.report_files import tables_csv, tables_xlsx
    from app.services.report_tables import report_tables
    from app.services.reporting import Period
    from app.wiring import build_core, build_reports, current_login

    try:
        period = Period(dt.date.fromisoformat(args.first), dt.date.fromisoformat(args.last))
        settings = load_settings()
    except (ValueError, SettingsError) as error:
        print(f"buergerbuero report: {error}", file=sys.stderr)
        return 2
    if args.out and not args.out.parent.is_dir():
        print(f"buergerbuero report: no such folder {args.out.parent}", file=sys.stderr)
        return 2
    if period.last < period.first:
        print("buergerbuero report: --to is before --from", file=sys.stderr)
        return 2
    language = args.lang or settings.language
    core = build_core(settings)
    try:
        core.check_schema()
        user = core.users.by_login(current_login(settings))
        if user is None:
            print("buergerbuero report: this login is no user", file=sys.stderr)
            return 2
        report = build_reports(core).report(user=user, period=period, office=args.office)
        tables = report_tables(report, core.catalogue, language)
        if args.format == "json":
            data: bytes = json.dumps(
                dataclasses.asdict(report), ensure_ascii=False, indent=1, default=str
            ).encode()
        elif args.format == "csv":
            data = tables_csv(tables).encode("utf-8-sig")  # the BOM tells Excel it is UTF-8
        elif args.format == "xlsx":
            data = tables_xlsx(tables, basis=report.basis)
        else:
            from printing.report_pdf import council_report

            data = council_report(report, tables, settings=settings, language=language)
    except DomainError as error:
        print(f"buergerbuero report: {error.text(language)}", file=sys.stderr)
        return 2
    except Exception as error:  # a database that is down, a schema mismatch: said plainly
        print(f"buergerbuero report: {error}", file=sys.stderr)
        return 2
    finally:
        core.close()
    if args.out:
        args.out.write_bytes(data)
    elif args.format in ("xlsx", "pdf"):
        sys.stdout.buffer.write(data)
    else:
        print(data.decode("utf-8-sig"))
    return 0
