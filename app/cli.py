"""The `buergerbuero` command and the wiring of the core (the GUI's composition root reuses it)."""

from __future__ import annotations

import argparse
import getpass
import itertools
import os
import signal
import socket
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from app import __version__
from app.domain.catalogue import Catalogue, default_catalogue
from app.domain.errors import DomainError
from app.domain.inbox import InboxQuery
from app.domain.intake import problem_types
from app.domain.users import DEFAULT_OFFICES, Role
from app.integrations.clock import SystemClock
from app.integrations.fitconnect.client import (
    FitConnectClient,
    FitConnectRefused,
    FitConnectUnavailable,
)
from app.integrations.fitconnect.keys import Decrypter, JwkKeys, Pkcs11Keys, Signer
from app.integrations.fitconnect.source import FitConnectSource, load_private_key
from app.integrations.mail import SmtpMailer
from app.integrations.mailbox import ImapFormMailbox
from app.integrations.pdf_forms import read_form
from app.integrations.secrets import KeyringSecretStore, NoSecureKeyring
from app.integrations.settings import Settings, SettingsError, load_settings
from app.ports import Clock
from app.services.demo import DemoGenerator, demo_staff
from app.services.desk import CaseDesk
from app.services.form_import import FormImporter, PaperChannel
from app.services.intake import Intake
from app.services.pull import MAX_BACKOFF_S, Pull
from app.store.bulk import SqlCaseBulkLoader
from app.store.database import (
    Database,
    DatabaseUnavailable,
    SchemaMismatch,
    check_schema,
    current_revision,
    head_revision,
    make_engine,
    upgrade,
)
from app.store.documents import SqlDocumentRegister
from app.store.intake import SqlIntakeStore
from app.store.repositories import SqlAuditLog, SqlCaseRepository, SqlUserDirectory

DATABASE_PASSWORD_SECRET = "database-password"


def database_url(settings: Settings) -> str:
    """The configured URL; a server password, if any, comes from the keyring, never a file."""
    url = make_url(settings.resolved_database_url())
    if url.get_backend_name() == "sqlite":
        assert url.database
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        return url.render_as_string(hide_password=False)
    if url.password is None:
        try:
            password = KeyringSecretStore().get(DATABASE_PASSWORD_SECRET)
        except NoSecureKeyring:
            password = None
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
    desk: CaseDesk
    documents: SqlDocumentRegister

    def close(self) -> None:
        self.database.dispose()


def mailer(settings: Settings) -> SmtpMailer | None:
    if not settings.smtp_host:
        return None
    password = KeyringSecretStore().get("smtp-password") if settings.smtp_username else None
    return SmtpMailer(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.smtp_sender,
        username=settings.smtp_username,
        password=password,
        starttls=bool(settings.smtp_starttls),
    )


def build_core(settings: Settings, *, clock: Clock | None = None) -> Core:
    database = Database(
        make_engine(database_url(settings), timeout_ms=settings.database_timeout_ms)
    )
    cases, users, audit = (
        SqlCaseRepository(database),
        SqlUserDirectory(database),
        SqlAuditLog(database),
    )
    clock = clock or SystemClock()
    catalogue = default_catalogue()
    desk = CaseDesk(
        cases=cases,
        users=users,
        audit=audit,
        clock=clock,
        catalogue=catalogue,
        mailer=mailer(settings),
    )
    return Core(
        settings,
        database,
        cases,
        users,
        audit,
        clock,
        catalogue,
        desk,
        SqlDocumentRegister(database),
    )


CLIENT_SECRET = "fitconnect-client-secret"
KEY_PASSWORD = "fitconnect-key-password"
PKCS11_PIN = "fitconnect-pkcs11-pin"


def build_intake(core: Core, *, holder: str) -> Intake:
    """The intake on FIT-Connect as configured; reads secrets from the keyring. Network I/O."""
    settings = core.settings
    if not settings.fitconnect_api_url:
        raise IntakeNotConfigured("online intake is not configured (fitconnect_api_url)")
    secrets = KeyringSecretStore()
    client = FitConnectClient(
        token_url=settings.fitconnect_token_url,
        api_url=settings.fitconnect_api_url,
        client_id=settings.fitconnect_client_id,
        client_secret=secrets.get(CLIENT_SECRET) or "",
        scope=f"subscribe:destination:{settings.fitconnect_destination_id}",
    )
    destination = client.destination(settings.fitconnect_destination_id)
    decryption, signing = destination_keys(
        settings, secrets, encryption_kid=destination["encryptionKid"]
    )
    offices = {office.code: office.id for office in core.users.offices()}
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
        store=SqlIntakeStore(core.database),
        catalogue=core.catalogue,
        clock=core.clock,
        office_id=offices[settings.intake_office_code],
        holder=holder,
    )


