"""Taking a job's lease: one seat at a time pulls. A lease is short and renewed while the job
runs; a seat restarted after a crash takes its dead predecessor's lease at once instead of
waiting for it to run out (the holder names the machine and the process)."""

from __future__ import annotations

from collections.abc import Callable

from app.domain.intake import Lease
from app.ports import Leases


def take_lease(
    store: Leases,
    name: str,
    holder: str,
    *,
    seconds: float,
    abandoned: Callable[[str], bool],
) -> Lease:
    """The lease for `seconds`, or who holds it and until when. `abandoned(holder)`: that
    holder is a process of this machine that no longer runs."""
    lease = store.acquire_lease(name, holder, seconds=seconds)
    if not lease.held and lease.holder and abandoned(lease.holder):
        lease = store.acquire_lease(name, holder, seconds=seconds, replacing=lease.holder)
    return lease


def never_abandoned(_holder: str) -> bool:
    return False
