"""The virtual ID card as a process:
`python -m sandbox.virtual_card --can 123456 [--kind eat] [--short-read-warning]` puts it into
the virtual reader and keeps it there until SIGTERM or Ctrl+C (then it is taken out).
`buergerbuero sandbox card insert | remove` runs and ends it."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Sequence

from sandbox.virtual_card.chip import Chip, Personality
from sandbox.virtual_card.vpcd import VirtualCard


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.virtual_card")
    parser.add_argument("--can", default="123456")
    parser.add_argument("--pin", default="123456")
    # the same to a terminal without terminal authentication: which one, only the data says
    parser.add_argument("--kind", choices=("npa", "eat"), default="npa")
    parser.add_argument(
        "--short-read-warning",
        action="store_true",
        help="answer READ BINARY Le=00 on a short file with 6282 (a real nPA: 9000)",
    )
    parser.add_argument("--port", type=int, default=None)
    args = parser.parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda _number, _frame: stop.set())
    card = VirtualCard(
        Chip(
            Personality(
                kind=args.kind,
                can=args.can,
                pin=args.pin,
                short_read_warning=args.short_read_warning,
            )
        ),
        port=args.port,
    )
    card.insert()
    print(f"virtual {args.kind} card (CAN {args.can}) in the reader", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    card.remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
