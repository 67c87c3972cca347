"""The wired core: the database (a server password from the keyring), the repositories, the
catalogue as this seat offers it, the working-day calendar, the case desk."""

from __future__ import annotations

import getpass
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.catalogue import Catalogue, default_catalogue
from app.domain.errors import CatalogueError
from app.domain.health import System
from app.domain.working_days import WorkingCalendar
from app.integrations.clock import SystemClock
from app.integrations.holiday_calendar import nrw_working_days
from app.integrations.mail import SmtpMailer
from app.integrations.notifier import MailAndSms
from app.integrations.private_folder import private_folder
from app.integrations.settings import Settings, SettingsError, setting_numbers
from app.lanes import OnLane, in_place
from app.ports import CitizenNotifier, Clock
from app.services.desk import CaseDesk
from app.services.fees import FeeDesk
from app.services.health import HealthBoard
from app.services.outbox import OutboxSender
from app.store.audit import SqlAuditLog
from app.store.cases import SqlCaseRepository
from app.store.database import (
    Database,
    DatabaseUnavailable,
    check_schema,
    make_engine,
    parse_database_url,
    with_verified_server,
)
from app.store.documents import SqlDocumentRegister
from app.store.intake import SqlIntakeStore
from app.store.outbox import SqlOutbox
from app.store.payments import SqlPaymentRepository
from app.store.register_facts import SqlRegisterConfirmations
from app.store.till import SqlTillJournal
from app.store.users import SqlUserDirectory
from app.wiring.secret_store import DATABASE_PASSWORD_SECRET, SMS_TOKEN, SMTP_PASSWORD, Secrets
from app.wiring.watched import MAIL_CALLS, SMS_CALLS, watched

if TYPE_CHECKING:
    from app.integrations.sms import HttpSmsGateway


def database_url(settings: Settings, secrets: Secrets | None = None) -> str:
    """The configured URL; a server password, if any, comes from the keyring, never a file; a
    central server only with TLS and its certificate checked (`with_verified_server`)."""
    url = with_verified_server(
        parse_database_url(settings.resolved_database_url()), settings.database_ca_file
    )
    if url.get_backend_name() == "sqlite":
        assert url.database
        try:
            if settings.database_url:  # a folder of the admin's choosing
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            else:  # the seat's own folder: its account's alone
                private_folder(Path(url.database).parent)
        except OSError as error:  # a share that is not mounted, a drive that is not there
            raise DatabaseUnavailable(
                "database.unavailable",
                detail=f"the database's folder cannot be made ({type(error).__name__})",
            ) from error
        return url.render_as_string(hide_password=False)
    if url.password is None:
        password = (secrets or Secrets()).optional(DATABASE_PASSWORD_SECRET)
        if password:
            url = url.set(password=password)
    return url.render_as_string(hide_password=False)


@dataclass
class Core:
    """The wired core: one database, the repositories and the use cases on them."""

    settings: Settings
    database: Database
    cases: SqlCaseRepository
    users: SqlUserDirectory
    audit: SqlAuditLog
    clock: Clock
    catalogue: Catalogue
    calendar: WorkingCalendar
    desk: CaseDesk
    documents: SqlDocumentRegister
    register_confirmations: SqlRegisterConfirmations
    secrets: Secrets = field(default_factory=Secrets)
    # every remote call reports here (the health view)
    health: HealthBoard = field(default_factory=lambda: HealthBoard(SystemClock()))

    def intake_store(self) -> SqlIntakeStore:
        return SqlIntakeStore(self.database)

    def check_schema(self) -> None:
        """SchemaMismatch unless the database is at this version's schema."""
        check_schema(self.database.engine)

    def close(self) -> None:
        self.database.dispose()


