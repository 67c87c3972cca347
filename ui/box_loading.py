"""Loading the pickup box from its page: the dialog's way from the scan to the code sent, and,
where four eyes are required, the second clerk's confirmation at their own seat (the loading
waits in "confirming", its door shut, until then). The dialog follows its loading every 2 s;
closing it while the loading still waits for the second clerk withdraws it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from app.domain.errors import DomainError
from app.domain.pickup import BEFORE_THE_ITEM, Loading, LoadingState
from app.lanes import Lane
from ui.box_load_dialog import BoxLoadDialog
from ui.i18n import error_text, language, tr
from ui.operations import Operation

if TYPE_CHECKING:
    from ui.box_page import BoxPage

FOLLOW_LOADING_MS = 2_000  # while its dialog is open, a loading is followed closely
STILL_WAITING = (LoadingState.CONFIRMING, *BEFORE_THE_ITEM)


class BoxLoadingFlow:
    """The page's loadings: `open_dialog` (scan and open), `confirm` and `decline` (the second
    clerk, on the page's "Zu bestätigen" list)."""

    def __init__(self, page: BoxPage) -> None:
        self.page = page
        self.dialog: BoxLoadDialog | None = None

    def open_dialog(self) -> BoxLoadDialog:
        page, rules = self.page, self.page.desk.rules
        dialog = BoxLoadDialog(
            four_eyes=rules.four_eyes, hold_days=rules.default_hold_days, parent=page
        )
        # Enter (the scanner's last key) presses the default button: one load per scan
        dialog.open_button.clicked.connect(lambda: self._load_scanned(dialog))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        waiting = page.waiting_selected()
        if waiting is not None:
            dialog.scanned.setText(waiting.reference)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _load_scanned(self, dialog: BoxLoadDialog) -> None:
        user = self.page.user()
        if user is None:
            return
        desk, office, scanned = self.page.desk, self.page.office_code(), dialog.scanned.text()
        step_free, hold_days = dialog.step_free.isChecked(), dialog.hold_days.value()

        def load() -> tuple[Loading, str]:
            case = desk.find_case(scanned)
            if case is None:
                raise DomainError("box.scan_unknown", scanned=scanned)
            loading = desk.load(
                user=user, case_id=case.id, office=office, step_free=step_free, hold_days=hold_days
            )
            applicant = case.applicant
            service = desk.catalogue.service(case.service_id).name(language())
            name = f"{applicant.given_names} {applicant.family_name}"
            return loading, tr("box.load.for", name=name, reference=case.reference, service=service)

        def done(result: tuple[Loading, str]) -> None:
            loading, for_whom = result
            dialog.citizen.setText(for_whom)  # whose original goes in: the clerk compares
            dialog.following, dialog.seen_state = loading, loading.state
            dialog.open_button.setEnabled(True)
            dialog.show_result(self._state_text(loading))
            self.page.load()
            QTimer.singleShot(FOLLOW_LOADING_MS, dialog, lambda: self._follow(dialog, loading))

        def failed(error: BaseException) -> None:
            dialog.open_button.setEnabled(True)
            dialog.show_result(error_text(error))

        dialog.outcome.setText(tr("box.load.working"))
        dialog.open_button.setEnabled(False)  # a second Enter while the box answers: ignored
        Operation.on(self.page.runner, Lane.NETWORK, load).success(done).failure(failed).run()

    @staticmethod
    def _state_text(loading: Loading, *, was: LoadingState | None = None) -> str:
        key = f"box.load.{loading.state.value}"
        if loading.state is LoadingState.DOOR_OPEN or loading.state is LoadingState.RESERVED:
            key = "box.load.opened"
        elif loading.state is LoadingState.CANCELLED and was is LoadingState.CONFIRMING:
            key = "box.load.withdrawn"
        return tr(key, compartment=loading.compartment, reference=loading.reference)

    def _follow(self, dialog: BoxLoadDialog, loading: Loading) -> None:
        """The dialog follows its loading until the code has gone (or the door closed empty):
        the box's events are caught up on the network lane, the loading read afresh."""
        if not dialog.isVisible() or dialog.following is not loading:
            return  # closed, or the next scan took the dialog over
        desk, office, loading_id = self.page.desk, loading.office_code, loading.id

        def catch_up() -> Loading:
            desk.sync(office)
            return desk.loading(loading_id)

        def shown(now: Loading) -> None:
            if not dialog.isVisible() or dialog.following is not loading:
                return
            was, dialog.seen_state = dialog.seen_state, now.state
            if now.state in STILL_WAITING:
                if now.state is not was:
                    dialog.outcome.setText(self._state_text(now))
                QTimer.singleShot(FOLLOW_LOADING_MS, dialog, lambda: self._follow(dialog, loading))
                return
            dialog.following = None
            dialog.outcome.setText(self._state_text(now, was=was))
            self.page.load()

        (
            Operation.on(self.page.runner, Lane.NETWORK, catch_up)
            .success(shown)
            .failure(self.page.show_failure)
            .run()
        )

    def _closed(self, dialog: BoxLoadDialog) -> None:
        """Closed while its loading waits for the second clerk: the first clerk gives up."""
        loading = dialog.following
        if loading is None or dialog.seen_state is not LoadingState.CONFIRMING:
            return
        dialog.following = None
        self.decline(loading)

    def confirm(self, loading: Loading) -> None:
        """The second clerk (signed in here, as themselves) confirms: the door opens."""
        self._decide(loading, confirmed=True)

    def decline(self, loading: Loading) -> None:
        """The second clerk declines, or the first gives up: the compartment is free again."""
        self._decide(loading, confirmed=False)

    def _decide(self, loading: Loading, *, confirmed: bool) -> None:
        user = self.page.user()
        if user is None:
            return
        desk = self.page.desk
        decide = desk.confirm if confirmed else desk.withdraw
        said = "box.confirmed" if confirmed else "box.withdrawn"
        (
            Operation.on(
                self.page.runner,
                Lane.NETWORK,
                lambda: decide(user=user, loading_id=loading.id),
            )
            .success(lambda done: self.page.done(tr(said, **_named(done))))
            .failure(self.page.show_failure)
            .run()
        )


def _named(loading: Loading) -> dict[str, object]:
    return {"compartment": loading.compartment, "reference": loading.reference}
