"""The composition root of the core: builds the ports from settings and the use cases on them.

The command line (`app.cli`) and the window (`ui.main`) both start here. The secret store is
made once, when the first secret is needed, and handed to whatever needs one. The FIT-Connect,
JOSE and mailbox stacks are imported when a pull is first built, not on every start."""

from __future__ import annotations

import base64
import getpass
import itertools
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.catalogue import Catalogue, default_catalogue
from app.domain.errors import CatalogueError
from app.domain.inbox import InboxQuery
from app.domain.pickup import BoxRules
from app.domain.pickup_mail import BoxPlace
from app.domain.users import DEFAULT_OFFICES
from app.domain.working_days import WorkingCalendar
from app.integrations.clock import SystemClock
from app.integrations.holiday_calendar import nrw_working_days
from app.integrations.mail import SmtpMailer
from app.integrations.pickup_box import HttpPickupBox
from app.integrations.secrets import BOX_TOKEN_PREFIX, KeyringSecretStore, NoSecureKeyring
from app.integrations.settings import Settings, SettingsError, setting_numbers, setting_pairs
from app.ports import Clock, IntakeStore, SecretStore
from app.services.desk import CaseDesk
from app.services.pickup import PickupDesk
from app.services.reporting import ReportDesk
from app.store.audit import SqlAuditLog
from app.store.cases import SqlCaseRepository
from app.store.database import (
    Database,
    DatabaseUnavailable,
    check_schema,
    make_engine,
    parse_database_url,
)
from app.store.documents import SqlDocumentRegister
from app.store.intake import SqlIntakeStore
from app.store.pickup import SqlPickupRecords
from app.store.register_facts import SqlRegisterConfirmations
from app.store.users import SqlUserDirectory

if TYPE_CHECKING:
    from app.integrations.fitconnect.keys import DecryptionKeys, Signer
    from app.integrations.sms import HttpSmsGateway
    from app.services.audit_anchor import AuditAnchoring
    from app.services.form_import import PaperChannel
    from app.services.intake import Intake
    from app.services.pull import Pull

DATABASE_PASSWORD_SECRET = "database-password"
CLIENT_SECRET = "fitconnect-client-secret"
KEY_PASSWORD = "fitconnect-key-password"
PKCS11_PIN = "fitconnect-pkcs11-pin"
MAILBOX_PASSWORD = "form-mailbox-password"
SMTP_PASSWORD = "smtp-password"


class Secrets:
    """The one secret store of a process, made on first use: a seat that needs no secret
    starts without a keyring, and every part that needs one gets the same store."""

    def __init__(self, make: Callable[[], SecretStore] = KeyringSecretStore) -> None:
        self._make = make
        self._store: SecretStore | None = None

    def __call__(self) -> SecretStore:
        if self._store is None:
            self._store = self._make()
        return self._store

    def get(self, name: str) -> str | None:
        return self().get(name)

    def optional(self, name: str) -> str | None:
        """A secret that may be missing: None also when there is no secure keyring at all."""
        try:
            return self.get(name)
        except NoSecureKeyring:
            return None


def database_url(settings: Settings, secrets: Secrets | None = None) -> str:
    """The configured URL; a server password, if any, comes from the keyring, never a file."""
    url = parse_database_url(settings.resolved_database_url())
    if url.get_backend_name() == "sqlite":
        assert url.database
        try:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
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

    def intake_store(self) -> SqlIntakeStore:
        return SqlIntakeStore(self.database)

    def check_schema(self) -> None:
        """SchemaMismatch unless the database is at this version's schema."""
        check_schema(self.database.engine)

    def close(self) -> None:
        self.database.dispose()


def mailer(settings: Settings, secrets: Secrets | None = None) -> SmtpMailer | None:
    if not settings.smtp_host:
        return None
    password = (secrets or Secrets()).get(SMTP_PASSWORD) if settings.smtp_username else None
    return SmtpMailer(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.smtp_sender,
        username=settings.smtp_username,
        password=password,
        starttls=bool(settings.smtp_starttls),
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
    catalogue = seat_catalogue(settings)
    calendar = working_calendar(settings, catalogue)
    desk = CaseDesk(
        cases=cases,
        users=users,
        audit=audit,
        clock=clock,
        catalogue=catalogue,
        calendar=calendar,
        mailer=mailer(settings, secrets),
    )
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
    )


class IntakeNotConfigured(Exception):
    """No FIT-Connect settings on this seat."""


