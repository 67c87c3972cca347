"""Shared fixtures: offscreen Qt, an in-memory keyring, a real PostgreSQL cluster, and a
freshly migrated database on each engine for every store test."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything creates a QApplication
os.environ.setdefault("BUERGERBUERO_SETTINGS_FILE", "/nonexistent/settings.toml")

import datetime as dt
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
import sqlalchemy as sa
from cryptography import x509
from keyring.backend import KeyringBackend

from app.domain.users import DEFAULT_OFFICES, Role, User
from app.integrations.settings import Settings
from app.store.database import make_engine, upgrade
from app.wiring import Core, build_core
from printing.maker import SealedDocumentMaker
from printing.seal_keys import Pkcs12SealKey
from printing.trust_list import TrustList
from sandbox.imap import PrivateImap
from sandbox.pcsc import PrivatePcscd
from sandbox.pgcluster import PostgresCluster
from sandbox.seal_pki import SIGNER_ID, SealPki
from sandbox.sms_gateway import SmsGatewaySink
from sandbox.smtp_sink import SmtpSink


class MemoryKeyring(KeyringBackend):
    """A secure-enough keyring for tests: in memory, gone with the process."""

    priority = 10  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


class FixedClock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime | None = None) -> None:
        self.current = now or dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += dt.timedelta(**delta)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    with PostgresCluster() as cluster:
        engine = sa.create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.exec_driver_sql("CREATE DATABASE bb_template")
        engine.dispose()
        template = make_engine(cluster.url("bb_template"))
        upgrade(template)
        template.dispose()
        yield cluster


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `one_engine` check what does not touch the database engine (a portal's
    answer, cryptography, a protocol): their PostgreSQL twin would only repeat the SQLite run
    (the store tests and the engine-bound integration tests keep both engines)."""
    twins = [
        item
        for item in items
        if item.get_closest_marker("one_engine") is not None
        and getattr(getattr(item, "callspec", None), "params", {}).get("db_url") == "postgresql"
    ]
    if twins:
        config.hook.pytest_deselected(items=twins)
        items[:] = [item for item in items if item not in twins]


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """A migrated, empty database on each engine."""
    if request.param == "sqlite":
        target = tmp_path / "desk.sqlite3"
        shutil.copy(sqlite_template, target)
        yield f"sqlite:///{target}"
        return
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE bb_template")
    yield cluster.url(name)
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.dispose()


@pytest.fixture
def core(db_url: str, clock: FixedClock) -> Iterator[Core]:
    core = build_core(Settings(database_url=db_url), clock=clock)
    for code, name in DEFAULT_OFFICES:
        core.users.save_office(code, name, actor="setup", at=core.clock.now())
    yield core
    core.close()


@pytest.fixture
def staff(core: Core) -> dict[str, User]:
    """An admin, a supervisor and two clerks, all in the Siegen office."""
    office = {o.code: o for o in core.users.offices()}["SI"]
    people = {
        "admin": ("it.admin", Role.ADMIN),
        "supervisor": ("t.leitung", Role.SUPERVISOR),
        "clerk": ("a.becker", Role.CLERK),
        "clerk2": ("b.schulz", Role.CLERK),
    }
    return {
        key: core.users.save_user(
            actor="setup",
            at=core.clock.now(),
            login=login,
            display_name=login,
            role=role,
            office_id=office.id,
            active=True,
        )
        for key, (login, role) in people.items()
    }


REGISTER_FACTS = {"main_address": "Kölner Straße 12, 57072 Siegen", "usual_given_name": "Anna"}


def decided_walk_in(
    core: Core,
    user: User,
    *,
    service_id: str = "meldebescheinigung_einfach",
    form: dict[str, str] | None = None,
    approve: bool = True,
    register: dict[str, str] | None = REGISTER_FACTS,
) -> int:
    """A walk-in case claimed, identity seen at the counter, fee paid, the register's facts
    confirmed by the clerk (unless `register` is None), and (unless told not to) approved:
    ready for its original. Returns the case id."""
    from app.domain.cases import PaymentState
    from app.domain.documents import RegisterFacts, RegisterSource
    from app.domain.identity import IdentityLevel

    desk = core.desk
    case = desk.open_walk_in(
        user=user, service_id=service_id, form=form or meldebescheinigung_form()
    )
    desk.claim(user=user, case_id=case.id)
    desk.verify_identity(
        user=user,
        case_id=case.id,
        level=IdentityLevel.HIGH,
        method="counter_visual",
        note="Reisepass",
    )
    desk.record_payment(user=user, case_id=case.id, state=PaymentState.PAID, reference="bar")
    if register is not None:
        confirmed = RegisterFacts(
            case.id, register, RegisterSource.CONFIRMED, user.login, core.clock.now()
        )
        core.register_confirmations.confirm(confirmed, case_reference=case.reference)
    if approve:
        desk.approve(user=user, case_id=case.id)
    return case.id


def meldebescheinigung_form(**overrides: str) -> dict[str, str]:
    form = {
        "family_name": "Müller",
        "given_names": "Anna Lena",
        "birth_date": "14.03.1985",
        "delivery": "paper",
    }
    form.update(overrides)
    return form


MAILBOX_USER, MAILBOX_PASSWORD = "antraege", "geheim"


@pytest.fixture(scope="session")
def imap_server() -> Iterator[PrivateImap]:
    """A private Dovecot with the office's forms mailbox."""
    with PrivateImap({MAILBOX_USER: MAILBOX_PASSWORD}) as server:
        yield server


@pytest.fixture(scope="session")
def softhsm_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one SoftHSM2 token directory of this test process (see sandbox/softhsm.py)."""
    return tmp_path_factory.mktemp("softhsm")


# --- the city's seal (PKCS#12), for documents -------------------------------------------

PASSPHRASE = "siegel-kennwort"


@dataclass
class SealSetup:
    pki: SealPki
    p12: Path
    certificate: x509.Certificate
    trust: TrustList
    ca_pem: Path
    key: Pkcs12SealKey
    maker: SealedDocumentMaker


@pytest.fixture(scope="session")
def seal(tmp_path_factory: pytest.TempPathFactory) -> SealSetup:
    folder = tmp_path_factory.mktemp("seal")
    pki = SealPki.create()
    p12 = folder / "seal.p12"
    certificate = pki.pkcs12(
        p12, "Stadt Siegen Dienstsiegel", serial=0x51E6E1, passphrase=PASSPHRASE
    )
    ca_pem = folder / "ca.pem"
    pki.write_ca(ca_pem)
    key = Pkcs12SealKey(p12, PASSPHRASE)
    maker = SealedDocumentMaker(key, signer_id=SIGNER_ID, location="Siegen")
    return SealSetup(pki, p12, certificate, pki.trust_list([certificate]), ca_pem, key, maker)


@pytest.fixture(scope="module")
def pcscd() -> Iterator[PrivatePcscd]:
    """Our own pcscd with the virtual reader for one module's PC/SC tests, whatever other
    pcscd runs on the machine (sandbox/pcsc.py)."""
    with PrivatePcscd() as daemon:
        yield daemon


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    """A real SMTP server that keeps what it is handed."""
    with SmtpSink() as started:
        yield started


SMS_TOKEN = "test-sms-token"


@pytest.fixture
def sms() -> Iterator[SmsGatewaySink]:
    """The sandbox SMS gateway on a real HTTP port."""
    with SmsGatewaySink(token=SMS_TOKEN) as started:
        yield started
