"""`buergerbuero outage prepare|status|merge|conflicts|drill`: a seat made ready for an outage
of the central database (number blocks, the journal's copy), what its journal holds, the merge
back by hand, the supervisors' conflict list, and the rehearsal on a scratch database. JSON on
stdout where a machine reads it. Exit 0 done, 1 a negative answer (open conflicts, offline work
not merged, a drill step failed), 2 cannot (no such user or office, the database)."""

from __future__ import annotations

import argparse
import json
import sys

from app.domain.errors import DomainError, PermissionDenied
from app.integrations.settings import Settings
from app.wiring import Core, current_login


def drill_command(settings: Settings) -> int:
    """The rehearsal: each step on stderr as it goes, the whole as JSON on stdout."""
    from app.wiring.outage_drill import run_drill

    drill = run_drill(login=current_login(settings), say=lambda line: print(line, file=sys.stderr))
    print(json.dumps(drill.as_json(), indent=1))
    return 0 if drill.ok else 1


def outage_command(core: Core, args: argparse.Namespace) -> int:
    action = args.outage_action
    command = f"buergerbuero outage {action}"
    login = current_login(core.settings)
    from app.wiring.outage import build_outage

    user = core.users.by_login(login)
    if user is None:
        print(f"{command}: {login} is no user here (buergerbuero users save)", file=sys.stderr)
        return 2
    desk, _switch = build_outage(core)
    offices = {o.code: o.id for o in core.users.offices()}
    office = (args.office or "").upper() or next(
        (code for code, id_ in offices.items() if id_ == user.office_id), ""
    )
    if office not in offices:
        print(f"{command}: no office {office or '(none)'}", file=sys.stderr)
        return 2
    try:
        if action == "prepare":
            print(json.dumps(desk.prepare(user=user, office=office).as_json(), indent=1))
            return 0
        if action == "merge":
            outcome = desk.merge_back(by=user.login, office_id=offices[office])
            print(json.dumps(outcome.as_json(), indent=1))
            return 1 if outcome.conflicts else 0
        if action == "conflicts":
            conflicts = desk.conflicts(user=user)
            shown = [
                {
                    "id": c.id,
                    "kind": c.kind.value,
                    "reference": c.reference,
                    "seat": c.seat,
                    "found_at": c.found_at.isoformat(timespec="seconds"),
                    "central": c.central,
                    "journal": c.local,
                }
                for c in conflicts
            ]
            print(json.dumps(shown, indent=1, ensure_ascii=False))
            return 1 if conflicts else 0
        work = desk.journal.offline_work()
        status = {
            "seat": desk.seat,
            "journal_prepared": desk.journal.prepared(),
            "offline_work": work,
            "blocks": [
                {"series": b.series.value, "year": b.year, "first": b.first, "last": b.last}
                for b in desk.blocks.blocks(desk.seat)
            ],
        }
        print(json.dumps(status, indent=1))
        return 1 if any(work.values()) else 0
    except PermissionDenied as error:
        print(f"{command}: {error.text(core.settings.language)}", file=sys.stderr)
        return 2
    except DomainError as error:
        print(f"{command}: {error.text(core.settings.language)}", file=sys.stderr)
        return 1
