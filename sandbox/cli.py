"""`buergerbuero sandbox ...`: run the local FIT-Connect service and send applications into it."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from app.domain.catalogue import default_catalogue
from app.integrations.settings import load_settings
from sandbox.fitconnect.process import SandboxProcess
from sandbox.fitconnect.sender import BAD_KINDS, Sender
from sandbox.fitconnect.setup import prepare


def default_directory() -> Path:
    return load_settings().resolved_data_dir() / "sandbox-fitconnect"


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="buergerbuero sandbox")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the FIT-Connect sandbox until interrupted")
    serve.add_argument("--dir", type=Path, default=None)
    serve.add_argument("--port", type=int, default=8790)
    submit = commands.add_parser("submit", help="send encrypted applications as a portal would")
    submit.add_argument("--service", default="all", help="a service id, or 'all'")
    submit.add_argument("--count", type=int, default=10)
    submit.add_argument("--bad", choices=(*BAD_KINDS, "mixed"), default=None)
    submit.add_argument("--url", default="http://127.0.0.1:8790")
    submit.add_argument("--dir", type=Path, default=None)
    submit.add_argument("--attachment-size", type=int, default=30_000)
    describe = commands.add_parser("describe", help="print the subscriber settings for the app")
    describe.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args(list(argv))
    directory = args.dir or default_directory()
    if args.command == "serve":
        with SandboxProcess(directory, port=args.port) as process:
            print(
                f"FIT-Connect sandbox on {process.base_url} (state in {directory}); Ctrl+C stops it"
            )
            try:
                assert process.process is not None
                process.process.wait()
            except KeyboardInterrupt:
                pass
        return 0
    description = prepare(directory)
    if args.command == "describe":
        print(json.dumps(description, indent=2))
        return 0
    sender = Sender(
        args.url,
        description["destination_id"],
        description["sender_client_id"],
        description["sender_client_secret"],
    )
    services = (
        [s.id for s in default_catalogue().services] if args.service == "all" else [args.service]
    )
    for index in range(args.count):
        bad = BAD_KINDS[index % len(BAD_KINDS)] if args.bad == "mixed" else args.bad
        submission_id = sender.submit(
            services[index % len(services)], bad=bad, attachment_size=args.attachment_size
        )
        print(f"{submission_id} {services[index % len(services)]}{f' ({bad})' if bad else ''}")
    return 0
