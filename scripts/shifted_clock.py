"""Run a command with the system clock moved, for it and every process it starts:

    python scripts/shifted_clock.py +365d -- python -m pytest tests/domain

libfaketime as the locked PyPI package `libfaketime` builds it (LD_PRELOAD). Debian's
libfaketime 0.9.10 breaks Python 3.11: time.sleep fails with EINVAL where the monotonic clock
is left true, and timed waits hang where it is not. Only the wall clock moves here; the
monotonic clock, which timeouts use, stays true.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print("usage: shifted_clock.py OFFSET -- COMMAND [ARGS...]  (OFFSET: +365d, -365d)")
        return 2
    import libfaketime

    library = Path(libfaketime.__file__).parent / "vendor" / "libfaketime" / "src"
    preload = str(library / "libfaketime.so.1")
    environment = {
        **os.environ,
        "LD_PRELOAD": ":".join(filter(None, (preload, os.environ.get("LD_PRELOAD")))),
        "FAKETIME": argv[0],
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "DONT_FAKE_MONOTONIC": "1",  # the name older builds read
        # Dovecot (the forms mailbox's stand-in) keeps the true time: its penalty for a wrong
        # password mixes the wall clock with the monotonic one and then never answers. What
        # this run checks is our code's calendar, not an IMAP server's.
        "FAKETIME_SKIP_CMDS": "dovecot,anvil,log,config,stats,auth,imap-login,imap",
    }
    os.execvpe(argv[2], argv[2:], environment)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
