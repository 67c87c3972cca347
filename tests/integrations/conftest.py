"""The FIT-Connect sandbox and the intake wired to it, for every intake test module."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.integrations.secrets import KeyringSecretStore
from app.integrations.settings import Settings
from app.ports import FormReader
from app.services.form_import import FormImportResult, import_forms
from app.services.intake import Intake
from app.store.intake import SqlIntakeStore
from app.wiring import CLIENT_SECRET, Core, build_intake
from sandbox.fitconnect.process import SandboxProcess
from sandbox.fitconnect.sender import Sender
from sandbox.fitconnect.setup import prepare
from sandbox.softhsm import SoftHsmToken
from tests.conftest import FixedClock


@pytest.fixture(scope="session")
def sandbox_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Keys are slow to make (RSA 4096): once per session, copied for every test."""
    directory = tmp_path_factory.mktemp("sandbox-template")
    prepare(directory)
    return directory


@pytest.fixture
def sandbox(sandbox_template: Path, tmp_path: Path) -> Iterator[SandboxProcess]:
    directory = tmp_path / "sandbox"
    shutil.copytree(sandbox_template, directory)
    with SandboxProcess(directory, token_ttl=60) as process:
        yield process


def intake_settings(core: Core, sandbox: SandboxProcess) -> Settings:
    d = sandbox.description
    return Settings(
        database_url=core.settings.database_url,
        fitconnect_api_url=sandbox.base_url,
        fitconnect_token_url=sandbox.base_url + "/token",
        fitconnect_destination_id=d["destination_id"],
        fitconnect_client_id=d["subscriber_client_id"],
        fitconnect_decryption_key_file=d["decryption_key_file"],
        fitconnect_signing_key_file=d["signing_key_file"],
        fitconnect_signing_kid=d["signing_kid"],
    )


def intake_on_token(
    core: Core, sandbox: SandboxProcess, token: SoftHsmToken, *, decryption: str, signing: str
) -> None:
    """The intake's settings and secrets for the destination's keys inside a SoftHSM2 token
    (`decryption`: the label or `;`-separated labels, current first)."""
    from dataclasses import replace

    from app.wiring import PKCS11_PIN

    core.settings = replace(
        intake_settings(core, sandbox),
        fitconnect_decryption_key_file="",
        fitconnect_signing_key_file="",
        fitconnect_pkcs11_library=token.library,
        fitconnect_pkcs11_token=token.label,
        fitconnect_pkcs11_decryption_label=decryption,
        fitconnect_pkcs11_signing_label=signing,
    )
    secrets = KeyringSecretStore()
    secrets.set(CLIENT_SECRET, sandbox.description["subscriber_client_secret"])
    secrets.set(PKCS11_PIN, token.pin)


def run_import(core: Core, folder: Path, read_form: FormReader) -> FormImportResult:
    """`buergerbuero forms import FOLDER` into the Siegen office, with the given reader."""
    office = {o.code: o.id for o in core.users.offices()}["SI"]
    return import_forms(
        folder,
        read_form=read_form,
        store=SqlIntakeStore(core.database),
        catalogue=core.catalogue,
        calendar=core.calendar,
        clock=core.clock,
        office_id=office,
    )


@pytest.fixture
def intake(core: Core, sandbox: SandboxProcess, staff: Any) -> Intake:
    core.settings = intake_settings(core, sandbox)
    KeyringSecretStore().set(CLIENT_SECRET, sandbox.description["subscriber_client_secret"])
    return build_intake(core, holder="test-seat")


@pytest.fixture
def sender(sandbox: SandboxProcess, clock: FixedClock) -> Sender:
    d = sandbox.description
    return Sender(
        sandbox.base_url,
        d["destination_id"],
        d["sender_client_id"],
        d["sender_client_secret"],
        now=clock.now,
    )
