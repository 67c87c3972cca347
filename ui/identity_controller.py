"""Runs the identity dialog: the reader watch polled on the card-reader lane while the dialog
is open (a moment per poll, so a CAN check fits between two), the CAN checked there too, the
result recorded on the database lane. Nothing is recorded until a check is complete."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from app.domain.cases import Case
from app.domain.identity import IdentityLevel
from app.domain.users import User
from app.lanes import Lane
from app.services.desk import CaseDesk
from cardreader.check import CanCheck, check_can
from cardreader.errors import (
    CardError,
    CardMute,
    CardRemoved,
    CardReset,
    NoCard,
    NoReader,
    NoService,
    SharingViolation,
    UnknownCard,
)
from cardreader.watch import SERVICE_BACK, SERVICE_LOST, ReaderEvent, ReaderWatch
from ui.i18n import document_text, error_text, tr
from ui.identity_dialog import IdentityCheckDialog
from ui.tasks import TaskRunner

_CARD_ERRORS: dict[type[CardError], str] = {
    NoService: "identity.reader_service",
    NoReader: "identity.reader_none",
    NoCard: "identity.no_card",
    CardRemoved: "identity.removed",
    CardReset: "identity.removed",
    CardMute: "identity.mute",
    SharingViolation: "identity.busy",
    UnknownCard: "identity.unknown",
}


def card_error_text(error: BaseException) -> str:
    for kind, key in _CARD_ERRORS.items():
        if isinstance(error, kind):
            return tr(key)
    return tr("identity.card_error", detail=type(error).__name__)


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
    ) -> None:
        super().__init__(parent)
        self.runner, self.desk, self._parent, self._make_watch = runner, desk, parent, watch
        self.dialog: IdentityCheckDialog | None = None
        self._watch: ReaderWatch | None = None
        self.reader: str | None = None
        self._service_lost = False

    def open(self, case: Case, user: User) -> IdentityCheckDialog:
        dialog = IdentityCheckDialog(case, self._parent)
        self.dialog, self._watch, self.reader = dialog, self._make_watch(), None
        dialog.check_requested.connect(lambda can: self._check(dialog, can))
        dialog.record_requested.connect(lambda: self._record(dialog, case, user))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()
        self._poll()
        return dialog

    # --- the reader, live ----------------------------------------------------------------------

    def _poll(self) -> None:
        watch, dialog = self._watch, self.dialog
        if watch is None or dialog is None:
            return
        self.runner.run(
            Lane.CARD_READER,
            lambda: (watch.poll(300), watch.readers),
            on_success=lambda result: self._polled(dialog, *result),
            on_failure=lambda error: self._poll_failed(dialog, error),
        )

    def _polled(
        self, dialog: IdentityCheckDialog, events: list[ReaderEvent], readers: dict[str, bool]
    ) -> None:
        if dialog is not self.dialog:
            return
        for event in events:
            if event.kind in (SERVICE_LOST, SERVICE_BACK):
                self._service_lost = event.kind == SERVICE_LOST
        with_card = [name for name, present in readers.items() if present]
        self.reader = with_card[0] if with_card else next(iter(readers), None)
        if self._service_lost:
            dialog.show_reader(tr("identity.reader_service"), card_present=False)
        elif self.reader is None:
            dialog.show_reader(tr("identity.reader_none"), card_present=False)
        elif with_card:
            dialog.show_reader(tr("identity.reader_card", reader=self.reader), card_present=True)
        else:
            dialog.show_reader(tr("identity.reader_empty", reader=self.reader), card_present=False)
        QTimer.singleShot(0, self._poll)

    def _poll_failed(self, dialog: IdentityCheckDialog, error: BaseException) -> None:
        if dialog is not self.dialog:
            return
        dialog.show_reader(card_error_text(error), card_present=False)
        QTimer.singleShot(1000, self._poll)

    # --- the check and the record ------------------------------------------------------------

    def _check(self, dialog: IdentityCheckDialog, can: str) -> None:
        reader = self.reader
        dialog.show_checking()

        def done(result: CanCheck) -> None:
            if dialog is not self.dialog:
                return  # cancelled meanwhile: the answer is dropped
            if result.confirmed:
                dialog.show_confirmed(
                    result.card, tr("identity.confirmed", document=document_text(result.card))
                )
            else:
                dialog.show_refused(tr("identity.rejected"))

        def failed(error: BaseException) -> None:
            if dialog is self.dialog:
                dialog.show_refused(card_error_text(error))

        self.runner.run(
            Lane.CARD_READER,
            lambda: check_can(can, reader=reader),
            on_success=done,
            on_failure=failed,
        )

    def _record(self, dialog: IdentityCheckDialog, case: Case, user: User) -> None:
        method, document, note = dialog.method, dialog.confirmed_document, dialog.note.text()
        desk = self.desk

        def done(changed: Case) -> None:
            dialog.accept()
            self.recorded.emit(changed)

        self.runner.run(
            Lane.DATABASE,
            lambda: desk.verify_identity(
                user=user,
                case_id=case.id,
                level=IdentityLevel.HIGH,
                method=method,
                document=document if method == "card_can" else "",
                note=note if method != "card_can" else "",
            ),
            on_success=done,
            on_failure=lambda error: dialog.show_refused(error_text(error)),
        )

    def _closed(self, dialog: IdentityCheckDialog) -> None:
        if dialog is not self.dialog:
            return
        watch, self.dialog, self._watch = self._watch, None, None
        dialog.deleteLater()
        if watch is not None:
            self.runner.run(
                Lane.CARD_READER,
                watch.close,
                on_success=lambda _r: None,
                on_failure=lambda _e: None,
            )
