"""`buergerbuero forms make|import`: the PDF application forms (the second channel)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from app.arguments import Commands, run_alone


def add_commands(commands: Commands) -> None:
    forms = commands.add_parser(
        "forms", help="application forms: make fillable PDFs, import filled ones"
    )
    actions = forms.add_subparsers(dest="forms_action", required=True)
    make = actions.add_parser("make", help="write the fillable PDF form of a service (or all)")
    make.add_argument("--service", default="all")
    make.add_argument("--out", type=Path, default=Path("."))
    imports = actions.add_parser("import", help="turn filled forms in a folder into cases")
    imports.add_argument("folder", type=Path)
    forms.set_defaults(handler=run)


def main(argv: Sequence[str]) -> int:
    return run_alone("forms", add_commands, argv)


def run(args: argparse.Namespace) -> int:
    from app.domain.catalogue import default_catalogue
    from app.integrations.pdf_forms import form_reader
    from app.integrations.settings import load_settings
    from app.services.form_import import import_forms
    from app.store.database import check_schema
    from app.wiring import build_core
    from printing.application_forms import render_application_form

    catalogue = default_catalogue()
    if args.forms_action == "make":
        services = (
            catalogue.services if args.service == "all" else (catalogue.service(args.service),)
        )
        args.out.mkdir(parents=True, exist_ok=True)
        for service in services:
            target = args.out / f"antrag-{service.id}.pdf"
            target.write_bytes(render_application_form(catalogue, service))
            print(target)
        return 0
    if not args.folder.is_dir():
        print(f"buergerbuero forms import: no such folder {args.folder}", file=sys.stderr)
        return 2
    settings = load_settings()
    core = build_core(settings)
    try:
        check_schema(core.database.engine)
        offices = {office.code: office.id for office in core.users.offices()}
        result = import_forms(
            args.folder,
            read_form=form_reader(core.catalogue),
            store=core.intake_store(),
            catalogue=core.catalogue,
            calendar=core.calendar,
            clock=core.clock,
            office_id=offices[settings.intake_office_code],
        )
    finally:
        core.close()
    print(
        f"forms: {len(result.imported)} imported, {len(result.quarantined)} quarantined, "
        f"{len(result.duplicates)} already imported"
    )
    return 0