@dataclass(frozen=True)
class PullWiring:
    """How a pull reaches the database: directly (command line) or through the window's
    database lane (`store` wraps the intake store, `offices` reads the office codes)."""

    store: Callable[[IntakeStore], IntakeStore] = lambda store: store
    offices: Callable[[Core], dict[str, int]] = lambda core: office_ids(core)


def office_ids(core: Core) -> dict[str, int]:
    """Office code → id, to put intake cases into the configured office's inbox."""
    return {office.code: office.id for office in core.users.offices()}


def intake_office(offices: dict[str, int], code: str) -> int:
    """The office new cases from the intake belong to, by the intake_office_code setting."""
    if code not in offices:
        known = ", ".join(sorted(offices)) or "none yet (buergerbuero demo, or the admin dialog)"
        raise IntakeNotConfigured(
            f"intake_office_code '{code}' names no office in the database (known: {known})"
        )
    return offices[code]


def build_intake(core: Core, *, holder: str, wiring: PullWiring | None = None) -> Intake:
    """The intake on FIT-Connect as configured; reads secrets from the keyring. Network I/O."""
    from app.domain.intake import problem_types
    from app.integrations.fitconnect.client import FitConnectClient
    from app.integrations.fitconnect.source import FitConnectSource
    from app.services.intake import Intake

    wiring = wiring or PullWiring()
    settings = core.settings
    if not settings.fitconnect_api_url:
        raise IntakeNotConfigured("online intake is not configured (fitconnect_api_url)")
    client = FitConnectClient(
        token_url=settings.fitconnect_token_url,
        api_url=settings.fitconnect_api_url,
        client_id=settings.fitconnect_client_id,
        client_secret=core.secrets.get(CLIENT_SECRET) or "",
        scope=f"subscribe:destination:{settings.fitconnect_destination_id}",
    )
    destination = client.destination(settings.fitconnect_destination_id)
    decryption, signing = destination_keys(
        settings, core.secrets, encryption_kid=destination["encryptionKid"]
    )
    source = FitConnectSource(
        client=client,
        destination_id=settings.fitconnect_destination_id,
        decryption=decryption,
        signing=signing,
        catalogue=core.catalogue,
        max_attachment_bytes=settings.attachment_max_bytes,
        problem_types=problem_types(settings.fitconnect_problem_types),
    )
    return Intake(
        source=source,
        store=wiring.store(core.intake_store()),
        catalogue=core.catalogue,
        calendar=core.calendar,
        clock=core.clock,
        office_id=intake_office(wiring.offices(core), settings.intake_office_code),
        holder=holder,
        abandoned=holder_is_gone,
    )


def key_list(setting: str) -> list[str]:
    """A setting naming several keys, current first: `new.pem; old.pem` (`;` also on Windows,
    where `:` belongs to the drive)."""
    return [part.strip() for part in setting.split(";") if part.strip()]


def destination_keys(
    settings: Settings, secrets: Secrets, *, encryption_kid: str
) -> tuple[DecryptionKeys, Signer]:
    """The destination's private keys: on a PKCS#11 token if one is configured, else from files.
    The first decryption key is the destination's current one (its id `encryption_kid`); any
    after it are previous keys kept while submissions encrypted to them may still wait."""
    from app.integrations.fitconnect.keys import DecryptionKeys, JwkKeys, Pkcs11Keys
    from app.integrations.fitconnect.source import load_private_key

    def kid(index: int) -> str:
        return encryption_kid if index == 0 else ""

    if settings.fitconnect_pkcs11_library:
        pin = secrets.get(PKCS11_PIN) or ""
        token = {
            "library": settings.fitconnect_pkcs11_library,
            "token_label": settings.fitconnect_pkcs11_token,
            "pin": pin,
        }
        labels = key_list(settings.fitconnect_pkcs11_decryption_label)
        return (
            DecryptionKeys(
                [
                    Pkcs11Keys(**token, key_label=label, kid=kid(index))
                    for index, label in enumerate(labels)
                ]
            ),
            Pkcs11Keys(
                **token,
                key_label=settings.fitconnect_pkcs11_signing_label,
                kid=settings.fitconnect_signing_kid,
            ),
        )
    password = secrets.get(KEY_PASSWORD)
    files = key_list(settings.fitconnect_decryption_key_file)
    return (
        DecryptionKeys(
            [
                JwkKeys(load_private_key(path, password), kid(index))
                for index, path in enumerate(files)
            ]
        ),
        JwkKeys(
            load_private_key(settings.fitconnect_signing_key_file, password),
            settings.fitconnect_signing_kid,
        ),
    )


