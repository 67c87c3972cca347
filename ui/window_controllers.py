"""The window's controllers, made from the core and the window's signed-in state: the inbox,
the case page, the documents, the walk-in and admin dialogs, the intake, the box page and the
health view."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from app.domain.health import System
from app.domain.users import Office, User
from app.services.documents import DocumentDesk
from app.services.outage import OutageDesk
from app.services.pickup import PickupDesk
from app.wiring import Core, current_login, health_probes, outbox_sender
from ui.admin_controller import AdminController
from ui.box_page import BoxPage
from ui.case_page import CasePage
from ui.case_view import CaseView
from ui.document_controller import DocumentController
from ui.health_view import HealthView
from ui.i18n import tr
from ui.inbox_page import InboxPage
from ui.intake_controller import IntakeController, IntakeParts
from ui.operations import Operation
from ui.outage_controller import OutageController, Switch
from ui.tasks import Lane, TaskRunner
from ui.walk_in_controller import WalkInController

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from printing.trust_list import TrustList


class Window(Protocol):
    """What the controllers read of the window: who is signed in, the offices, the staff."""

    user: User | None
    offices: list[Office]
    staff: list[User]

    def signed_in_user(self) -> User: ...


@dataclass(frozen=True)
class Controllers:
    documents: DocumentController | None
    inbox: InboxPage
    case_page: CasePage
    walk_in: WalkInController
    admin: AdminController
    intake: IntakeController | None
    box_page: BoxPage | None
    health: HealthView
    outage: OutageController | None


def _no_trust_list() -> TrustList:
    from printing.trust_list import TrustListError

    raise TrustListError(tr("verify.no_trust_list"))


def build_controllers(
    parent: QWidget,
    window: Window,
    *,
    core: Core,
    runner: TaskRunner,
    intake_parts: IntakeParts | None,
    documents: DocumentDesk | None,
    trust: Callable[[], TrustList] | None,
    pickup: PickupDesk | None,
    box_offices: list[str] | None,
    outage: tuple[OutageDesk, Switch] | None = None,
) -> Controllers:
    documents_controller = (
        DocumentController(
            runner=runner,
            desk=documents,
            user=window.signed_in_user,
            printer=core.settings.printer_name,
            trust=trust or _no_trust_list,
            parent=parent,
        )
        if documents is not None
        else None
    )
    inbox = InboxPage(
        desk=core.desk,
        catalogue=core.catalogue,
        runner=runner,
        page_size=core.settings.page_size,
        now=core.clock.now,
        offices=lambda: window.offices,
        user=lambda: window.user,
    )
    case_page = CasePage(
        desk=core.desk,
        view=CaseView(core.catalogue, core.calendar),
        runner=runner,
        user=window.signed_in_user,
        staff=lambda: window.staff,
        offices=lambda: window.offices,
        documents=documents_controller,
        parent=parent,
    )
    walk_in = WalkInController(
        runner=runner,
        desk=core.desk,
        catalogue=core.catalogue,
        today=lambda: core.clock.now().date(),
        parent=parent,
    )
    admin = AdminController(
        runner=runner,
        users=core.users,
        audit=core.audit,
        clock=core.clock,
        actor=window.signed_in_user,
        parent=parent,
    )
    intake = (
        IntakeController(
            runner=runner,
            parts=intake_parts,
            user=window.signed_in_user,
            interval_seconds=core.settings.intake_interval_seconds,
            parent=parent,
        )
        if intake_parts is not None
        else None
    )
    box_page = (
        BoxPage(
            runner=runner,
            desk=pickup,
            offices=box_offices or [],
            user=lambda: window.user,
            parent=parent,
        )
        if pickup is not None
        else None
    )
    core.desk.outbox = outbox_sender(  # its database calls on the window's database lane
        core.desk.notifier, core.database, core.clock, on_lane=runner.on(Lane.DATABASE)
    )
    health = HealthView(
        runner=runner,
        board=core.health,
        probes=health_probes(core, database=runner.on(Lane.DATABASE)),
        outbox=core.desk.outbox.round,
        parent=parent,
    )
    offline = (
        OutageController(
            runner=runner,
            desk=outage[0],
            switch=outage[1],
            board=core.health,
            user=lambda: window.user,
            parent=parent,
        )
        if outage is not None
        else None
    )
    if offline is not None:
        offline.attach(health.page)
    if documents is not None and core.settings.seal_timestamp_url:
        health.when_up(System.TSA, lambda: stamp_late(runner, core))
    return Controllers(
        documents_controller, inbox, case_page, walk_in, admin, intake, box_page, health, offline
    )


def stamp_late(runner: TaskRunner, core: Core) -> None:
    """The TSA answers (again): originals sealed without it get their timestamp now (printing
    lane; the register on the database lane)."""
    from printing.late_timestamps import stamp_waiting
    from printing.pades import timestamper_for

    timestamper = timestamper_for(core.settings.seal_timestamp_url)
    if timestamper is None:
        return
    database, login = runner.on(Lane.DATABASE), current_login(core.settings)

    def stamp() -> int:  # by the seat's login: it may run before the sign-in is through
        return stamp_waiting(
            core.documents, timestamper, by=login, clock=core.clock, database=database
        )

    # a TSA that stops again mid-way is the health view's to show; the rest waits for it
    Operation.on(runner, Lane.PRINTING, stamp).success(lambda _n: None).failure(
        lambda _error: None
    ).run()
