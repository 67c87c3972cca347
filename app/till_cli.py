"""`buergerbuero till status|close|confirm` and `buergerbuero finance export`: a counter's day
as JSON, its closing with the counted cash, the second person's confirmation, and the confirmed
day's file for the finance system. The acting person is the signed-in login (settings.login or
the account). Exit 0 done, 1 refused (a rule says no: a difference without a note, one's own
day, a day not confirmed), 2 cannot (no such office, a bad amount, the database)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

from app.domain.errors import DomainError
from app.domain.till import TillDay
from app.wiring import Core, build_finance, build_till, current_login

AMOUNT = re.compile(r"^(\d{1,7})(?:[,.](\d{1,2}))?$")


def amount_cents(text: str) -> int:
    """'26,50', '26.5' or '26' euros as cents; ValueError otherwise."""
    match = AMOUNT.match(text.strip())
    if not match:
        raise ValueError(f"not an amount in euros: {text!r} (e.g. 26,50)")
    return int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))


def _day_json(day: TillDay) -> dict[str, object]:
    return {
        "counter": day.counter,
        "day": day.day.isoformat(),
        "state": day.state.value,
        "expected_cash_cents": day.expected_cash_cents,
        "counted_cash_cents": day.counted_cash_cents,
        "difference_cents": day.difference_cents,
        "card_cents": day.card_cents,
        "closed_by": day.closed_by or None,
        "confirmed_by": day.confirmed_by or None,
        "note": day.note or None,
    }


def till_command(core: Core, args: argparse.Namespace) -> int:
    command = f"buergerbuero {args.command} {getattr(args, 'till_action', 'export')}"
    try:
        office = next(o for o in core.users.offices() if o.code == args.office.upper())
    except StopIteration:
        print(f"{command}: no office {args.office}", file=sys.stderr)
        return 2
    try:
        day = dt.date.fromisoformat(args.day) if args.day else None
    except ValueError:
        print(f"{command}: --day must be YYYY-MM-DD, not {args.day!r}", file=sys.stderr)
        return 2
    try:
        if args.command == "finance":
            return _export(core, office.id, day or core.clock.now().date(), args.out)
        desk = build_till(core)
        if args.till_action == "status":
            view = desk.view(office_id=office.id, counter=args.counter, day=day)
            shown = _day_json(view.day) | {
                "cash_cents": view.totals.cash_cents,
                "bookings": view.totals.bookings,
                "cancellations": view.totals.cancellations,
            }
            print(json.dumps(shown, ensure_ascii=False, indent=1))
            return 0
        if args.till_action == "close" and args.counted is None:
            print(
                f"{command}: --counted (the cash counted, e.g. 26,50) is required", file=sys.stderr
            )
            return 2
        counted = amount_cents(args.counted) if args.till_action == "close" else 0
        user = core.users.by_login(current_login(core.settings))
        if user is None:
            print(f"{command}: {current_login(core.settings)} is no user here", file=sys.stderr)
            return 2
        if args.till_action == "close":
            closed = desk.close_day(
                user=user,
                office_id=office.id,
                counter=args.counter,
                counted_cents=counted,
                note=args.note or "",
                day=day,
            )
            print(json.dumps(_day_json(closed), ensure_ascii=False, indent=1))
            return 0
        confirmed = desk.confirm_day(user=user, office_id=office.id, counter=args.counter, day=day)
        print(json.dumps(_day_json(confirmed), ensure_ascii=False, indent=1))
        return 0
    except ValueError as error:
        print(f"{command}: {error}", file=sys.stderr)
        return 2
    except DomainError as error:
        print(f"{command}: {error.text(core.settings.language)}", file=sys.stderr)
        return 1


def _export(core: Core, office_id: int, day: dt.date, out: Path | None) -> int:
    if out is None:
        print("buergerbuero finance export: --out FILE is required", file=sys.stderr)
        return 2
    written = build_finance(core).export_day(office_id, day, out)
    print(json.dumps({"file": str(out), "bookings": written, "day": day.isoformat()}))
    return 0
