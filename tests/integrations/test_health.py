"""The health board against the real systems, each really stopped: the portal (FIT-Connect
sandbox), the payment platform, the pickup box, the SMS gateway, the mail relay, the TSA and
a PostgreSQL server. A stopped one is down with its reason, the others stay up; started again,
the probe finds it back once its back-off is over. A clerk's call that meets a stopped system
reports it too, and `buergerbuero health` says it as JSON with exit 1."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from app.domain.health import Condition, System
from app.domain.notices import Citizen, Notice
from app.integrations.secrets import BOX_TOKEN_PREFIX, PAYMENT_PLATFORM_SECRET, KeyringSecretStore
from app.integrations.settings import Settings
from app.store.database import DatabaseUnavailable, make_engine, upgrade
from app.wiring import CLIENT_SECRET, Core, build_core, health_probes
from app.wiring.secret_store import SMS_TOKEN as SMS_TOKEN_NAME
from sandbox.fitconnect.process import SandboxProcess
from sandbox.lifecycle import Service
from sandbox.payment_platform.process import PlatformProcess
from sandbox.pgcluster import PostgresCluster
from sandbox.pickup_box.process import BoxProcess
from sandbox.seal_pki import SealPki
from sandbox.sms_gateway import SmsGatewaySink
from sandbox.smtp_sink import SmtpSink
from sandbox.tsa import TimestampAuthority
from tests.conftest import SMS_TOKEN, FixedClock
from tests.support.cli import run_cli
from tests.support.env_keyring import variable

BOX_TOKEN = "health-box-token"
ENV_KEYRING = "tests.support.env_keyring.EnvKeyring"


@dataclass
class Remote:
    portal: SandboxProcess
    payment: PlatformProcess
    box: BoxProcess
    sms: SmsGatewaySink
    mail: SmtpSink
    tsa: TimestampAuthority

    def of(self, system: System) -> Service:
        service: Service = getattr(self, system.value)
        return service

    def settings(self, database_url: str) -> Settings:
        d = self.portal.description
        return Settings(
            database_url=database_url,
            fitconnect_api_url=self.portal.base_url,
            fitconnect_token_url=self.portal.base_url + "/token",
            fitconnect_destination_id=d["destination_id"],
            fitconnect_client_id=d["subscriber_client_id"],
            payment_platform_url=self.payment.base_url,
            payment_originator_id=self.payment.originator,
            payment_endpoint_id=self.payment.endpoint,
            payment_client_id=self.payment.client_id,
            pickup_boxes=f"SI={self.box.url('SI')}",
            sms_gateway_url=self.sms.base_url,
            smtp_host="127.0.0.1",
            smtp_port=self.mail.port,
            seal_timestamp_url=self.tsa.url,
        )

    def environment(self) -> dict[str, str]:
        """The same settings and secrets for the command: BUERGERBUERO_… variables, and the
        secrets by the test keyring that reads variables."""
        ours, defaults = self.settings(""), Settings()
        settings = {
            f"BUERGERBUERO_{field.name.upper()}": str(getattr(ours, field.name))
            for field in dataclasses.fields(Settings)
            if getattr(ours, field.name) != getattr(defaults, field.name)
        }
        secrets = {variable(name): value for name, value in self.secrets().items()}
        return {**settings, **secrets, "PYTHON_KEYRING_BACKEND": ENV_KEYRING}

    def secrets(self) -> dict[str, str]:
        return {
            CLIENT_SECRET: self.portal.description["subscriber_client_secret"],
            PAYMENT_PLATFORM_SECRET: self.payment.client_secret,
            f"{BOX_TOKEN_PREFIX}si": BOX_TOKEN,
            SMS_TOKEN_NAME: SMS_TOKEN,
        }


@pytest.fixture
def remote(sandbox: SandboxProcess, tmp_path: Path) -> Iterator[Remote]:
    pki = SealPki.create()
    with (
        PlatformProcess(tmp_path / "pay", auth="basic") as payment,
        BoxProcess(tmp_path / "box", boxes={"SI": 4}, token=BOX_TOKEN) as box,
        SmsGatewaySink(token=SMS_TOKEN) as sms,
        SmtpSink() as mail,
        TimestampAuthority(pki) as tsa,
    ):
        systems = Remote(sandbox, payment, box, sms, mail, tsa)
        for name, value in systems.secrets().items():
            KeyringSecretStore().set(name, value)
        yield systems


@pytest.fixture
def seat(
    remote: Remote, sqlite_template: Path, tmp_path: Path, clock: FixedClock
) -> Iterator[Core]:
    database = tmp_path / "seat.sqlite3"
    shutil.copy(sqlite_template, database)
    core = build_core(remote.settings(f"sqlite:///{database}"), clock=clock)
    yield core
    core.close()


def conditions(core: Core) -> dict[System, Condition]:
    return {health.system: health.condition for health in core.health.snapshot()}


REMOTE = [System.PORTAL, System.PAYMENT, System.BOX, System.SMS, System.MAIL, System.TSA]


def test_each_system_stopped_in_turn_is_down_then_found_back(
    seat: Core, remote: Remote, clock: FixedClock
) -> None:
    probes = health_probes(seat)
    probes.run_all()
    assert set(conditions(seat).values()) == {Condition.UP}
    for system in REMOTE:
        service = remote.of(system)
        service.stop()
        down = probes.run(system)
        assert down.condition is Condition.DOWN and down.reason, system
        assert down.next_try is not None and down.last_success is not None
        others = {s: c for s, c in conditions(seat).items() if s is not system}
        assert set(others.values()) == {Condition.UP}, system
        assert probes.run_due() == []  # not before its back-off is over
        service.start()
        clock.advance(seconds=6)
        (back,) = probes.run_due()
        assert (back.system, back.condition, back.failures) == (system, Condition.UP, 0)


def test_a_clerks_call_that_meets_a_stopped_relay_reports_it(seat: Core, remote: Remote) -> None:
    notice = Notice(subject="Ihr Antrag", body="Bitte melden Sie sich.")
    citizen = Citizen("SI-2026-000001", email="erika@example.org")
    remote.mail.stop()
    assert seat.desk.notifier.send(citizen, notice) == []  # nothing reached her
    mail = seat.health.health(System.MAIL)
    assert mail.condition is Condition.DOWN and "Connection" in mail.reason
    remote.mail.start()
    assert seat.desk.notifier.send(citizen, notice) == ["E-Mail"]
    assert seat.health.health(System.MAIL).condition is Condition.UP


def test_the_command_names_what_is_down(remote: Remote, tmp_path: Path) -> None:
    data = tmp_path / "data"
    environment = remote.environment()
    assert run_cli(data, "db", "upgrade", **environment).returncode == 0
    all_up = run_cli(data, "health", **environment)
    assert all_up.returncode == 0, all_up.stderr
    assert json.loads(all_up.stdout)["down"] == []
    remote.sms.stop()
    remote.box.stop()
    answer = run_cli(data, "health", **environment)
    assert answer.returncode == 1
    shown = json.loads(answer.stdout)
    assert shown["down"] == ["box", "sms"]
    box = next(s for s in shown["systems"] if s["system"] == "box")
    assert box["condition"] == "down" and box["next_try"] and box["reason"]


def test_the_central_database_stopped_and_started_again(clock: FixedClock) -> None:
    with PostgresCluster() as cluster:
        engine = make_engine(cluster.url())
        upgrade(engine)
        engine.dispose()
        core = build_core(
            Settings(database_url=cluster.url(), database_timeout_ms=2000), clock=clock
        )
        try:
            probes = health_probes(core)
            assert probes.run(System.DATABASE).condition is Condition.UP
            cluster.pause()
            with pytest.raises(DatabaseUnavailable):
                core.users.offices()  # the clerk's own call finds it gone first
            down = core.health.health(System.DATABASE)
            assert down.condition is Condition.DOWN and down.reason
            assert probes.run(System.DATABASE).failures == 2
            cluster.resume()
            clock.advance(seconds=20)
            (back,) = probes.run_due()
            assert back.condition is Condition.UP
            with core.database.reading() as session:
                assert session.execute(text("SELECT 1")).scalar() == 1
        finally:
            core.close()
