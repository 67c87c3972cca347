"""The seat through an outage of the central database, in the window: after sign-in the seat
is prepared (its number blocks, the journal's copy of the office's open cases, renewed every
10 minutes); when the health board finds the central database gone, every repository is
pointed at the journal and the offline banner says so; when the board finds it back, the
journal is merged once (database lane), the banner goes and the status line says what was
carried and whether a supervisor has conflicts to decide."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol, cast

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from app.domain.health import Condition, System, SystemHealth
from app.domain.outage import Conflict
from app.domain.users import Role, User
from app.lanes import Lane
from app.ports.outage import MergeOutcome
from app.services.health import HealthBoard
from app.services.outage import OutageDesk
from ui.conflicts_dialog import ConflictsDialog
from ui.i18n import error_text, format_time, tr
from ui.operations import Operation
from ui.tasks import TaskRunner

REFRESH_MS = 10 * 60_000  # the journal's copy, while the central database is there
FIRST_COPY_MS = 2_000
RETRY_MS = 60_000  # a switch or merge that failed is tried again


class Switch(Protocol):
    """Which database the core works on (app.wiring.outage.OutageSwitch)."""

    @property
    def offline(self) -> bool: ...

    def to_journal(self) -> None: ...

    def to_central(self) -> None: ...


class OfflineBanner(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offline-banner")
        self.setWordWrap(True)
        self.setStyleSheet(
            "#offline-banner { background: #fde2e1; border: 1px solid #9b1c1c;"
            " padding: 6px; font-weight: bold; }"
        )
        self.since: dt.datetime | None = None
        self.hide()

    def show_since(self, since: dt.datetime) -> None:
        self.since = since
        self.retranslate()
        self.show()

    def retranslate(self) -> None:
        if self.since is not None:
            self.setText(tr("outage.banner", since=format_time(self.since)))
            self.setAccessibleName(self.text())


class OutageController(QObject):
    """`changed` when the window must read afresh (it now works on the other database);
    `message(text)` for the status line."""

    changed = Signal()
    message = Signal(str)
    _health = Signal(object)  # from the lane that reported, shown on the GUI thread

    def __init__(
        self,
        *,
        runner: TaskRunner,
        desk: OutageDesk,
        switch: Switch,
        board: HealthBoard,
        user: Callable[[], User | None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.runner, self.desk, self.switch, self.board = runner, desk, switch, board
        self._user = user
        self.banner = OfflineBanner(parent)
        self._health.connect(self._on_health)
        board.subscribe(self._health.emit)
        self.timer = QTimer(self)
        self.timer.setObjectName("journal-refresh")
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh_copy)
        self._busy = False
        self._prepared = False
        self._unprepared = False  # the database went while the journal held no copy

    def attach(self, page: QWidget) -> None:
        """The supervisors' button to the merge's conflicts, on `page` (the health page)."""
        self.conflicts_button = QPushButton(tr("conflicts.open"), page)
        self.conflicts_button.clicked.connect(self.open_conflicts)
        self.conflicts_button.hide()
        layout = page.layout()
        if layout is not None:
            layout.addWidget(self.conflicts_button)

    def open_conflicts(self) -> ConflictsDialog | None:
        user, desk = self._user(), self.desk
        if user is None:
            return None
        runner = self.runner

        def load(show: Callable[[list[Conflict]], None]) -> None:
            (
                Operation.on(runner, Lane.DATABASE, lambda: desk.conflicts(user=user))
                .success(show)
                .failure(lambda error: dialog.message.setText(error_text(error)))
                .run()
            )

        def resolve(conflict: Conflict, text: str, then: Callable[[], None]) -> None:
            assert conflict.id is not None
            conflict_id = conflict.id
            (
                Operation.on(
                    runner,
                    Lane.DATABASE,
                    lambda: desk.resolve(user=user, conflict_id=conflict_id, resolution=text),
                )
                .success(lambda _none: then())
                .failure(lambda error: dialog.message.setText(error_text(error)))
                .run()
            )

        dialog = ConflictsDialog(load=load, resolve=resolve, parent=self.banner.parentWidget())
        self.dialog = dialog
        dialog.open()
        dialog.reload()
        return dialog

    def start(self) -> None:
        user = self._user()
        if user is not None and hasattr(self, "conflicts_button"):
            self.conflicts_button.setVisible(user.has_role(Role.SUPERVISOR))
        self.timer.start()
        # the first copy waits for the first screen: the database lane lists the inbox first
        QTimer.singleShot(FIRST_COPY_MS, self, self.refresh_copy)

    def stop(self) -> None:
        self.timer.stop()

    def retranslate(self) -> None:
        self.banner.retranslate()
        if hasattr(self, "conflicts_button"):
            self.conflicts_button.setText(tr("conflicts.open"))

    @property
    def offline(self) -> bool:
        return self.switch.offline

    def _on_health(self, health: SystemHealth) -> None:
        if health.system is not System.DATABASE or self._busy:
            return
        if health.condition is Condition.DOWN and not self.switch.offline:
            self.go_offline()
        elif health.condition is Condition.UP and self.switch.offline:
            self.come_back()

    def _run(self, work: Callable[[], object], done: Callable[[object], None]) -> None:
        self._busy = True

        def finished(result: object) -> None:
            self._busy = False
            done(result)
            self._recheck()

        def failed(error: BaseException) -> None:
            self._busy = False
            self.message.emit(error_text(error))
            if self.switch.offline:  # a merge that failed: tried again in a minute
                QTimer.singleShot(RETRY_MS, self, self._recheck)
            else:  # a copy that failed: the database may be gone, switch now
                self._recheck()

        Operation.on(self.runner, Lane.DATABASE, work).success(finished).failure(failed).run()

    def _recheck(self) -> None:
        """The board reports changes only: one that came while this was busy (the database
        gone during a copy) is acted on now; a journal never prepared is not asked again."""
        health = self.board.health(System.DATABASE)
        if health.condition is Condition.DOWN and self._unprepared:
            return
        self._on_health(health)

    def go_offline(self) -> None:
        desk, switch = self.desk, self.switch

        def divert() -> bool:
            if not desk.journal.prepared():
                return False  # never prepared: nothing to work on; the fault banner says so
            switch.to_journal()
            return True

        def done(diverted: object) -> None:
            self._unprepared = not diverted
            if diverted:
                self.banner.show_since(self.board.clock.now())
                self.changed.emit()

        self._run(divert, done)

    def come_back(self) -> None:
        user = self._user()
        if user is None:
            return
        desk, switch, office = self.desk, self.switch, user.office_id

        def merge() -> MergeOutcome:
            switch.to_central()
            try:
                return desk.merge_back(by=user.login, office_id=office)
            except Exception:
                switch.to_journal()  # gone again: the seat goes on offline, tried again later
                raise

        def done(carried: object) -> None:
            outcome = cast(MergeOutcome, carried)
            self.banner.hide()
            key = "outage.merged_conflicts" if outcome.conflicts else "outage.merged"
            self.message.emit(tr(key, cases=outcome.cases, conflicts=outcome.conflicts))
            self.changed.emit()

        self._run(merge, done)

    def refresh_copy(self) -> None:
        """Blocks (once) and a fresh copy, while the central database is there."""
        user = self._user()
        if user is None or self.switch.offline or self._busy:
            return
        desk, first = self.desk, not self._prepared

        def copy() -> int:
            if first:
                offices = {o.id: o.code for o in desk.users.offices()}
                return desk.prepare(user=user, office=offices[user.office_id]).cases_copied
            return desk.refresh(office_id=user.office_id)

        def done(_copied: object) -> None:
            self._prepared, self._unprepared = True, False

        self._run(copy, done)
