"""Online intake against the FIT-Connect sandbox over real HTTP on loopback: good submissions
become cases, bad ones are quarantined with their bytes and the portal is told; the process
can be killed at any step and nothing is lost or duplicated."""

from __future__ import annotations

import base64
import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy as sa
import yaml
from jsonschema import Draft202012Validator

from app.domain.cases import Channel, PaymentState
from app.domain.identity import IdentityLevel
from app.domain.inbox import InboxQuery
from app.domain.outbox import Pending
from app.domain.users import DEFAULT_OFFICES, User
from app.integrations.fitconnect.client import (
    FitConnectClient,
    FitConnectRefused,
    FitConnectUnavailable,
)
from app.integrations.fitconnect.source import metadata_validator
from app.integrations.secrets import KeyringSecretStore
from app.integrations.settings import Settings
from app.services.intake import LEASE_SECONDS, Intake
from app.store.database import make_engine, upgrade
from app.store.intake import SqlIntakeStore
from app.store.outbox import SqlOutbox
from app.wiring import CLIENT_SECRET, Core, build_core, build_intake
from sandbox.fitconnect import set_payload_validator
from sandbox.fitconnect.conformance import PACKAGED as OPENAPI
from sandbox.fitconnect.process import SandboxProcess
from sandbox.fitconnect.sender import BAD_KINDS, EXPECTED_PROBLEM, Sender
from sandbox.pgcluster import PostgresCluster
from tests.conftest import FixedClock
from tests.integrations.conftest import intake_on_token, intake_settings
from tests.support.env_keyring import variable


def portal_state(sandbox: SandboxProcess, submission_id: str) -> dict[str, Any]:
    return dict(
        requests.get(f"{sandbox.base_url}/sandbox/submissions/{submission_id}", timeout=5).json()
    )


def test_submissions_become_cases(
    core: Core, intake: Intake, sender: Sender, sandbox: SandboxProcess
) -> None:
    ids = [
        sender.submit(service)
        for service in ("meldebescheinigung_einfach", "bewohnerparkausweis", "anmeldung")
    ]
    result = intake.run_once()
    assert (result.received, result.quarantined, result.events_sent) == (3, 0, 3)
    cases = core.desk.inbox_page(InboxQuery(channel=Channel.ONLINE), offset=0, limit=10)
    assert len(cases) == 3
    parking = next(
        c for c in (core.cases.get(r.id) for r in cases) if c.service_id == "bewohnerparkausweis"
    )
    assert parking.submission_id in ids
    assert parking.identity_verified in (IdentityLevel.SUBSTANTIAL, IdentityLevel.HIGH)
    assert parking.payment is PaymentState.PAID and parking.payment_reference.startswith("KZ-")
    attachments = core.cases.attachments(parking.id)
    assert [a.filename for a in attachments] == ["nachweis.pdf"]
    assert core.cases.attachment_content(attachments[0].id).startswith(b"%PDF-1.4")
    for submission_id in ids:
        state = portal_state(sandbox, submission_id)
        assert state["state"] == "accepted"
        assert set(state["decision"]["authenticationTags"]) == {"metadata", "data", "attachments"}
    assert core.audit.verify() == []
    again = intake.run_once()
    assert again.received == 0 and core.desk.inbox_count(InboxQuery(channel=Channel.ONLINE)) == 3


