"""The window's payment commands: the till's day ("Kasse / Tagesabschluss…"), the payment
link for the case on screen ("Zahlungslink senden": created on the platform, then sent by mail
and SMS, on the network lane), and the platform asked every minute (ui.payment_sync)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from app.domain.users import Office, User
from app.lanes import Lane
from app.services.fees import FeeDesk
from app.services.payments import LinkNotice, PaymentDesk, SyncReport
from ui.i18n import error_text, tr
from ui.operations import Operation
from ui.payment_sync import PaymentSync
from ui.tasks import TaskRunner
from ui.till_controller import TillController
from ui.till_dialog import TillDialog


class PaymentCommands(QObject):
    def __init__(
        self,
        *,
        runner: TaskRunner,
        fees: FeeDesk | None,
        payments: PaymentDesk | None,
        user: Callable[[], User],
        offices: Callable[[], list[Office]],
        case_id: Callable[[], int | None],
        changed: Callable[[], None],
        message: Callable[[str], None],
        parent: QWidget,
        receipt: Callable[[int], tuple[bytes, str]] | None = None,
        printer: str = "",
    ) -> None:
        super().__init__(parent)
        self.runner, self.fees, self.payments = runner, fees, payments
        self._user, self._offices, self._case_id = user, offices, case_id
        self._changed, self._message, self._parent = changed, message, parent
        self.sync = (
            PaymentSync(runner=runner, desk=payments, changed=changed, parent=parent)
            if payments is not None
            else None
        )
        self._receipt, self._printer = receipt, printer
        if self.sync is not None:  # the platform down is said, not silently waited out
            self.sync.synced.connect(self._synced)
        self.till: TillController | None = None
        self.till_dialog: TillDialog | None = None

    def _synced(self, report: SyncReport) -> None:
        if report.unreachable:
            self._message(tr("payment.platform_down", count=report.unreachable))

    def open_till(self) -> TillDialog | None:
        if self.fees is None:
            return None
        self.till = TillController(
            runner=self.runner,
            desk=self.fees.till,
            counter=self.fees.counter,
            user=self._user,
            offices=self._offices,
            parent=self._parent,
            receipt=self._receipt,
            printer=self._printer,
        )
        self.till_dialog = self.till.open()
        return self.till_dialog

    def send_link(self) -> None:
        """A payment on the platform for the shown case's open fee, and its link to the
        citizen; the status bar says by which channels (or why not)."""
        desk, case_id, user = self.payments, self._case_id(), self._user()
        if desk is None:
            self._message(tr("payment.not_configured_short"))
            return
        if case_id is None:
            return

        def create_and_send() -> LinkNotice:
            desk.create_link(user=user, case_id=case_id)
            return desk.send_link(user=user, case_id=case_id)

        def sent(notice: LinkNotice) -> None:
            self._changed()
            said = []
            if notice.sent:
                said.append(tr("payment.link_sent", channels=", ".join(notice.sent)))
            if notice.waiting:
                said.append(tr("payment.link_queued", channels=", ".join(notice.waiting)))
            self._message(" ".join(said) or tr("payment.link_not_sent"))

        (
            Operation.on(self.runner, Lane.NETWORK, create_and_send)
            .success(sent)
            .failure(lambda error: self._message(error_text(error)))
            .run()
        )
