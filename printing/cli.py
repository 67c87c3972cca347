"""`buergerbuero verify FILE.pdf` and `buergerbuero verify-seal IMAGE|PDF|--hex DATA`: check a
document a citizen brings back. Exit 0 authentic, 1 not authentic, 2 cannot check."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app.arguments import Commands, run_alone

if TYPE_CHECKING:
    from printing import verify
    from printing.trust_list import TrustList


def add_commands(commands: Commands) -> None:
    electronic = commands.add_parser(
        "verify",
        help="check the electronic seal (PAdES) of a PDF original",
        description="Elektronisches Siegel (PAdES) einer PDF prüfen. Exit 0 echt, 1 nicht echt, "
        "2 nicht prüfbar",
    )
    electronic.add_argument("file", type=Path)
    electronic.add_argument("--trust-list", type=Path, help="Vertrauensliste (JSON) der Stadt")
    electronic.set_defaults(handler=verify_electronic)
    printed = commands.add_parser(
        "verify-seal",
        help="check the printed 2D seal of a scan, photo or PDF, offline",
        description="Dokument prüfen: aufgedrucktes 2D-Siegel (VDS) aus Scan oder Foto, eine PDF "
        "mit elektronischem und aufgedrucktem Siegel. Exit 0 echt, 1 nicht echt, 2 nicht prüfbar",
    )
    source = printed.add_mutually_exclusive_group(required=True)
    source.add_argument("image", nargs="?", type=Path, help="Bild (PNG, JPEG, ...) oder PDF")
    source.add_argument("--hex", help="die Bytes des Siegels als Hex (aus einem Lesegerät)")
    printed.add_argument("--trust-list", type=Path, help="Vertrauensliste (JSON) der Stadt")
    printed.set_defaults(handler=verify_printed)


def verify_main(argv: Sequence[str]) -> int:
    return run_alone("verify", add_commands, argv)


def verify_seal_main(argv: Sequence[str]) -> int:
    return run_alone("verify-seal", add_commands, argv)


def trust_from(path: Path | None) -> TrustList:
    """The trust list named, or the seat's (setting `seal_trust_list_file`)."""
    from app.integrations.settings import load_settings
    from printing.trust_list import TrustList
    from printing.wiring import load_trust_list

    return TrustList.load(path) if path else load_trust_list(load_settings())


def verify_electronic(args: argparse.Namespace) -> int:
    from app.integrations.settings import SettingsError
    from printing import verify
    from printing.trust_list import TrustListError

    try:
        trust = trust_from(args.trust_list)
    except (TrustListError, SettingsError) as error:
        return _cannot_check(str(error))
    try:
        content = args.file.read_bytes()
    except OSError as error:
        return _cannot_check(f"{args.file.name}: nicht lesbar ({error.strerror})")
    return _answer(verify.report_electronic(content, trust))


def verify_printed(args: argparse.Namespace) -> int:
    from app.integrations.settings import SettingsError
    from printing import verify
    from printing.trust_list import TrustListError

    try:
        trust = trust_from(args.trust_list)
    except (TrustListError, SettingsError) as error:
        return _cannot_check(str(error))
    if args.hex:
        return _answer(verify.report_hex(args.hex, trust))
    return _answer(verify.report_file(args.image, trust))


def _cannot_check(reason: str) -> int:
    from printing import verify

    print(f"{verify.Answer.CANNOT_CHECK.headline}: {reason}", file=sys.stderr)
    return verify.Answer.CANNOT_CHECK.exit_code


def _answer(report: verify.Report) -> int:
    print(report.full_text())
    return report.answer.exit_code