@pytest.mark.one_engine
def test_no_log_line_names_an_applicant(
    core: Core,
    intake: Intake,
    sender: Sender,
    staff: dict[str, User],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Every logger at DEBUG through a pull (one good, one quarantined) and a clerk opening
    the case: names, birth date and mail address appear in no line."""
    caplog.set_level(logging.DEBUG)
    sender.submit("meldebescheinigung_einfach")
    sender.submit("geburtsurkunde", bad="attachment-hash")
    result = intake.run_once()
    assert (result.received, result.quarantined) == (1, 1)
    (row,) = core.desk.inbox_page(InboxQuery(channel=Channel.ONLINE), offset=0, limit=5)
    case = core.cases.get(row.id)
    core.desk.open_case(user=staff["clerk"], case_id=case.id)
    applicant = case.applicant
    assert applicant.birth_date is not None
    personal = [
        applicant.family_name,
        applicant.given_names,
        applicant.email,
        applicant.birth_date.strftime("%d.%m.%Y"),
        applicant.birth_date.isoformat(),
    ]
    assert all(personal) and caplog.records  # something was logged, and by these
    assert [value for value in personal if value in caplog.text] == []


@pytest.mark.one_engine
@pytest.mark.parametrize("bad", [kind for kind in BAD_KINDS if kind != "attachment-size"])
def test_bad_submissions_are_quarantined_and_the_portal_told(
    bad: str, core: Core, intake: Intake, sender: Sender, sandbox: SandboxProcess
) -> None:
    submission_id = sender.submit("geburtsurkunde", bad=bad)
    result = intake.run_once()
    assert (result.received, result.quarantined) == (0, 1)
    store = SqlIntakeStore(core.database)
    [record] = store.quarantined(offset=0, limit=5)
    assert record.submission_id == submission_id and record.problem and record.detail
    assert record.problem == EXPECTED_PROBLEM.get(bad, record.problem)
    assert record.service == "Geburtsurkunde"  # what the clerk's quarantine list names
    raw = json.loads(store.raw(submission_id))
    assert raw["submission"]["submissionId"] == submission_id and raw["attachments"]
    state = portal_state(sandbox, submission_id)
    assert state["state"] == "rejected"
    problem = state["decision"]["problems"][0]
    assert problem["type"].endswith(record.problem) and problem["instance"]
    assert core.desk.inbox_count(InboxQuery()) == 0


@pytest.mark.one_engine
def test_a_reply_for_a_case_we_never_had_is_quarantined(
    core: Core, intake: Intake, sender: Sender, sandbox: SandboxProcess
) -> None:
    """An answer through the portal on a FIT-Connect case that never became one of ours."""
    from sandbox.fitconnect.sender import submit_reply

    stranger = "6f1c2c7e-0000-4000-8000-00000000dead"
    submission_id = submit_reply(
        sender, fit_case_id=stranger, service_id="geburtsurkunde", message="Anbei der Nachweis"
    )
    result = intake.run_once()
    assert (result.received, result.replies, result.quarantined) == (0, 0, 1)
    [record] = SqlIntakeStore(core.database).quarantined(offset=0, limit=5)
    assert (record.submission_id, record.problem) == (submission_id, "unknown-case")
    assert portal_state(sandbox, submission_id)["state"] == "rejected"


@pytest.mark.one_engine
def test_problem_types_can_be_set_per_seat(
    core: Core, sender: Sender, sandbox: SandboxProcess, staff: Any
) -> None:
    incorrect_hash = "https://schema.fitko.de/fit-connect/events/problems/incorrect-hash"
    core.settings = replace_settings(
        intake_settings(core, sandbox), fitconnect_problem_types=f"hash-mismatch={incorrect_hash}"
    )
    KeyringSecretStore().set(CLIENT_SECRET, sandbox.description["subscriber_client_secret"])
    submission_id = sender.submit("geburtsurkunde", bad="attachment-hash")
    build_intake(core, holder="test-seat").run_once()
    [problem] = portal_state(sandbox, submission_id)["decision"]["problems"]
    assert problem["type"] == incorrect_hash and problem["title"] == "hash-mismatch"


@pytest.mark.one_engine
def test_attachment_over_the_limit_is_quarantined(
    core: Core, intake: Intake, sender: Sender
) -> None:
    intake.source.max_attachment_bytes = 10_000  # type: ignore[attr-defined]
    sender.submit("meldebescheinigung_einfach", attachment_size=50_000)
    result = intake.run_once()
    assert result.quarantined == 1
    assert (
        SqlIntakeStore(core.database).quarantined(offset=0, limit=1)[0].problem
        == "attachment-too-large"
    )


@pytest.mark.one_engine
def test_expired_token_is_renewed_and_refused_credentials_say_so(
    intake: Intake, sender: Sender, sandbox: SandboxProcess
) -> None:
    sender.submit("abmeldung")
    intake.run_once()
    sandbox.faults(drop_tokens=True)  # the service forgets every token, as after expiry
    sender_two = Sender(
        sandbox.base_url,
        **{
            k: sandbox.description[v]
            for k, v in (
                ("destination_id", "destination_id"),
                ("client_id", "sender_client_id"),
                ("client_secret", "sender_client_secret"),
            )
        },
        now=sender.now,
    )
    sender_two.submit("abmeldung")
    assert intake.run_once().received == 1
    sandbox.faults(refuse_tokens=True, drop_tokens=True)
    with pytest.raises(FitConnectRefused):
        intake.run_once()


@pytest.mark.one_engine
def test_the_city_proxy_from_the_environment_is_used_and_no_proxy_respected(
    sandbox: SandboxProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Proxy settings are read once per client (not per request), and still honoured."""
    d = sandbox.description
    for name in ("http_proxy", "https_proxy", "no_proxy", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # a proxy that is not there
    monkeypatch.setenv("NO_PROXY", "")

    def client() -> FitConnectClient:
        return FitConnectClient(
            token_url=sandbox.base_url + "/token",
            api_url=sandbox.base_url,
            client_id=d["subscriber_client_id"],
            client_secret=d["subscriber_client_secret"],
            scope=f"subscribe:destination:{d['destination_id']}",
            timeout=(2.0, 5.0),
        )

    with pytest.raises(FitConnectUnavailable, match="token service unreachable: ProxyError"):
        client().destination(d["destination_id"])
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert client().destination(d["destination_id"])["destinationId"] == d["destination_id"]
    proxied_api = FitConnectClient(  # the token service exempt, the API behind the proxy
        token_url=sandbox.base_url + "/token",
        api_url=sandbox.base_url.replace("127.0.0.1", "localhost"),
        client_id=d["subscriber_client_id"],
        client_secret=d["subscriber_client_secret"],
        scope=f"subscribe:destination:{d['destination_id']}",
        timeout=(2.0, 5.0),
    )
    with pytest.raises(FitConnectUnavailable, match=r"^GET /\S+: ProxyError"):  # the token was got
        proxied_api.destination(d["destination_id"])


@pytest.mark.one_engine
def test_portal_down_slow_or_truncated_loses_nothing(
    core: Core, intake: Intake, sender: Sender, sandbox: SandboxProcess
) -> None:
    sender.submit("eheurkunde")
    client = intake.source.client  # type: ignore[attr-defined]
    client.timeout = (2.0, 1.0)
    sandbox.faults(down=True)
    with pytest.raises(FitConnectUnavailable):
        intake.run_once()
    sandbox.faults(slow_seconds=3)
    with pytest.raises(FitConnectUnavailable):
        intake.run_once()
    sandbox.faults(truncate=True)
    with pytest.raises(FitConnectUnavailable, match="incomplete"):
        intake.run_once()
    assert core.desk.inbox_count(InboxQuery()) == 0
    sandbox.faults()
    assert intake.run_once().received == 1


@pytest.mark.one_engine
def test_an_answer_the_stopped_portal_did_not_take_goes_once_it_is_back(
    core: Core, intake: Intake, sender: Sender, sandbox: SandboxProcess
) -> None:
    """The portal's process really stops between the download and the answer: the case is
    kept, its accept waits (the outbox's summary shows it) and goes once, at the next pull."""
    submission_id = sender.submit("meldebescheinigung_einfach")
    source = intake.source
    accept = source.accept

    def portal_gone_first(*answer: Any) -> None:
        sandbox.stop()
        accept(*answer)

    source.accept = portal_gone_first  # type: ignore[method-assign]
    with pytest.raises(FitConnectUnavailable):
        intake.run_once()
    source.accept = accept  # type: ignore[method-assign]
    assert core.desk.inbox_count(InboxQuery()) == 1  # nothing lost
    assert SqlOutbox(core.database).summary().pending[Pending.PORTAL_ANSWERS] == 1
    sandbox.start()
    assert portal_state(sandbox, submission_id)["state"] != "accepted"
    result = intake.run_once()
    assert (result.events_sent, result.received) == (1, 0)
    assert portal_state(sandbox, submission_id)["state"] == "accepted"
    assert intake.run_once().events_sent == 0  # once
    assert SqlOutbox(core.database).summary().pending[Pending.PORTAL_ANSWERS] == 0
    client = intake.source.client  # type: ignore[attr-defined]
    log = client.events(portal_state(sandbox, submission_id)["caseId"])
    accepts = [e for e in log if "accept-submission" in json.dumps(_claims(e))]
    assert len(accepts) == 1


def _claims(event: str) -> dict[str, Any]:
    return dict(json.loads(base64.urlsafe_b64decode(event.split(".")[1] + "==")))


def test_only_one_seat_pulls_at_a_time(core: Core, intake: Intake) -> None:
    store = SqlIntakeStore(core.database)
    assert store.acquire_lease("intake", "other-seat", seconds=3600).held
    busy = intake.run_once()
    assert busy.busy and busy.busy_holder == "other-seat" and busy.busy_until is not None
    store.release_lease("intake", "other-seat")
    assert not intake.run_once().busy


def test_a_seat_whose_clock_is_fast_does_not_take_a_running_lease(
    core: Core, intake: Intake, clock: FixedClock
) -> None:
    """Leases run on the database server's clock: a seat six minutes fast still sees the other
    seat's lease running (before, it judged the lease by its own clock and pulled too)."""
    store = SqlIntakeStore(core.database)
    assert store.acquire_lease("intake", "other-seat", seconds=LEASE_SECONDS).held
    clock.advance(seconds=6 * 60)
    busy = intake.run_once()
    assert busy.busy and busy.busy_holder == "other-seat"


def test_a_lease_taken_over_mid_pull_stops_the_pull_cleanly(
    core: Core, intake: Intake, sender: Sender, sandbox: SandboxProcess, staff: Any
) -> None:
    """A renewal that finds another holder stops storing: nothing is stored twice, nothing
    raises, and what was not stored stays at the portal for the seat that has the lease."""
    ids = [sender.submit("meldebescheinigung_einfach") for _ in range(12)]
    store = SqlIntakeStore(core.database)
    ticks = iter(range(0, 10_000, 100))
    intake.monotonic = lambda: float(next(ticks))  # every check finds the renewal due

    def steal(done: int, _total: int) -> None:
        if done == 3:  # as a seat whose lease check went wrong would
            with core.database.writing() as session:
                session.execute(sa.text("UPDATE leases SET holder = 'thief' WHERE name = 'intake'"))

    result = intake.run_once(progress=steal)
    assert result.lease_lost and result.busy_holder == "thief"
    stored = core.desk.inbox_count(InboxQuery(channel=Channel.ONLINE))
    assert stored == result.received and 3 <= stored < len(ids)
    waiting = [i for i in ids if store.known(i) is None]
    assert len(waiting) == len(ids) - stored
    assert all(portal_state(sandbox, i)["state"] == "submitted" for i in waiting)


def _intake_process(
    core: Core, sandbox: SandboxProcess, tmp_path: Path, *, mode: str = "--once", **extra: str
) -> subprocess.Popen[str]:
    settings = intake_settings(core, sandbox)
    environment = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "tests.support.env_keyring.EnvKeyring",
        variable(CLIENT_SECRET): sandbox.description["subscriber_client_secret"],
        "BUERGERBUERO_SETTINGS_FILE": str(tmp_path / "none.toml"),
        **{
            f"BUERGERBUERO_{name.upper()}": str(value)
            for name, value in vars_of(settings).items()
            if value
        },
        **extra,
    }
    quiet = mode == "--once"
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "intake", mode],
        env=environment,
        text=True,
        stdout=subprocess.DEVNULL if quiet else subprocess.PIPE,
        stderr=subprocess.DEVNULL if quiet else subprocess.STDOUT,
    )


