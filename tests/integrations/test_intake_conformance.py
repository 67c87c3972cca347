"""Our intake against a second, independently written sender (tests/support/other_sender.py):
JWEs with the RFC 7638 thumbprint as `kid` or none, DEFLATE-compressed, a PDF announced as
`cty: application/json`, attachments without a filename, no `publicServiceType`, an extra
`submissionDate`. All of it becomes cases; a key rotation loses nothing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.domain.cases import Channel
from app.domain.inbox import InboxQuery
from app.integrations.fitconnect import LEIKA_PREFIX, schema_uri
from app.integrations.secrets import KeyringSecretStore
from app.services.intake import Intake
from app.wiring import CLIENT_SECRET, Core, build_intake
from sandbox.fitconnect.process import SandboxProcess
from sandbox.fitconnect.sender import sample_pdf
from tests.integrations.conftest import intake_on_token, intake_settings
from tests.support.other_sender import OtherSender

FORM = {
    "family_name": "Çelik",
    "given_names": "Ayşe",
    "birth_date": "1990-05-17",
    "doctoral_degree": "",
    "delivery": "paper",
}


@pytest.fixture
def other(sandbox: SandboxProcess) -> OtherSender:
    d = sandbox.description
    return OtherSender(
        sandbox.base_url, d["destination_id"], d["sender_client_id"], d["sender_client_secret"]
    )


def _new_key(path: Path) -> rsa.RSAPrivateKey:
    """A new decryption key for the destination, written as PKCS#8 PEM (what IT makes)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return key


def _send(other: OtherSender, **options: object) -> str:
    from app.domain.catalogue import default_catalogue

    service = default_catalogue().service("meldebescheinigung_einfach")
    return other.send(  # type: ignore[arg-type]
        service_identifier=LEIKA_PREFIX + service.leika,
        service_name=service.name_de,
        schema_uri=schema_uri(service.id),
        form=FORM,
        **{"pdf": sample_pdf(4_000, "Mietvertrag"), **options},
    )


def test_a_third_party_sender_s_habits_all_become_cases(
    core: Core, intake: Intake, other: OtherSender
) -> None:
    sent = {_send(other), _send(other, kid=None), _send(other, kid="not-one-of-ours")}
    result = intake.run_once()
    assert (result.received, result.quarantined) == (3, 0), result
    rows = core.desk.inbox_page(InboxQuery(channel=Channel.ONLINE), offset=0, limit=10)
    cases = [core.cases.get(row.id) for row in rows]
    assert {case.submission_id for case in cases} == sent
    attachments = core.cases.attachments(cases[0].id)
    # no filename given: named from what the bytes are, not "<uuid>.bin"
    assert [a.filename for a in attachments] == ["Anlage-1.pdf"]
    assert attachments[0].media_type == "application/pdf"
    assert cases[0].applicant.family_name == "Çelik"


def test_a_declared_type_the_bytes_contradict_is_told_not_refused(
    core: Core, intake: Intake, sandbox: SandboxProcess
) -> None:
    from sandbox.fitconnect.sender import Sender

    d = sandbox.description
    sender = Sender(
        sandbox.base_url,
        d["destination_id"],
        d["sender_client_id"],
        d["sender_client_secret"],
        now=core.clock.now,
    )
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 2000
    sender.submit("meldebescheinigung_einfach", document=jpeg)
    result = intake.run_once()
    assert (result.received, result.quarantined) == (1, 0)
    (row,) = core.desk.inbox_page(InboxQuery(channel=Channel.ONLINE), offset=0, limit=5)
    (attachment,) = core.cases.attachments(row.id)
    assert attachment.media_type == "image/jpeg"
    (note,) = core.cases.notes(row.id)
    assert "angegeben als application/pdf, der Inhalt ist image/jpeg" in note.text


