"""`buergerbuero timestamps add`: the originals sealed while the time-stamping service did not
answer (PAdES B-B, marked in the register) get their document timestamp now, in a new revision
of the stored PDF, audited (schedulable, like `outbox send`). JSON on stdout: how many were
stamped and how many still wait. Exit 0, or 2 when it cannot (no TSA set up, the TSA still
does not answer, the database)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from app.arguments import Commands, run_alone


def add_commands(commands: Commands) -> None:
    root = commands.add_parser(
        "timestamps", help="add the timestamp to originals sealed while the TSA was down (JSON)"
    )
    root.add_argument("timestamps_action", choices=("add",))
    root.set_defaults(handler=run)


def main(argv: Sequence[str]) -> int:
    return run_alone("timestamps", add_commands, argv)


def run(args: argparse.Namespace) -> int:
    from app.domain.errors import Explained
    from app.integrations.settings import SettingsError, load_settings
    from app.wiring import build_core, current_login
    from printing import pades
    from printing.late_timestamps import stamp_waiting

    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"buergerbuero timestamps: {error}", file=sys.stderr)
        return 2
    timestamper = pades.timestamper_for(settings.seal_timestamp_url)
    if timestamper is None:
        print("buergerbuero timestamps: no TSA is set up (seal_timestamp_url)", file=sys.stderr)
        return 2
    core = build_core(settings)
    try:
        core.check_schema()
        before = len(core.documents.awaiting_timestamp(limit=100_000))
        stamped = stamp_waiting(
            core.documents, timestamper, by=current_login(settings), clock=core.clock
        )
        print(json.dumps({"stamped": stamped, "waiting": 0}))
        return 0
    except pades.TimestampUnavailable:
        left = len(core.documents.awaiting_timestamp(limit=100_000))
        print(json.dumps({"stamped": before - left, "waiting": left}))
        print("buergerbuero timestamps: the TSA does not answer; try again later", file=sys.stderr)
        return 2
    except Explained as error:
        print(f"buergerbuero timestamps: {error.text(settings.language)}", file=sys.stderr)
        return 2
    finally:
        core.close()