def destination_keys(
    settings: Settings, secrets: KeyringSecretStore, *, encryption_kid: str
) -> tuple[Decrypter, Signer]:
    """The destination's private keys: on a PKCS#11 token if one is configured, else from files."""
    if settings.fitconnect_pkcs11_library:
        pin = secrets.get(PKCS11_PIN) or ""
        token = {
            "library": settings.fitconnect_pkcs11_library,
            "token_label": settings.fitconnect_pkcs11_token,
            "pin": pin,
        }
        return (
            Pkcs11Keys(
                **token, key_label=settings.fitconnect_pkcs11_decryption_label, kid=encryption_kid
            ),
            Pkcs11Keys(
                **token,
                key_label=settings.fitconnect_pkcs11_signing_label,
                kid=settings.fitconnect_signing_kid,
            ),
        )
    password = secrets.get(KEY_PASSWORD)
    return (
        JwkKeys(
            load_private_key(settings.fitconnect_decryption_key_file, password), encryption_kid
        ),
        JwkKeys(
            load_private_key(settings.fitconnect_signing_key_file, password),
            settings.fitconnect_signing_kid,
        ),
    )


class IntakeNotConfigured(Exception):
    """No FIT-Connect settings on this seat."""


MAILBOX_PASSWORD = "form-mailbox-password"


def pull_configured(settings: Settings) -> bool:
    """Whether this seat pulls anything: the portal, a scan folder or the forms mailbox."""
    return bool(settings.fitconnect_api_url or settings.form_folder or settings.form_mailbox_host)


def build_paper_channel(core: Core, *, holder: str) -> PaperChannel | None:
    """The scan folder and the forms mailbox as configured; None when neither is."""
    settings = core.settings
    if not (settings.form_folder or settings.form_mailbox_host):
        return None
    offices = {office.code: office.id for office in core.users.offices()}
    importer = FormImporter(
        read_form=read_form,
        store=SqlIntakeStore(core.database),
        catalogue=core.catalogue,
        clock=core.clock,
        office_id=offices[settings.intake_office_code],
    )
    open_mailbox = None
    if settings.form_mailbox_host:

        def open_mailbox() -> ImapFormMailbox:
            return ImapFormMailbox(
                host=settings.form_mailbox_host,
                port=settings.form_mailbox_port,
                user=settings.form_mailbox_user,
                password=KeyringSecretStore().get(MAILBOX_PASSWORD) or "",
                security=settings.form_mailbox_security,
                folder=settings.form_mailbox_folder,
            )

    return PaperChannel(
        importer,
        holder=holder,
        folder=Path(settings.form_folder) if settings.form_folder else None,
        open_mailbox=open_mailbox,
    )


def build_pull(core: Core, *, holder: str) -> Pull:
    """Everything this seat pulls: the portal (if configured) and the paper channel."""
    intake = build_intake(core, holder=holder) if core.settings.fitconnect_api_url else None
    return Pull(intake=intake, paper=build_paper_channel(core, holder=holder))


def _intake(core: Core, args: argparse.Namespace) -> int:
    """Headless pulls. With --loop it runs until stopped (SIGTERM, Ctrl+C: after the pull in
    progress, so the lease is released): a portal or database that is down at start or later
    is retried with back-off, never ending the loop."""
    holder = f"{socket.gethostname()}:{os.getpid()}"
    if not pull_configured(core.settings):
        raise IntakeNotConfigured(
            "nothing to pull: set fitconnect_api_url, form_folder or form_mailbox_host"
        )
    stop = threading.Event()
    if args.loop:
        signal.signal(signal.SIGTERM, lambda _number, _frame: stop.set())
    interval = max(1, core.settings.intake_interval_seconds)
    delay = interval
    pull: Pull | None = None
    try:
        while True:
            try:
                if pull is None:
                    pull = build_pull(core, holder=holder)
                result = pull.run_once()
                state = "busy (another seat is pulling)" if result.busy else "ok"
                print(
                    f"intake {state}: {result.received} received ({result.forms} paper forms), "
                    f"{result.quarantined} quarantined, {result.skipped} already known, "
                    f"{result.events_sent} answers sent",
                    flush=True,
                )
                if result.paper_problem is not None:
                    print(f"intake: {result.paper_problem}", file=sys.stderr, flush=True)
                delay = interval
            except (FitConnectUnavailable, FitConnectRefused, DatabaseUnavailable) as error:
                pull = None  # build afresh next time: token, keys, destination
                if not args.loop:
                    print(f"intake: not possible now: {error}", file=sys.stderr, flush=True)
                    return 1
                print(
                    f"intake: not possible now: {error}; next try in {delay} s",
                    file=sys.stderr,
                    flush=True,
                )
                if stop.wait(delay):
                    break
                delay = min(MAX_BACKOFF_S, delay * 2)  # back off while it stays down
                continue
            if not args.loop or stop.wait(delay):
                break
    except KeyboardInterrupt:
        pass
    if args.loop:
        print("intake: stopped", flush=True)
    return 0