def test_key_rotation_loses_nothing(
    core: Core, sandbox: SandboxProcess, other: OtherSender, tmp_path: Path, staff: object
) -> None:
    """Submissions encrypted to the old key still wait when IT makes a new key current: with
    both configured (new first), every one opens."""
    new_file = tmp_path / "new-decryption.pem"
    new_key = _new_key(new_file)
    settings = intake_settings(core, sandbox)
    KeyringSecretStore().set(CLIENT_SECRET, sandbox.description["subscriber_client_secret"])
    old = _send(other)  # to the destination's current (soon old) key, thumbprint kid
    new = _send(other, key=new_key.public_key(), kid=None)  # to the new one, no kid

    # IT lists the new key first and keeps the old one: both open, nothing is refused
    core.settings = replace(
        settings,
        fitconnect_decryption_key_file=f"{new_file}; {settings.fitconnect_decryption_key_file}",
    )
    both = build_intake(core, holder="seat").run_once()
    assert (both.received, both.quarantined) == (2, 0), both
    ids = {
        core.cases.get(row.id).submission_id
        for row in core.desk.inbox_page(InboxQuery(channel=Channel.ONLINE), offset=0, limit=10)
    }
    assert ids == {old, new}

    # dropping the old key too early: what still waits for it cannot be opened
    core.settings = replace(settings, fitconnect_decryption_key_file=str(new_file))
    late = _send(other)
    dropped = build_intake(core, holder="seat").run_once()
    assert (dropped.received, dropped.quarantined) == (0, 1)
    (entry,) = core.intake_store().quarantined(offset=0, limit=5)
    assert entry.submission_id == late and entry.problem == "invalid-key-id"  # not ours now


def test_two_decryption_keys_on_a_token(
    core: Core, sandbox: SandboxProcess, other: OtherSender, tmp_path: Path, softhsm_home: Path
) -> None:
    """The rotation with the keys inside SoftHSM2: both labels listed, new first; the token's
    public key objects give the thumbprints a sender may use as `kid`."""
    import uuid

    from app.integrations.fitconnect.keys import rfc7638_thumbprint
    from sandbox.softhsm import SoftHsmToken

    new_file = tmp_path / "new.pem"
    new_key = _new_key(new_file)
    token = SoftHsmToken(softhsm_home, label=f"fc-{uuid.uuid4().hex[:8]}").start()
    d = sandbox.description
    token.import_key(new_file, label="fc-dec-new", key_id="03")
    token.import_key(Path(d["decryption_key_file"]), label="fc-dec-old", key_id="01")
    token.import_key(Path(d["signing_key_file"]), label="fc-sign", key_id="02")
    intake_on_token(core, sandbox, token, decryption="fc-dec-new; fc-dec-old", signing="fc-sign")
    numbers = new_key.public_key().public_numbers()
    sent = {
        _send(other),  # the old key, by its thumbprint
        _send(other, key=new_key.public_key(), kid=rfc7638_thumbprint(numbers.n, numbers.e)),
        _send(other, key=new_key.public_key(), kid=None),
    }
    intake = build_intake(core, holder="hsm-seat")
    thumbprints = [key.thumbprint for key in intake.source.decryption.keys]  # type: ignore[attr-defined]
    assert thumbprints[0] == rfc7638_thumbprint(numbers.n, numbers.e) and all(thumbprints)
    result = intake.run_once()
    assert (result.received, result.quarantined) == (3, 0)
    ids = {
        core.cases.get(row.id).submission_id
        for row in core.desk.inbox_page(InboxQuery(channel=Channel.ONLINE), offset=0, limit=10)
    }
    assert ids == sent


def _quarantined(core: Core) -> list[tuple[str, str]]:
    from app.store.intake import SqlIntakeStore

    return [
        (entry.problem, entry.detail)
        for entry in SqlIntakeStore(core.database).quarantined(offset=0, limit=10)
    ]


def test_a_deflate_bomb_is_quarantined_never_inflated_whole(
    core: Core, intake: Intake, other: OtherSender
) -> None:
    """40 MiB of zeros are a few kB on the wire with `zip: DEF`; the limit (20 MiB) counts what
    they inflate to, for an attachment and for the form data alike."""
    zeros = b"\0" * (40 * 1024 * 1024)
    _send(other, pdf=zeros)
    _send(other, data=b'{"family_name": "' + b" " * (40 * 1024 * 1024) + b'"}')
    result = intake.run_once()
    assert (result.received, result.quarantined) == (0, 2), result
    found = _quarantined(core)
    assert [problem for problem, _detail in found] == ["attachment-too-large"] * 2, found
    assert {detail.split(":")[0] for _problem, detail in found} == {"attachment", "data"}


@pytest.mark.parametrize("crit", ["exp", [], 42])
def test_a_crit_that_is_no_non_empty_array_is_refused(
    core: Core, intake: Intake, other: OtherSender, crit: object
) -> None:
    """RFC 7516 4.1.13 with RFC 7515 4.1.11: "crit" is a non-empty array of names."""
    _send(other, metadata_header={"crit": crit})
    result = intake.run_once()
    assert (result.received, result.quarantined) == (0, 1), result
    [(problem, detail)] = _quarantined(core)
    assert problem == "encryption-issue" and "crit" in detail, detail
