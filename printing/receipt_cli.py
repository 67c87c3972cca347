"""`buergerbuero receipt NUMBER --out FILE`: the Quittung of a till booking as a PDF, again
(a citizen who lost theirs, the finance office asking). Exit 0, or 2 when it cannot be made
(no such receipt, no such folder, the database)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from app.arguments import Commands, run_alone


def add_commands(commands: Commands) -> None:
    root = commands.add_parser("receipt", help="a till booking's Quittung as a PDF, again")
    root.add_argument("number", help="the receipt's number, e.g. SI-Q-2026-000042")
    root.add_argument("--out", type=Path, required=True, help="the PDF file to write")
    root.set_defaults(handler=run)


def main(argv: Sequence[str]) -> int:
    return run_alone("receipt", add_commands, argv)


def run(args: argparse.Namespace) -> int:
    from app.domain.errors import Explained
    from app.integrations.settings import SettingsError, load_settings
    from app.wiring import build_core, build_till
    from printing.receipt import ReceiptIssuer, receipt_pdf

    if not args.out.parent.is_dir():
        print(f"buergerbuero receipt: no such folder {args.out.parent}", file=sys.stderr)
        return 2
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"buergerbuero receipt: {error}", file=sys.stderr)
        return 2
    core = build_core(settings)
    try:
        core.check_schema()
        entry = build_till(core).journal.by_receipt(args.number.strip().upper())
        if entry is None:
            print(f"buergerbuero receipt: no receipt {args.number}", file=sys.stderr)
            return 2
        case = core.cases.get(entry.case_id)
        office = next(o for o in core.users.offices() if o.id == entry.office_id)
        issuer = ReceiptIssuer(settings.authority_name, office.name, settings.authority_address)
        service = core.catalogue.service(case.service_id).name_de
        args.out.write_bytes(receipt_pdf(entry, issuer=issuer, service=service))
        print(args.out)
        return 0
    except Explained as error:
        print(f"buergerbuero receipt: {error.text(settings.language)}", file=sys.stderr)
        return 2
    finally:
        core.close()
