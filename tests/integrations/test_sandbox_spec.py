"""The sandbox refuses what the real Submission API refuses and answers as its OpenAPI file says.
Every answer of every test is also validated against that file by the sandbox itself
(sandbox/fitconnect/conformance.py: a violation becomes a 500 that fails the test); these tests
pin the points where the sandbox used to depart from it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests

from sandbox.fitconnect.process import SandboxProcess
from sandbox.fitconnect.sender import Sender, encrypt, sample_pdf


def _token(sandbox: SandboxProcess, role: str, scope: str | None = None) -> requests.Response:
    d = sandbox.description
    data = {
        "grant_type": "client_credentials",
        "client_id": d[f"{role}_client_id"],
        "client_secret": d[f"{role}_client_secret"],
    }
    if scope is not None:
        data["scope"] = scope
    return requests.post(sandbox.base_url + "/token", data=data, timeout=5)


def _session(sandbox: SandboxProcess, role: str) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {_token(sandbox, role).json()['access_token']}"
    return session


def test_tokens_carry_only_the_scopes_granted_to_the_client_s_role(
    sandbox: SandboxProcess,
) -> None:
    destination = sandbox.description["destination_id"]
    subscriber = _token(sandbox, "subscriber").json()
    assert subscriber["scope"].split() == sorted(
        [f"manage:destination:{destination}", f"subscribe:destination:{destination}"]
    )
    assert _token(sandbox, "sender", f"subscribe:destination:{destination}").status_code == 400
    narrowed = _token(sandbox, "sender", f"send:destination:{destination}").json()
    assert narrowed["scope"] == f"send:destination:{destination}"


def test_a_sender_cannot_read_what_the_destination_received(
    sandbox: SandboxProcess, sender: Sender
) -> None:
    submission_id = sender.submit("geburtsurkunde")
    base, portal = sandbox.base_url, _session(sandbox, "sender")
    for path in (
        "/v1/submissions",
        f"/v1/submissions?destinationId={sandbox.description['destination_id']}",
        f"/v1/submissions/{submission_id}",
    ):
        refused = portal.get(base + path, timeout=5)
        assert refused.status_code == 403, path
        assert refused.headers["content-type"] == "application/problem+json"
    assert _session(sandbox, "subscriber").get(base + "/v1/submissions", timeout=5).ok


def test_submit_answers_a_submission_reduced(sandbox: SandboxProcess, sender: Sender) -> None:
    d, portal = sandbox.description, _session(sandbox, "sender")
    attachment = str(uuid.uuid4())
    created = portal.post(
        sandbox.base_url + "/v1/submissions",
        json={
            "destinationId": d["destination_id"],
            "announcedAttachments": [attachment],
            "serviceType": {"name": "Test", "identifier": "urn:de:fim:leika:leistung:1"},
        },
        timeout=5,
    ).json()
    jwe = encrypt(sample_pdf(500, "x"), sender.key, kid=sender.kid, content_type="application/pdf")
    url = f"{sandbox.base_url}/v1/submissions/{created['submissionId']}"
    unannounced = portal.put(
        f"{url}/attachments/{uuid.uuid4()}",
        data=jwe,
        headers={"Content-Type": "application/jose"},
        timeout=5,
    )
    assert unannounced.status_code == 422  # not 400: the specification's answer
    portal.put(
        f"{url}/attachments/{attachment}",
        data=jwe,
        headers={"Content-Type": "application/jose"},
        timeout=5,
    ).raise_for_status()
    submitted = portal.put(url, json={"encryptedMetadata": jwe}, timeout=5)
    assert submitted.status_code == 202
    body: dict[str, Any] = submitted.json()
    assert body["attachments"] == [attachment] and body["serviceType"]["name"] == "Test"


def test_destination_and_keys_are_not_to_be_cached(sandbox: SandboxProcess) -> None:
    d, session = sandbox.description, _session(sandbox, "subscriber")
    destination = session.get(
        f"{sandbox.base_url}/v1/destinations/{d['destination_id']}", timeout=5
    )
    assert destination.headers["Cache-Control"] == "no-cache"
    kid = destination.json()["encryptionKid"]
    key = requests.get(
        f"{sandbox.base_url}/v1/destinations/{d['destination_id']}/keys/{kid}", timeout=5
    )
    assert key.headers["Cache-Control"] == "no-cache"


def test_a_destination_is_patched_by_its_manager_only(sandbox: SandboxProcess) -> None:
    url = f"{sandbox.base_url}/v1/destinations/{sandbox.description['destination_id']}"
    manager = _session(sandbox, "subscriber")
    assert (
        _session(sandbox, "sender").patch(url, json={"status": "active"}, timeout=5).status_code
        == 403
    )
    assert manager.patch(url, json={"status": "sleeping"}, timeout=5).status_code == 400
    patched = manager.patch(url, json={"status": "inactive"}, timeout=5)
    assert patched.status_code == 200 and patched.json()["status"] == "inactive"
    assert "contactInformation" in patched.json()  # a PrivateDestination
    manager.patch(url, json={"status": "active"}, timeout=5).raise_for_status()


def test_an_offset_past_the_end_is_an_empty_page(sandbox: SandboxProcess, sender: Sender) -> None:
    sender.submit("anmeldung")
    session = _session(sandbox, "subscriber")
    empty = session.get(f"{sandbox.base_url}/v1/submissions?limit=1&offset=5", timeout=5)
    assert empty.status_code == 200 and empty.json()["count"] == 0
    assert empty.json()["totalCount"] == 1


@pytest.mark.parametrize("tags", ["made-up", "none"])
def test_an_accept_with_other_authentication_tags_is_refused(
    sandbox: SandboxProcess, sender: Sender, tags: str
) -> None:
    import json
    import time

    from app.integrations.fitconnect import EVENTS, SET_SCHEMA
    from app.integrations.fitconnect.keys import JwkKeys
    from app.integrations.fitconnect.source import load_private_key

    d = sandbox.description
    submission_id = sender.submit("abmeldung")
    session = _session(sandbox, "subscriber")
    case_id = session.get(f"{sandbox.base_url}/v1/submissions/{submission_id}", timeout=5).json()[
        "caseId"
    ]
    signer = JwkKeys(load_private_key(d["signing_key_file"], None), d["signing_kid"])
    payload = {"authenticationTags": {"metadata": "AAAA", "data": "BBBB", "attachments": {}}}
    if tags == "none":
        payload = {}
    token = signer.sign_set(
        {
            "$schema": SET_SCHEMA,
            "jti": str(uuid.uuid4()),
            "iss": d["destination_id"],
            "iat": int(time.time()),
            "sub": f"submission:{submission_id}",
            "txn": f"case:{case_id}",
            "events": {EVENTS + "accept-submission": payload},
        }
    )
    refused = session.post(
        f"{sandbox.base_url}/v1/cases/{case_id}/events",
        data=token,
        headers={"Content-Type": "application/jose"},
        timeout=5,
    )
    assert refused.status_code == 422, refused.text
    assert "authenticationTags" in json.dumps(refused.json())


@pytest.mark.parametrize("limit", ["0", "-1", "abc", "501"])
def test_paging_parameters_outside_the_specification_are_refused(
    sandbox: SandboxProcess, limit: str
) -> None:
    """The OpenAPI file says `limit` is an integer from 1 to 500: anything else is a 400
    problem that names the parameter, not a page of some size."""
    subscriber = _session(sandbox, "subscriber")
    refused = subscriber.get(f"{sandbox.base_url}/v1/submissions?limit={limit}", timeout=5)
    assert refused.status_code == 400, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "limit" in refused.json()["detail"]
    assert subscriber.get(f"{sandbox.base_url}/v1/submissions?limit=500", timeout=5).ok


def test_the_specification_is_checked_without_being_asked(tmp_path: Any) -> None:
    """`sandbox serve` and `make run` start the sandbox without FITCONNECT_SANDBOX_OPENAPI."""
    import os

    assert "FITCONNECT_SANDBOX_OPENAPI" not in os.environ
    with SandboxProcess(tmp_path / "sandbox") as fresh:
        refused = _session(fresh, "subscriber").get(
            f"{fresh.base_url}/v1/submissions?limit=0", timeout=5
        )
        assert refused.status_code == 400
