"""`buergerbuero health`: try every remote system this seat has set up, now, and print each
one's state as JSON (the health view's table). Exit 0 every one answered, 1 one or more are
down, 2 cannot check (the settings). `buergerbuero outbox send|status`: the messages to
citizens that wait (send: exit 2 when a relay or gateway did not answer; status: exit 1 when
any waits)."""

from __future__ import annotations

import json

from app.domain.health import Condition
from app.wiring import Core, health_probes


def health_command(core: Core) -> int:
    systems = health_probes(core).run_all()
    down = [health.system.value for health in systems if health.condition is Condition.DOWN]
    print(json.dumps({"systems": [h.as_json() for h in systems], "down": down}, indent=1))
    return 1 if down else 0


def outbox_command(core: Core, action: str) -> int:
    sender = core.desk.outbox
    assert sender is not None  # build_core wires it
    if action == "send":
        report = sender.send_due()
        print(json.dumps(report.as_json(), indent=1))
        return 2 if report.unreachable else 0
    summary = sender.summary()
    shown = {
        "waiting": {channel.value: count for channel, count in summary.waiting.items()},
        "refused": summary.refused,
        "oldest": summary.oldest.isoformat(timespec="seconds") if summary.oldest else None,
        "pending": {kind.value: count for kind, count in summary.pending.items()},
    }
    print(json.dumps(shown, indent=1))
    return 0 if summary.nothing_waits else 1
