"""`buergerbuero verify FILE.pdf` and `buergerbuero verify-seal IMAGE|PDF|--hex DATA`: check a
document a citizen brings back. Exit 0 authentic, 1 not authentic, 2 cannot check."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from app.arguments import CommandParser
from app.integrations.settings import SettingsError, load_settings
from printing import verify
from printing.trust_list import TrustList, TrustListError
from printing.wiring import load_trust_list


def _trust(path: Path | None) -> TrustList:
    return TrustList.load(path) if path else load_trust_list(load_settings())


def verify_main(argv: Sequence[str]) -> int:
    parser = CommandParser(
        prog="buergerbuero verify",
        description="Elektronisches Siegel (PAdES) einer PDF prüfen. Exit 0 echt, 1 nicht echt, "
        "2 nicht prüfbar",
    )
    parser.add_argument("file", type=Path)
    parser.add_argument("--trust-list", type=Path, help="Vertrauensliste (JSON) der Stadt")
    args = parser.parse_args(list(argv))
    try:
        trust = _trust(args.trust_list)
    except (TrustListError, SettingsError) as error:
        return _cannot_check(str(error))
    try:
        content = args.file.read_bytes()
    except OSError as error:
        return _cannot_check(f"{args.file.name}: nicht lesbar ({error.strerror})")
    return _answer(verify.report_electronic(content, trust))


def verify_seal_main(argv: Sequence[str]) -> int:
    parser = CommandParser(
        prog="buergerbuero verify-seal",
        description="Dokument prüfen: aufgedrucktes 2D-Siegel (VDS) aus Scan oder Foto, eine PDF "
        "mit elektronischem und aufgedrucktem Siegel. Exit 0 echt, 1 nicht echt, 2 nicht prüfbar",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("image", nargs="?", type=Path, help="Bild (PNG, JPEG, ...) oder PDF")
    source.add_argument("--hex", help="die Bytes des Siegels als Hex (aus einem Lesegerät)")
    parser.add_argument("--trust-list", type=Path, help="Vertrauensliste (JSON) der Stadt")
    args = parser.parse_args(list(argv))
    try:
        trust = _trust(args.trust_list)
    except (TrustListError, SettingsError) as error:
        return _cannot_check(str(error))
    if args.hex:
        return _answer(verify.report_hex(args.hex, trust))
    return _answer(verify.report_file(args.image, trust))


def _cannot_check(reason: str) -> int:
    print(f"{verify.Answer.CANNOT_CHECK.headline}: {reason}", file=sys.stderr)
    return verify.Answer.CANNOT_CHECK.exit_code


def _answer(report: verify.Report) -> int:
    print(report.full_text())
    return report.answer.exit_code