def pull_configured(settings: Settings) -> bool:
    """Whether this seat pulls anything: the portal, a scan folder or the forms mailbox."""
    return bool(settings.fitconnect_api_url or settings.form_folder or settings.form_mailbox_host)


def build_paper_channel(
    core: Core, *, holder: str, wiring: PullWiring | None = None
) -> PaperChannel | None:
    """The scan folder and the forms mailbox as configured; None when neither is."""
    from app.integrations.mailbox import ImapFormMailbox
    from app.integrations.pdf_forms import form_reader
    from app.services.form_import import FormImporter, PaperChannel

    wiring = wiring or PullWiring()
    settings = core.settings
    if not (settings.form_folder or settings.form_mailbox_host):
        return None
    importer = FormImporter(
        read_form=form_reader(core.catalogue),
        store=wiring.store(core.intake_store()),
        catalogue=core.catalogue,
        calendar=core.calendar,
        clock=core.clock,
        office_id=intake_office(wiring.offices(core), settings.intake_office_code),
    )
    open_mailbox = None
    if settings.form_mailbox_host:

        def open_mailbox() -> ImapFormMailbox:
            return ImapFormMailbox(
                host=settings.form_mailbox_host,
                port=settings.form_mailbox_port,
                user=settings.form_mailbox_user,
                password=core.secrets.get(MAILBOX_PASSWORD) or "",
                security=settings.form_mailbox_security,
                folder=settings.form_mailbox_folder,
            )

    return PaperChannel(
        importer,
        holder=holder,
        folder=Path(settings.form_folder) if settings.form_folder else None,
        open_mailbox=open_mailbox,
        abandoned=holder_is_gone,
    )


def build_pull(core: Core, *, holder: str, wiring: PullWiring | None = None) -> Pull:
    """Everything this seat pulls: the portal (if configured) and the paper channel."""
    from app.services.pull import Pull

    intake = (
        build_intake(core, holder=holder, wiring=wiring)
        if core.settings.fitconnect_api_url
        else None
    )
    return Pull(intake=intake, paper=build_paper_channel(core, holder=holder, wiring=wiring))


def seat_holder() -> str:
    """Who holds a lease: this machine and process, so a dead seat's lease is recognisable."""
    return f"{socket.gethostname()}:{os.getpid()}"


def holder_is_gone(holder: str) -> bool:
    """A lease holder (`seat_holder`) that is a process of this machine which no longer runs:
    this seat, restarted after a crash, or another dead one here. Another machine's holder
    is never judged from here; its lease runs out by itself."""
    host, _, pid = holder.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # it runs, as another user
        return False
    return False


def current_login(settings: Settings) -> str:
    return settings.login or getpass.getuser()


def seed_demo(core: Core, *, count: int, if_empty: bool, login: str) -> int:
    """Offices, staff (the OS login as admin) and `count` demo cases; returns cases written."""
    from app.services.demo import DemoGenerator, demo_staff
    from app.store.bulk import SqlCaseBulkLoader

    check_schema(core.database.engine)
    if if_empty and core.cases.count(InboxQuery()) > 0:
        return 0
    if not core.users.offices():
        for code, name in DEFAULT_OFFICES:
            core.users.save_office(code, name)
    offices = core.users.offices()
    for user_login, display, role, office_id in demo_staff(offices, login):
        if core.users.by_login(user_login) is None:
            core.users.save_user(
                login=user_login, display_name=display, role=role, office_id=office_id, active=True
            )
    generator = DemoGenerator(
        catalogue=core.catalogue,
        calendar=core.calendar,
        offices=offices,
        clerks=core.users.users(),
        now=core.clock.now(),
    )
    loader, written = SqlCaseBulkLoader(core.database), 0
    cases = generator.cases(count)
    while chunk := list(itertools.islice(cases, 5000)):  # bounded memory at any count
        written += loader.load(chunk)
    return written


def build_anchoring(core: Core) -> AuditAnchoring | None:
    """The audit chain's anchors, where this seat names a folder for them."""
    from app.integrations.anchor_folder import AnchorFolder
    from app.integrations.timestamps import RfcTimestamper
    from app.services.audit_anchor import AuditAnchoring

    settings = core.settings
    if not settings.audit_anchor_folder:
        return None
    timestamper = RfcTimestamper(
        settings.seal_timestamp_url, trust_file=settings.audit_anchor_tsa_trust_file
    )
    return AuditAnchoring(
        audit=core.audit,
        store=AnchorFolder(Path(settings.audit_anchor_folder)),
        timestamper=timestamper,
        stamp=bool(settings.seal_timestamp_url),
        clock=core.clock,
    )


SMS_TOKEN = "sms-gateway-token"


