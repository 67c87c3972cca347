"""`buergerbuero verifier build --out DIR`: the public verifier page as static files for the
city's web server (docs/verifier.md). JSON on stdout: the folder, its files and their size.
Exit 0, or 2 when it cannot be built (no trust list, the page's reader not installed)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from app.arguments import Commands, run_alone


def add_commands(commands: Commands) -> None:
    root = commands.add_parser(
        "verifier", help="build the public offline verifier page for the printed seal (JSON)"
    )
    actions = root.add_subparsers(dest="verifier_action", required=True)
    build = actions.add_parser("build", help="write the page's static files into a folder")
    build.add_argument("--out", type=Path, required=True, help="folder to write (replaced)")
    build.add_argument("--trust-list", type=Path, help="Vertrauensliste (JSON) der Stadt")
    build.set_defaults(handler=run_build)


def main(argv: Sequence[str]) -> int:
    return run_alone("verifier", add_commands, argv)


def run_build(args: argparse.Namespace) -> int:
    from app.integrations.settings import SettingsError
    from printing.cli import trust_from
    from printing.trust_list import TrustListError
    from printing.verifier_build import VerifierBuildError, build

    try:
        page = build(args.out, trust_from(args.trust_list))
    except (TrustListError, SettingsError, VerifierBuildError, OSError) as error:
        print(f"buergerbuero verifier: {error}", file=sys.stderr)
        return 2
    print(
        json.dumps(
            {
                "out": str(page.folder),
                "files": list(page.files),
                "kB": round(page.size / 1024),
                "first_load_kB": round(page.first_load / 1024),
            },
            indent=2,
        )
    )
    return 0
