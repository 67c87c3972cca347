"""`buergerbuero verify FILE.pdf` and `buergerbuero verify-seal IMAGE|PDF|--hex DATA`: check a
document a citizen brings back. Exit 0 authentic, 1 not authentic, 2 cannot check."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from app.integrations.settings import SettingsError, load_settings
from printing import verify
from printing.trust_list import TrustList, TrustListError
from printing.wiring import load_trust_list

AUTHENTIC, NOT_AUTHENTIC, CANNOT_CHECK = 0, 1, 2


def _trust(path: Path | None) -> TrustList:
    return TrustList.load(path) if path else load_trust_list(load_settings())


def verify_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="buergerbuero verify", description="Elektronisches Siegel (PAdES) einer PDF prüfen"
    )
    parser.add_argument("file", type=Path)
    parser.add_argument("--trust-list", type=Path, help="Vertrauensliste (JSON) der Stadt")
    args = parser.parse_args(list(argv))
    try:
        trust = _trust(args.trust_list)
        content = args.file.read_bytes()
    except (OSError, TrustListError, SettingsError) as error:
        print(f"Prüfung nicht möglich: {error}", file=sys.stderr)
        return CANNOT_CHECK
    verdict = verify.check_pdf(content, trust)
    print(verify.describe_pdf(verdict))
    return AUTHENTIC if verdict.ok else NOT_AUTHENTIC


def verify_seal_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="buergerbuero verify-seal",
        description="Aufgedrucktes 2D-Siegel (VDS) aus Scan, Foto oder PDF prüfen",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("image", nargs="?", type=Path, help="Bild (PNG, JPEG, ...) oder PDF")
    source.add_argument("--hex", help="die Bytes des Siegels als Hex (aus einem Lesegerät)")
    parser.add_argument("--trust-list", type=Path, help="Vertrauensliste (JSON) der Stadt")
    args = parser.parse_args(list(argv))
    try:
        trust = _trust(args.trust_list)
    except (TrustListError, SettingsError) as error:
        print(f"Prüfung nicht möglich: {error}", file=sys.stderr)
        return CANNOT_CHECK
    if args.hex:
        report = verify.report_hex(args.hex, trust)
    else:
        try:
            seals = verify.seals_in_file(args.image)
        except (OSError, ValueError) as error:
            print(f"Prüfung nicht möglich: {error}", file=sys.stderr)
            return CANNOT_CHECK
        report = verify.report_seals(seals, trust)
    print(report.text)
    if report.authentic is None:
        return CANNOT_CHECK
    return AUTHENTIC if report.authentic else NOT_AUTHENTIC