@pytest.mark.slow
def test_intake_loop_outlives_a_portal_down_at_start_and_stops_cleanly_on_sigterm(
    core: Core, sandbox: SandboxProcess, sender: Sender, tmp_path: Path, staff: Any
) -> None:
    """As a service would run it: started while the portal is down, it keeps trying, pulls
    when the portal is back, and a stop request ends it after the pull, lease released."""
    sandbox.faults(down=True)
    process = _intake_process(
        core, sandbox, tmp_path, mode="--loop", BUERGERBUERO_INTAKE_INTERVAL_SECONDS="1"
    )
    assert process.stdout is not None
    try:
        first = ""
        while "not possible now" not in first:  # (skipping anything printed before)
            first = process.stdout.readline()
            assert first, "the loop ended instead of waiting for the portal"
        assert "next try in 1 s" in first
        sandbox.faults()
        sender.submit("abmeldung")
        deadline = time.monotonic() + 60
        while core.desk.inbox_count(InboxQuery(channel=Channel.ONLINE)) == 0:
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0 and output.rstrip().endswith("intake: stopped")
    assert "1 received" in output
    assert output.count("retention ran: ") == 1  # once a day, however often it pulled
    store = SqlIntakeStore(core.database)
    assert store.acquire_lease("intake", "next-seat", seconds=30).held