def mailer(
    settings: Settings, secrets: Secrets | None = None, health: HealthBoard | None = None
) -> SmtpMailer | None:
    if not settings.smtp_host:
        return None
    password = (secrets or Secrets()).get(SMTP_PASSWORD) if settings.smtp_username else None
    relay = SmtpMailer(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.smtp_sender,
        username=settings.smtp_username,
        password=password,
        starttls=bool(settings.smtp_starttls),
    )
    return watched(relay, System.MAIL, health, MAIL_CALLS)


def sms_gateway(
    settings: Settings, secrets: Secrets, health: HealthBoard | None = None
) -> HttpSmsGateway | None:
    if not settings.sms_gateway_url:
        return None
    from app.integrations.sms import HttpSmsGateway  # libphonenumber's tables: only where used

    token = secrets.get(SMS_TOKEN) or ""
    gateway = HttpSmsGateway(settings.sms_gateway_url, token, sender=settings.sms_sender)
    return watched(gateway, System.SMS, health, SMS_CALLS)


def outbox_sender(
    notifier: CitizenNotifier, database: Database, clock: Clock, *, on_lane: OnLane = in_place
) -> OutboxSender:
    """The outbox's worker on the relay and gateway of `notifier` (the desk's, which this
    wiring made: a MailAndSms); `on_lane`: its database calls (the window's database lane,
    or in place in a command)."""
    assert isinstance(notifier, MailAndSms)
    return OutboxSender(
        outbox=SqlOutbox(database),
        channels=lambda: (notifier.mailer, notifier.sms),
        clock=clock,
        database=on_lane,
    )


def build_core(
    settings: Settings, *, clock: Clock | None = None, secrets: Secrets | None = None
) -> Core:
    secrets = secrets or Secrets()
    database = Database(  # made on first use, on the database lane in the window
        lambda: make_engine(
            database_url(settings, secrets), timeout_ms=settings.database_timeout_ms
        )
    )
    cases, users, audit = (
        SqlCaseRepository(database),
        SqlUserDirectory(database),
        SqlAuditLog(database),
    )
    clock = clock or SystemClock()
    health = HealthBoard(clock)
    database.observer = lambda error: (
        health.failed(System.DATABASE, error) if error else health.succeeded(System.DATABASE)
    )
    notifier = MailAndSms(mailer(settings, secrets, health), sms_gateway(settings, secrets, health))
    catalogue = seat_catalogue(settings)
    calendar = working_calendar(settings, catalogue)
    desk = CaseDesk(
        cases=cases,
        users=users,
        audit=audit,
        clock=clock,
        catalogue=catalogue,
        calendar=calendar,
        notifier=notifier,
    )
    desk.fees = FeeDesk(
        cases=cases,
        journal=SqlTillJournal(database),
        payments=SqlPaymentRepository(database),
        clock=clock,
        counter=settings.till_counter or socket.gethostname()[:40],
    )
    desk.outbox = outbox_sender(notifier, database, clock)
    return Core(
        settings,
        database,
        cases,
        users,
        audit,
        clock,
        catalogue,
        calendar,
        desk,
        SqlDocumentRegister(database),
        SqlRegisterConfirmations(database),
        secrets,
        health,
    )


def seat_catalogue(settings: Settings) -> Catalogue:
    """The catalogue with the pickup box offered where the box_services setting says."""
    catalogue = default_catalogue()
    named = {name.strip() for name in settings.box_services.split(",") if name.strip()}
    try:
        return catalogue.with_pickup_box(named) if named else catalogue
    except CatalogueError as error:  # the setting is wrong, not the catalogue
        raise SettingsError(str(error.params.get("detail", error))) from None


def working_calendar(settings: Settings, catalogue: Catalogue) -> WorkingCalendar:
    """NRW's working days and each service's SLA: the catalogue's, unless the
    sla_working_days setting overrides it."""
    overrides = setting_numbers(settings.sla_working_days, "sla_working_days", int)
    return WorkingCalendar.of_services(nrw_working_days(), catalogue.services, overrides)


def current_login(settings: Settings) -> str:
    return settings.login or getpass.getuser()