def sms_gateway(settings: Settings, secrets: Secrets) -> HttpSmsGateway | None:
    if not settings.sms_gateway_url:
        return None
    from app.integrations.sms import HttpSmsGateway  # libphonenumber's tables: only where used

    token = secrets.get(SMS_TOKEN) or ""
    return HttpSmsGateway(settings.sms_gateway_url, token, sender=settings.sms_sender)


def seat_catalogue(settings: Settings) -> Catalogue:
    """The catalogue with the pickup box offered where the box_services setting says."""
    catalogue = default_catalogue()
    named = {name.strip() for name in settings.box_services.split(",") if name.strip()}
    try:
        return catalogue.with_pickup_box(named) if named else catalogue
    except CatalogueError as error:  # the setting is wrong, not the catalogue
        raise SettingsError(str(error.params.get("detail", error))) from None


def box_rules(settings: Settings) -> BoxRules:
    return BoxRules(
        hold_days=setting_numbers(
            settings.box_hold_days_per_service, "box_hold_days_per_service", int
        ),
        default_hold_days=settings.box_hold_days,
        reminder_days_before=settings.box_reminder_days,
        four_eyes=bool(settings.box_four_eyes),
        alert_to=settings.box_alert_mail,
    )


def working_calendar(settings: Settings, catalogue: Catalogue) -> WorkingCalendar:
    """NRW's working days and each service's SLA: the catalogue's, unless the
    sla_working_days setting overrides it."""
    overrides = setting_numbers(settings.sla_working_days, "sla_working_days", int)
    return WorkingCalendar.of_services(nrw_working_days(), catalogue.services, overrides)


def pickup_configured(settings: Settings) -> bool:
    return bool(setting_pairs(settings.pickup_boxes))


BOX_CODE_KEY = "pickup-box-code-key"


def box_code_key(secrets: Secrets) -> bytes:
    """The codes' hash key from the keyring, made there at first use."""
    stored = secrets.get(BOX_CODE_KEY)
    if not stored:
        stored = base64.b64encode(os.urandom(32)).decode()
        secrets().set(BOX_CODE_KEY, stored)
    return base64.b64decode(stored)


def build_pickup(core: Core, bind: Callable[[Any], Any] = lambda port: port) -> PickupDesk:
    """The pickup desk on every configured box; tokens from the keyring. `bind` wraps the
    database ports (the window puts their calls on the database lane); the office names are
    read from the database here."""
    settings = core.settings
    boxes = {
        office: HttpPickupBox(url, core.secrets.get(f"{BOX_TOKEN_PREFIX}{office.lower()}") or "")
        for office, url in setting_pairs(settings.pickup_boxes).items()
    }
    addresses = setting_pairs(settings.box_addresses, ";")
    users = bind(core.users)

    def places() -> dict[str, BoxPlace]:  # read when the first mail is written, not here
        names = {office.code: office.name for office in users.offices()}
        return {
            office: BoxPlace(
                office_name=names.get(office, f"Bürgerbüro {office}"),
                address=addresses.get(office, settings.authority_address),
                authority=settings.authority_name,
            )
            for office in boxes
        }

    return PickupDesk(
        cases=bind(core.cases),
        records=bind(SqlPickupRecords(core.database)),
        boxes=boxes,
        mailer=mailer(settings, core.secrets),
        rules=box_rules(settings),
        catalogue=core.catalogue,
        calendar=core.calendar,
        places=places,
        code_key=lambda: box_code_key(core.secrets),
        clock=core.clock,
        language=settings.language,
        sms=sms_gateway(settings, core.secrets),
        office_ids=lambda: {office.code: office.id for office in users.offices()},
    )


REPORT_READERS = 3  # the report's queries side by side: most of its wait is on the database


def concurrent_readers(url: Any) -> bool:
    """Whether several connections see the same data (not so for SQLite's :memory:)."""
    return url.get_backend_name() != "sqlite" or url.database not in (None, "", ":memory:")


def build_reports(core: Core) -> ReportDesk:
    from app.store.reporting import SqlReporting

    return ReportDesk(
        store=SqlReporting(core.database),
        catalogue=core.catalogue,
        calendar=core.calendar,
        clock=core.clock.now,
        quarantined=lambda: len(core.intake_store().quarantined(offset=0, limit=100_000)),
        staffing=setting_numbers(core.settings.staffing_fte, "staffing_fte", float),
        per_clerk=bool(core.settings.report_per_clerk),
        min_group=core.settings.report_min_group,
        readers=REPORT_READERS if concurrent_readers(core.database.engine.url) else 1,
    )
