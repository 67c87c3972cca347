"""The case page's actions as one table: which dialog asks the clerk first (if any), what it
contributes, and which use case runs on the database lane. Adding an action is a row here and a
member of app.domain.cases.CaseAction, whose preconditions say when it is offered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from app.domain.cases import Case, CaseAction, PaymentState
from app.domain.users import Role, User
from app.services.desk import CaseDesk
from ui.dialogs import (
    AnswerDialog,
    ApproveDialog,
    PaymentDialog,
    ReassignDialog,
    RejectDialog,
    ReleaseUnpaidDialog,
)

AskDialog = Callable[[QWidget, list[User], Case], QDialog]  # parent, staff, the case
UseCase = Callable[..., object]


@dataclass(frozen=True)
class CaseCommand:
    """`dialog` asks first (OK runs the use case); `values` reads what the clerk entered, on
    the GUI thread; `run(desk, user=, case_id=, **values)` is the use case."""

    action: CaseAction
    run: Callable[[CaseDesk], UseCase]
    dialog: AskDialog | None = None
    values: Callable[[Any], dict[str, Any]] = lambda _dialog: {}


def _take_fee(desk: CaseDesk) -> UseCase:
    """At the till where it is wired (cash, card: a receipt); else recorded on the case."""
    if desk.fees is not None:
        return desk.fees.take

    def record(*, user: User, case_id: int, way: str, reference: str, **_other: object) -> object:
        return desk.record_payment(
            user=user, case_id=case_id, state=PaymentState(way), reference=reference
        )

    return record


def _clerks(staff: list[User]) -> list[User]:
    return [user for user in staff if user.active and user.has_role(Role.CLERK)]


COMMANDS: dict[CaseAction, CaseCommand] = {
    command.action: command
    for command in (
        CaseCommand(CaseAction.CLAIM, lambda desk: desk.claim),
        CaseCommand(CaseAction.RELEASE, lambda desk: desk.release),
        CaseCommand(
            CaseAction.REASSIGN,
            lambda desk: desk.reassign,
            dialog=lambda parent, staff, _case: ReassignDialog(_clerks(staff), parent),
            values=lambda dialog: {"to_login": dialog.login(), "reason": dialog.reason.text()},
        ),
        CaseCommand(
            CaseAction.PAYMENT,
            _take_fee,
            dialog=lambda parent, _staff, case: PaymentDialog(parent, fee_cents=case.fee_cents),
            values=lambda dialog: {
                "way": dialog.way(),
                "reference": dialog.reference.text().strip(),
                "fee_cents": dialog.fee_cents(),
                "reason": dialog.reason.text().strip(),
            },
        ),
        # approving takes a register number: it asks first
        CaseCommand(
            CaseAction.APPROVE,
            lambda desk: desk.approve,
            dialog=lambda parent, _staff, _case: ApproveDialog(parent),
        ),
        CaseCommand(CaseAction.HAND_OVER, lambda desk: desk.hand_over),
        CaseCommand(
            CaseAction.RECORD_ANSWER,
            lambda desk: desk.record_answer,
            dialog=lambda parent, _staff, _case: AnswerDialog(parent),
            values=lambda dialog: {
                "channel": dialog.chosen(),
                "summary": dialog.summary.toPlainText(),
            },
        ),
        CaseCommand(
            CaseAction.RELEASE_UNPAID,
            lambda desk: desk.release_unpaid,
            dialog=lambda parent, _staff, _case: ReleaseUnpaidDialog(parent),
            values=lambda dialog: {"reason": dialog.text()},
        ),
        CaseCommand(
            CaseAction.REJECT,
            lambda desk: desk.reject,
            dialog=lambda parent, _staff, _case: RejectDialog(parent),
            values=lambda dialog: {"reason": dialog.text()},
        ),
    )
}
