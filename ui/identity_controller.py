"""Runs the identity dialog on the identity flow (cardreader.identity_flow): while the dialog is
open the reader watch is polled on the card-reader lane (a moment per poll, so a check fits
between two), the flow told what it saw and given its device step there too; the clerk's CAN
goes to the flow on the same lane. The dialog shows each state; the result is recorded on the
database lane, nothing before a check is complete."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from app.domain.cases import Case
from app.domain.identity import IdentityLevel
from app.domain.users import User
from app.lanes import Lane
from app.services.desk import CaseDesk, IdentityOffer
from cardreader.identity_flow import FlowView, IdentityFlow
from cardreader.mrz import AccessKey
from cardreader.watch import SERVICE_BACK, SERVICE_LOST, ReaderWatch
from ui.i18n import error_text
from ui.identity_dialog import IdentityCheckDialog
from ui.operations import Operation
from ui.tasks import TaskRunner


class IdentityController(QObject):
    """`recorded(case)` once a verification is stored."""

    recorded = Signal(object)

    def __init__(
        self,
        *,
        runner: TaskRunner,
        desk: CaseDesk,
        parent: QWidget,
        watch: Callable[[], ReaderWatch] = ReaderWatch,
        flow: Callable[[], IdentityFlow] = IdentityFlow,
    ) -> None:
        super().__init__(parent)
        self.runner, self.desk, self._parent = runner, desk, parent
        self._make_watch, self._make_flow = watch, flow
        self.dialog: IdentityCheckDialog | None = None
        self._watch: ReaderWatch | None = None
        self._flow: IdentityFlow | None = None
        self._service_lost = False  # read and written on the card-reader lane only

    def open(self, case: Case, user: User) -> IdentityCheckDialog:
        dialog = IdentityCheckDialog(case, self._parent)
        self.dialog, self._watch, self._flow = dialog, self._make_watch(), self._make_flow()
        self._service_lost = False
        dialog.check_requested.connect(lambda can: self._check(dialog, can))
        dialog.mrz_requested.connect(lambda key: self._check(dialog, key))
        dialog.record_requested.connect(lambda: self._record(dialog, case, user))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()
        self._poll()
        self._look_for_offer(dialog, case, user)
        return dialog

    def _look_for_offer(self, dialog: IdentityCheckDialog, case: Case, user: User) -> None:
        """A check of this sitting for the same person, to take over (database lane)."""
        desk = self.desk

        def offered(offer: IdentityOffer | None) -> None:
            if offer is not None and dialog is self.dialog:
                dialog.offer_take_over(offer)

        (
            Operation.on(
                self.runner,
                Lane.DATABASE,
                lambda: desk.identity_offer(user=user, case_id=case.id),
            )
            .success(offered)
            .failure(lambda _error: None)  # no offer: the clerk checks as always
            .run()
        )

    # --- the reader, live ----------------------------------------------------------------------

    def _poll(self) -> None:
        watch, flow, dialog = self._watch, self._flow, self.dialog
        if watch is None or flow is None or dialog is None:
            return

        def look() -> FlowView:
            for event in watch.poll(300):
                if event.kind in (SERVICE_LOST, SERVICE_BACK):
                    self._service_lost = event.kind == SERVICE_LOST
            flow.observe(watch.readers, service_lost=self._service_lost)
            return flow.work()  # recognising a card, or PACE resumed after it moved

        (
            Operation.on(self.runner, Lane.CARD_READER, look)
            .success(lambda view: self._shown(dialog, view, then=0))
            .failure(lambda _error: self._shown(dialog, flow.view(), then=1000))
            .run()
        )

    def _shown(self, dialog: IdentityCheckDialog, view: FlowView, *, then: int) -> None:
        if dialog is not self.dialog:
            return  # closed meanwhile: the answer is dropped
        dialog.show_flow(view)
        QTimer.singleShot(then, self._poll)

    # --- the check and the record ------------------------------------------------------------

    def _check(self, dialog: IdentityCheckDialog, access: str | AccessKey) -> None:
        """The CAN (an ID card's, or a passport's) or a passport's MRZ data to the chip."""
        flow = self._flow
        if flow is None:
            return

        def ask() -> FlowView:
            if isinstance(access, AccessKey):
                flow.enter_mrz(access)
            else:
                flow.enter_can(access)
            return flow.work()

        (
            Operation.on(self.runner, Lane.CARD_READER, ask)
            .success(lambda view: dialog.show_flow(view) if dialog is self.dialog else None)
            .failure(lambda error: dialog.outcome.setText(error_text(error)))
            .run()
        )

    def _record(self, dialog: IdentityCheckDialog, case: Case, user: User) -> None:
        method, document, note = dialog.method, dialog.confirmed_document, dialog.note.text()
        if method == "passport_chip":
            document, note = "passport", dialog.passport.note(user.display_name)
        elif method == "eid_on_site":
            document, note = "german-eid", dialog.on_site.note(user.display_name)
        offer = dialog.offer if dialog.taking_over else None
        desk = self.desk

        def done(changed: Case) -> None:
            dialog.accept()
            self.recorded.emit(changed)

        def record() -> Case:
            if offer is not None:
                return desk.take_over_identity(
                    user=user, case_id=case.id, source_case_id=offer.case_id
                )
            return desk.verify_identity(
                user=user,
                case_id=case.id,
                level=IdentityLevel.HIGH,
                method=method,
                document=document if method != "counter_visual" else "",
                note=note if method != "card_can" else "",
            )

        (
            Operation.on(self.runner, Lane.DATABASE, record)
            .success(done)
            .failure(lambda error: dialog.outcome.setText(error_text(error)))
            .run()
        )

    def _closed(self, dialog: IdentityCheckDialog) -> None:
        if dialog is not self.dialog:
            return
        watch, self.dialog, self._watch, self._flow = self._watch, None, None, None
        dialog.deleteLater()
        if watch is not None:
            (
                Operation.on(self.runner, Lane.CARD_READER, watch.close)
                .success(lambda _r: None)
                .failure(lambda _e: None)
                .run()
            )