def current_login(settings: Settings) -> str:
    return settings.login or getpass.getuser()


# --- commands --------------------------------------------------------------------------------


def _db(core: Core, action: str) -> int:
    if action == "upgrade":
        upgrade(core.database.engine)
        print(f"schema at {current_revision(core.database.engine)} (head {head_revision()})")
    else:
        database = current_revision(core.database.engine) or "(empty)"
        print(f"database: {database}; application: {head_revision()}")
    return 0


def seed_demo(core: Core, *, count: int, if_empty: bool, login: str) -> int:
    """Offices, staff (the OS login as admin) and `count` demo cases; returns cases written."""
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
        catalogue=core.catalogue, offices=offices, clerks=core.users.users(), now=core.clock.now()
    )
    loader, written = SqlCaseBulkLoader(core.database), 0
    cases = generator.cases(count)
    while chunk := list(itertools.islice(cases, 5000)):  # bounded memory at any count
        written += loader.load(chunk)
    return written


def _users(core: Core, args: argparse.Namespace) -> int:
    if args.users_action == "list":
        for user in core.users.users():
            state = "active" if user.active else "inactive"
            print(f"{user.login}\t{user.role.value}\t{user.office_id}\t{state}")
        return 0
    offices = {office.code: office for office in core.users.offices()}
    if not offices:
        for code, name in DEFAULT_OFFICES:
            core.users.save_office(code, name)
        offices = {office.code: office for office in core.users.offices()}
    if args.office not in offices:
        print(f"unknown office {args.office}; known: {', '.join(sorted(offices))}", file=sys.stderr)
        return 2
    core.users.save_user(
        login=args.login,
        display_name=args.name or args.login,
        role=Role(args.role),
        office_id=offices[args.office].id,
        active=not args.inactive,
    )
    print(f"saved {args.login}")
    return 0


def _audit_verify(core: Core) -> int:
    problems = core.audit.verify()
    if problems:
        for problem in problems:
            print(problem)
        print(f"audit chain BROKEN: {len(problems)} problem(s)")
        return 1
    print("audit chain intact")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="buergerbuero", description="Bürgerbüro Desk")
    root.add_argument("--version", action="version", version=f"buergerbuero {__version__}")
    commands = root.add_subparsers(dest="command")
    gui = commands.add_parser("gui", help="start the desktop application (default)")
    gui.add_argument("--lang", choices=("de", "en"))
    demo = commands.add_parser("demo", help="fill the database with demo offices, staff and cases")
    demo.add_argument("--cases", type=int, default=2500)
    demo.add_argument("--if-empty", action="store_true")
    db = commands.add_parser("db", help="database schema")
    db.add_argument("db_action", choices=("upgrade", "current"))
    audit = commands.add_parser("audit", help="audit log")
    audit.add_argument("audit_action", choices=("verify",))
    intake = commands.add_parser("intake", help="pull online applications (FIT-Connect), headless")
    mode = intake.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="one pull, then exit (default)")
    mode.add_argument("--loop", action="store_true", help="pull every intake_interval_seconds")
    users = commands.add_parser("users", help="users (first admin, listing)")
    users.add_argument("users_action", choices=("list", "save"))
    users.add_argument("--login")
    users.add_argument("--name")
    users.add_argument("--role", choices=[role.value for role in Role], default="clerk")
    users.add_argument("--office", default="SI")
    users.add_argument("--inactive", action="store_true")
    return root


def run(args: argparse.Namespace, settings: Settings) -> int:
    core = build_core(settings)
    try:
        if args.command == "db":
            return _db(core, args.db_action)
        if args.command == "demo":
            written = seed_demo(
                core, count=args.cases, if_empty=args.if_empty, login=current_login(settings)
            )
            print(f"demo: {written} cases written")
            return 0
        check_schema(core.database.engine)
        if args.command == "audit":
            return _audit_verify(core)
        if args.command == "users":
            return _users(core, args)
        if args.command == "intake":
            return _intake(core, args)
        raise AssertionError(args.command)
    finally:
        core.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry for everything but the GUI (ui.main handles `gui`)."""
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
        return run(args, settings)
    except (
        SettingsError,
        SchemaMismatch,
        DatabaseUnavailable,
        IntakeNotConfigured,
        NoSecureKeyring,
    ) as error:
        print(f"buergerbuero: {error}", file=sys.stderr)
        return 2
    except DomainError as error:
        print(f"buergerbuero: {error.text()}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
