"""`buergerbuero health`: try every remote system this seat has set up, now, and print each
one's state as JSON (the health view's table). Exit 0 every one answered, 1 one or more are
down, 2 cannot check (the settings)."""

from __future__ import annotations

import json

from app.domain.health import Condition
from app.wiring import Core, health_probes


def health_command(core: Core) -> int:
    systems = health_probes(core).run_all()
    down = [health.system.value for health in systems if health.condition is Condition.DOWN]
    print(json.dumps({"systems": [h.as_json() for h in systems], "down": down}, indent=1))
    return 1 if down else 0
