"""`buergerbuero payment sync|status`: ask the payment platform about every payment still
waiting (schedulable), or show one case's fee and payment as JSON. Exit 0 done or paid, 1 not
paid, 2 cannot check (no platform set up, the platform unreachable, no such case)."""

from __future__ import annotations

import json
import sys

from app.domain.inbox import InboxQuery
from app.wiring import Core, build_payments


def payment_command(core: Core, action: str, reference: str | None) -> int:
    desk = build_payments(core)
    if action == "sync":
        if desk.platform is None:
            print("buergerbuero payment: no payment platform is set up", file=sys.stderr)
            return 2
        report = desk.sync()
        print(json.dumps(report.as_json(), indent=1))
        return 2 if report.unreachable else 0
    if not reference:
        print("buergerbuero payment status: name the case's reference", file=sys.stderr)
        return 2
    rows = core.desk.inbox_page(InboxQuery(search=reference), offset=0, limit=5)
    row = next((r for r in rows if r.reference == reference.strip().upper()), None)
    if row is None:
        print(f"buergerbuero payment status: no case {reference}", file=sys.stderr)
        return 2
    case = core.cases.get(row.id)
    payment = desk.for_case(case.id)
    shown: dict[str, object] = {
        "reference": case.reference,
        "fee_cents": case.fee_cents,
        "payment": case.payment.value,
        "payment_reference": case.payment_reference,
        "platform": None,
    }
    if payment is not None:
        shown["platform"] = {
            "source": payment.source.value,
            "status": payment.status.value,
            "amount_cents": payment.amount_cents,
            "kassenzeichen": payment.reference,
            "method": payment.method,
            "paid_at": payment.paid_at.isoformat() if payment.paid_at else None,
            "next_check_at": payment.next_check_at.isoformat() if payment.next_check_at else None,
            "problem": payment.problem or None,
        }
    print(json.dumps(shown, ensure_ascii=False, indent=1))
    return 1 if case.fee_due else 0
