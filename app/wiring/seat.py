"""Who holds a lease: this machine and process; and whether a holder of this machine is gone."""

from __future__ import annotations

import os
import socket


def seat_holder() -> str:
    """Who holds a lease: this machine and process, so a dead seat's lease is recognisable."""
    return f"{socket.gethostname()}:{os.getpid()}"


def holder_is_gone(holder: str) -> bool:
    """A lease holder (`seat_holder`) that is a process of this machine which no longer runs:
    this seat, restarted after a crash, or another dead one here. Another machine's holder
    is never judged from here; its lease runs out by itself."""
    host, _, pid = holder.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # it runs, as another user
        return False
    return False