@pytest.mark.slow
def test_intake_loop_waits_for_a_database_that_is_down_at_start(
    core: Core, sandbox: SandboxProcess, sender: Sender, tmp_path: Path, staff: Any
) -> None:
    """The service starts before its database: on SQLite the share is not mounted yet, on
    PostgreSQL the server is not running yet. The loop says so and tries again (before, the
    schema check ran first and the loop exited at once), then pulls once it is there."""
    on_sqlite = core.settings.database_url.startswith("sqlite")
    share = tmp_path / "share"
    server = None if on_sqlite else PostgresCluster()  # its port chosen, not started
    if on_sqlite:
        share.write_text("")  # where the share will be mounted: not a folder yet
        url = f"sqlite:///{share / 'desk.sqlite3'}"
    else:
        assert server is not None
        url = server.url("desk")
    process = _intake_process(
        core,
        sandbox,
        tmp_path,
        mode="--loop",
        BUERGERBUERO_INTAKE_INTERVAL_SECONDS="1",
        BUERGERBUERO_DATABASE_URL=url,
    )
    assert process.stdout is not None
    try:
        line = ""
        while "not possible now" not in line:
            line = process.stdout.readline()
            assert line, "the loop ended instead of waiting for the database"
        assert "database" in line
        sender.submit("abmeldung")
        if server is None:
            share.unlink()
            share.mkdir()  # the share is mounted, the database on it
            source = sqlite3.connect(core.settings.database_url.removeprefix("sqlite:///"))
            with sqlite3.connect(share / "desk.sqlite3") as target:
                source.backup(target)
            source.close()
        else:
            server.start()  # the server comes up, IT creates and upgrades the database
            admin = sa.create_engine(server.url(), isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.exec_driver_sql("CREATE DATABASE desk")
            admin.dispose()
            engine = make_engine(url)
            upgrade(engine)
            engine.dispose()
            fresh = build_core(Settings(database_url=url))
            for code, name in DEFAULT_OFFICES:
                fresh.users.save_office(code, name, actor="setup", at=fresh.clock.now())
            fresh.close()
        while "1 received" not in line:
            line = process.stdout.readline()
            assert line, "the loop ended instead of pulling"
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if server is not None:
            server.stop()
    assert process.returncode == 0


def _lease_held(core: Core) -> bool:
    with core.database.engine.connect() as connection:
        holder = connection.execute(
            sa.text("SELECT holder FROM leases WHERE name = 'intake'")
        ).scalar_one_or_none()
    return bool(holder)


def vars_of(settings: Settings) -> dict[str, object]:
    return {name: getattr(settings, name) for name in settings.__slots__}


@pytest.mark.slow
@pytest.mark.parametrize("kill_while", ["/attachments/", "/events"])
def test_killed_intake_process_loses_and_duplicates_nothing(
    kill_while: str,
    core: Core,
    intake: Intake,
    sender: Sender,
    sandbox: SandboxProcess,
    tmp_path: Path,
    clock: FixedClock,
) -> None:
    ids = [sender.submit("meldebescheinigung_einfach") for _ in range(2)]
    sandbox.faults(slow_path=kill_while, slow_seconds=30)
    process = _intake_process(core, sandbox, tmp_path)
    store = SqlIntakeStore(core.database)
    deadline = time.monotonic() + 60
    if kill_while == "/events":  # killed after storing, before the portal heard of it
        while store.known(ids[0]) is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert store.known(ids[0]) is not None
    else:  # killed while downloading (it holds the lease; the portal stalls the download)
        while sandbox.stalled() == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _lease_held(core) and sandbox.stalled() > 0
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    sandbox.faults()
    # a seat of this machine started after the crash takes the dead process's lease at once,
    # without waiting for it to run out
    result = intake.run_once()
    assert not result.busy
    assert core.desk.inbox_count(InboxQuery()) == 2
    assert {
        core.cases.get(r.id).submission_id
        for r in core.desk.inbox_page(InboxQuery(), offset=0, limit=5)
    } == set(ids)
    assert all(portal_state(sandbox, i)["state"] == "accepted" for i in ids)
    assert store.unsent_events() == []
    if kill_while == "/events":
        # what the dead process stored is answered now (it may have stored both, leaving
        # nothing to download: the portal then lists none of them again)
        assert result.events_sent >= 1
    else:
        assert result.received >= 1


def openapi_validator(name: str) -> Draft202012Validator:
    document = yaml.safe_load(OPENAPI.read_text("utf-8"))
    return Draft202012Validator(
        {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    )


def test_sandbox_speaks_the_published_api(sandbox: SandboxProcess, sender: Sender) -> None:
    d = sandbox.description
    submission_id = sender.submit("sterbeurkunde")
    token = requests.post(
        sandbox.base_url + "/token",
        data={
            "grant_type": "client_credentials",
            "client_id": d["subscriber_client_id"],
            "client_secret": d["subscriber_client_secret"],
        },
        timeout=5,
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    listing = requests.get(sandbox.base_url + "/v1/submissions", headers=headers, timeout=5)
    assert listing.status_code == 200
    openapi_validator("SubmissionsForPickup").validate(listing.json())
    submission = requests.get(
        f"{sandbox.base_url}/v1/submissions/{submission_id}", headers=headers, timeout=5
    )
    openapi_validator("Submission").validate(submission.json())
    destination = requests.get(
        f"{sandbox.base_url}/v1/destinations/{d['destination_id']}", headers=headers, timeout=5
    )
    openapi_validator("PublicDestination").validate(destination.json())
    key = requests.get(
        f"{sandbox.base_url}/v1/destinations/{d['destination_id']}/keys/{destination.json()['encryptionKid']}",
        timeout=5,
    )
    openapi_validator("JWK").validate(key.json())
    events = requests.get(
        f"{sandbox.base_url}/v1/cases/{submission.json()['caseId']}/events",
        headers=headers,
        timeout=5,
    )
    openapi_validator("EventLog").validate(events.json())
    missing = requests.get(
        f"{sandbox.base_url}/v1/submissions/00000000-0000-0000-0000-000000000000",
        headers=headers,
        timeout=5,
    )
    assert (
        missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    )
    openapi_validator("Error").validate(missing.json())
    assert requests.get(sandbox.base_url + "/v1/submissions", timeout=5).status_code == 401


@pytest.mark.one_engine
def test_sender_metadata_follows_the_published_schema(
    sandbox: SandboxProcess, intake: Intake, sender: Sender
) -> None:
    sender.submit("bewohnerparkausweis")
    pending = next(intake.source.pending())
    received = intake.source.receive(pending)
    assert list(metadata_validator().iter_errors(received.metadata)) == []


@pytest.mark.one_engine
def test_accept_event_is_a_well_formed_set(
    core: Core, intake: Intake, sender: Sender, sandbox: SandboxProcess
) -> None:
    submission_id = sender.submit("abmeldung")
    intake.run_once()
    client = intake.source.client  # type: ignore[attr-defined]
    case_id = portal_state(sandbox, submission_id)["caseId"]
    log = client.events(case_id)
    accept = log[-1]
    header = json.loads(base64.urlsafe_b64decode(accept.split(".")[0] + "=="))
    claims = json.loads(base64.urlsafe_b64decode(accept.split(".")[1] + "=="))
    assert header == {
        "typ": "secevent+jwt",
        "alg": "PS512",
        "kid": sandbox.description["signing_kid"],
    }
    assert claims["sub"] == f"submission:{submission_id}" and claims["txn"] == f"case:{case_id}"
    assert claims["$schema"].endswith("set-payload.schema.json")
    assert list(claims["events"]) == [
        "https://schema.fitko.de/fit-connect/events/accept-submission"
    ]
    bad_id = sender.submit("abmeldung", bad="data-schema")
    intake.run_once()
    reject_log = client.events(portal_state(sandbox, bad_id)["caseId"])
    payloads = [
        json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
        for token in [*log, *reject_log]  # the portal's submit events, our accept and reject
    ]
    for payload in payloads:
        assert list(set_payload_validator().iter_errors(payload)) == []
    assert [next(iter(p["events"])).rsplit("/", 1)[1] for p in payloads] == [
        *("create-submission", "submit-submission", "accept-submission"),
        *("create-submission", "submit-submission", "reject-submission"),
    ]
    with core.database.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM intake_submissions")).scalar() == 2


@pytest.mark.one_engine
def test_the_portal_refuses_a_set_that_breaks_the_payload_schema(
    intake: Intake, sender: Sender, sandbox: SandboxProcess
) -> None:
    from app.integrations.fitconnect.keys import JwkKeys
    from app.integrations.fitconnect.source import load_private_key

    submission_id = sender.submit("abmeldung")
    case_id = portal_state(sandbox, submission_id)["caseId"]
    d = sandbox.description
    signer = JwkKeys(load_private_key(d["signing_key_file"], None), d["signing_kid"])
    token = signer.sign_set(
        {
            "$schema": "https://schema.fitko.de/fit-connect/set-payload/1.0.0/set-payload.schema.json",
            "jti": "not-a-uuid",
            "iss": d["destination_id"],
            "iat": int(time.time()),
            "sub": f"submission:{submission_id}",
            "txn": f"case:{case_id}",
            "events": {"https://schema.fitko.de/fit-connect/events/accept-submission": {}},
        }
    )
    client = intake.source.client  # type: ignore[attr-defined]
    with pytest.raises(FitConnectRefused, match="SET payload: jti"):
        client.post_event(case_id, token)
    assert portal_state(sandbox, submission_id)["state"] == "submitted"


def test_question_by_mail_and_answer_through_the_portal(
    core: Core, intake: Intake, sender: Sender, sandbox: SandboxProcess, staff: Any
) -> None:
    from app.domain.cases import CaseStatus
    from app.wiring import mailer
    from sandbox.fitconnect.sender import submit_reply
    from sandbox.smtp_sink import SmtpSink

    submission_id = sender.submit("bewohnerparkausweis")
    intake.run_once()
    [row] = core.desk.inbox_page(InboxQuery(), offset=0, limit=1)
    clerk = staff["clerk"]
    core.desk.claim(user=clerk, case_id=row.id)
    with SmtpSink() as sink:
        core.settings = replace_settings(core.settings, smtp_host="127.0.0.1", smtp_port=sink.port)
        core.desk.notifier.mailer = mailer(core.settings)
        question = "Bitte reichen Sie die Zulassungsbescheinigung Teil I nach."
        waiting = core.desk.ask_citizen(user=clerk, case_id=row.id, question=question)
        assert waiting.status is CaseStatus.WAITING
        [mail] = sink.messages
        assert mail["To"] == waiting.applicant.email
        assert row.reference in mail["Subject"]
        assert question in mail.get_payload(decode=True).decode()
    fit_case_id = portal_state(sandbox, submission_id)["caseId"]
    submit_reply(
        sender,
        fit_case_id=fit_case_id,
        service_id="bewohnerparkausweis",
        message="Anbei der Nachweis.",
    )
    result = intake.run_once()
    assert result.replies == 1 and result.received == 0
    answered = core.cases.get(row.id)
    assert answered.status is CaseStatus.IN_PROGRESS and answered.assignee == clerk.login
    assert [a.filename for a in core.cases.attachments(row.id)][-1] == "nachweis-nachgereicht.pdf"
    assert core.cases.notes(row.id)[-1].text == "Antwort: Anbei der Nachweis."
    assert [e.action for e in core.cases.history(row.id)][-2:] == [
        "ask_citizen",
        "citizen_answered",
    ]
    assert core.audit.verify() == []


def test_mail_relay_down_the_question_waits_in_the_outbox(
    core: Core, intake: Intake, sender: Sender, staff: Any
) -> None:
    """The clerk's question is stored with the case, which waits; its mail waits for the
    relay (tests/integrations/test_outbox.py sends it when the relay is back)."""
    from app.domain.cases import CaseStatus
    from app.domain.outbox import MessageState
    from app.store.outbox import SqlOutbox
    from app.wiring import mailer
    from sandbox.pgcluster import free_port

    sender.submit("abmeldung")
    intake.run_once()
    [row] = core.desk.inbox_page(InboxQuery(), offset=0, limit=1)
    core.desk.claim(user=staff["clerk"], case_id=row.id)
    core.desk.notifier.mailer = mailer(  # type: ignore[attr-defined]
        replace_settings(core.settings, smtp_host="127.0.0.1", smtp_port=free_port())
    )
    waiting = core.desk.ask_citizen(
        user=staff["clerk"], case_id=row.id, question="Bitte Nachweis nachreichen"
    )
    assert waiting.status is CaseStatus.WAITING
    (queued,) = SqlOutbox(core.database).for_case(row.id)
    assert queued.state is MessageState.PENDING and queued.last_error == "ConnectionRefusedError"


def replace_settings(settings: Settings, **changes: Any) -> Settings:
    from dataclasses import replace

    return replace(settings, **changes)


@pytest.mark.one_engine
def test_keys_on_a_pkcs11_token(
    core: Core,
    sandbox: SandboxProcess,
    sender: Sender,
    staff: Any,
    tmp_path: Path,
    softhsm_home: Path,
) -> None:
    """The same intake with the destination's keys inside SoftHSM2: decryption (RSA-OAEP-256
    unwrap) and the PS512 accept signature happen on the token; the sandbox verifies it."""

    from sandbox.softhsm import SoftHsmToken

    token = SoftHsmToken(softhsm_home, label=f"fitconnect-{uuid.uuid4().hex[:8]}").start()
    d = sandbox.description
    token.import_key(Path(d["decryption_key_file"]), label="fitconnect-decryption", key_id="01")
    token.import_key(Path(d["signing_key_file"]), label="fitconnect-signing", key_id="02")
    intake_on_token(
        core, sandbox, token, decryption="fitconnect-decryption", signing="fitconnect-signing"
    )
    good = sender.submit("meldebescheinigung_erweitert")
    tampered = sender.submit("geburtsurkunde", bad="tampered")
    result = build_intake(core, holder="hsm-seat").run_once()
    details = [r.detail for r in SqlIntakeStore(core.database).quarantined(offset=0, limit=5)]
    assert (result.received, result.quarantined) == (1, 1), details
    assert (
        portal_state(sandbox, good)["state"] == "accepted"
    )  # signed on the token, verified by the portal
    assert portal_state(sandbox, tampered)["state"] == "rejected"
    [record] = SqlIntakeStore(core.database).quarantined(offset=0, limit=1)
    assert record.problem == "encryption-issue"
