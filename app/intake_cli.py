"""`buergerbuero intake`: headless pulls, once or in a loop (the Windows service and scheduled
task run this), anchoring the audit chain as it goes."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from app.domain.errors import DomainError
from app.integrations.settings import SettingsError
from app.services.pull import MAX_BACKOFF_S, Pull
from app.store.database import (
    DatabaseUnavailable,
    SchemaMismatch,
    check_schema,
)
from app.wiring import (
    Core,
    IntakeNotConfigured,
    build_anchoring,
    build_pull,
    build_retention_desk,
    pull_configured,
    seat_holder,
)


def intake_command(core: Core, args: argparse.Namespace) -> int:
    """Headless pulls. With --loop it runs until stopped (SIGTERM, Ctrl+C: after the pull in
    progress, so the lease is released): a portal or database that is down at start or later
    is retried with back-off, never ending the loop."""
    from app.integrations.fitconnect.client import FitConnectRefused, FitConnectUnavailable

    holder = seat_holder()
    if not pull_configured(core.settings):
        raise IntakeNotConfigured(
            "nothing to pull: set fitconnect_api_url, form_folder or form_mailbox_host"
        )
    stop = threading.Event()
    if args.loop:
        signal.signal(signal.SIGTERM, lambda _number, _frame: stop.set())
    interval = max(1, core.settings.intake_interval_seconds)
    delay = interval
    pull: Pull | None = None
    try:
        while True:
            try:
                if pull is None:
                    # here, not before the loop: a database down (or not yet upgraded) at start
                    # is waited for like an outage later
                    check_schema(core.database.engine)
                    pull = build_pull(core, holder=holder)
                result = pull.run_once()
                state = "ok"
                if result.busy or result.lease_lost:
                    until = f"{result.busy_until:%H:%M:%S} UTC" if result.busy_until else "?"
                    what = "busy" if result.busy else "stopped, lease taken over"
                    who = result.busy_holder or "another seat"
                    state = f"{what} ({who} pulls, its lease runs until {until})"
                print(
                    f"intake {state}: {result.received} received ({result.forms} paper forms), "
                    f"{result.quarantined} quarantined, {result.skipped} already known, "
                    f"{result.events_sent} answers sent",
                    flush=True,
                )
                if result.paper_problem is not None:
                    print(f"intake: {result.paper_problem}", file=sys.stderr, flush=True)
                    if not args.loop:
                        return 2  # the rest was pulled; the folder or mailbox was not
                if args.loop:
                    _anchor_if_due(core)
                    _retain_if_due(core)
                delay = interval
            except (
                FitConnectUnavailable,
                FitConnectRefused,
                DatabaseUnavailable,
                SchemaMismatch,
            ) as error:
                pull = None  # build afresh next time: token, keys, destination
                if not args.loop:
                    print(f"intake: not possible now: {error}", file=sys.stderr, flush=True)
                    return 2
                print(
                    f"intake: not possible now: {error}; next try in {delay} s",
                    file=sys.stderr,
                    flush=True,
                )
                if stop.wait(delay):
                    break
                delay = min(MAX_BACKOFF_S, delay * 2)  # back off while it stays down
                continue
            if not args.loop or stop.wait(delay):
                break
    except KeyboardInterrupt:
        pass
    if args.loop:
        print("intake: stopped", flush=True)
    return 0


def _anchor_if_due(core: Core) -> None:
    """The service anchors the audit chain as it pulls: every audit_anchor_interval_seconds
    and on the first run of each day. A failure is said and tried again next time."""
    anchoring = build_anchoring(core)
    if anchoring is None:
        return
    try:
        if anchoring.due(interval_seconds=core.settings.audit_anchor_interval_seconds):
            print(f"audit anchored: {anchoring.anchor()}", flush=True)
    except (OSError, DomainError) as error:
        print(f"audit anchor: not possible now: {error}", file=sys.stderr, flush=True)


def _retain_if_due(core: Core) -> None:
    """Once a day (across the offices' intake tasks) the retention job deletes what is past
    its period (docs/compliance.md), unless `retention_with_intake` is 0 and it has its own
    schedule. A failure is said and tried again next time; the pull goes on."""
    if not core.settings.retention_with_intake:
        return
    try:
        result = build_retention_desk(core).run_if_due()
    except (OSError, DomainError, SettingsError) as error:
        print(f"retention: not possible now: {error}", file=sys.stderr, flush=True)
        return
    if result is not None:
        print(f"retention ran: {result.summary()}", flush=True)
