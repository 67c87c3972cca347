"""The pull: FIT-Connect (keys from files or a PKCS#11 token, the client secret from the
keyring) and the paper channel (scan folder, forms mailbox), reaching the database in place
(a command) or through the window's database lane (`database`, an `app.lanes.OnLane`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.health import System
from app.integrations.settings import Settings
from app.lanes import OnLane, in_place
from app.wiring.core import Core
from app.wiring.seat import holder_is_gone
from app.wiring.secret_store import (
    CLIENT_SECRET,
    KEY_PASSWORD,
    MAILBOX_PASSWORD,
    PKCS11_PIN,
    Secrets,
)
from app.wiring.watched import PORTAL_CALLS, watched

if TYPE_CHECKING:
    from app.integrations.fitconnect.keys import DecryptionKeys, Signer
    from app.services.form_import import PaperChannel
    from app.services.intake import Intake
    from app.services.pull import Pull


class IntakeNotConfigured(Exception):
    """No FIT-Connect settings on this seat."""


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


def build_intake(core: Core, *, holder: str, database: OnLane = in_place) -> Intake:
    """The intake on FIT-Connect as configured; reads secrets from the keyring. Network I/O."""
    from app.domain.intake import problem_types
    from app.integrations.fitconnect.client import FitConnectClient
    from app.integrations.fitconnect.source import FitConnectSource
    from app.services.intake import Intake

    settings = core.settings
    if not settings.fitconnect_api_url:
        raise IntakeNotConfigured("online intake is not configured (fitconnect_api_url)")
    client = watched(
        FitConnectClient(
            token_url=settings.fitconnect_token_url,
            api_url=settings.fitconnect_api_url,
            client_id=settings.fitconnect_client_id,
            client_secret=core.secrets.get(CLIENT_SECRET) or "",
            scope=f"subscribe:destination:{settings.fitconnect_destination_id}",
        ),
        System.PORTAL,
        core.health,
        PORTAL_CALLS,
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
        store=core.intake_store(),
        catalogue=core.catalogue,
        calendar=core.calendar,
        clock=core.clock,
        office_id=intake_office(database(office_ids, core), settings.intake_office_code),
        holder=holder,
        abandoned=holder_is_gone,
        database=database,
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
    core: Core, *, holder: str, database: OnLane = in_place
) -> PaperChannel | None:
    """The scan folder and the forms mailbox as configured; None when neither is."""
    from app.integrations.mailbox import ImapFormMailbox
    from app.integrations.pdf_forms import form_reader
    from app.services.form_import import FormImporter, PaperChannel

    settings = core.settings
    if not (settings.form_folder or settings.form_mailbox_host):
        return None
    importer = FormImporter(
        read_form=form_reader(core.catalogue),
        store=core.intake_store(),
        catalogue=core.catalogue,
        calendar=core.calendar,
        clock=core.clock,
        office_id=intake_office(database(office_ids, core), settings.intake_office_code),
        database=database,
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


def build_pull(core: Core, *, holder: str, database: OnLane = in_place) -> Pull:
    """Everything this seat pulls: the portal (if configured) and the paper channel."""
    from app.services.pull import Pull

    intake = (
        build_intake(core, holder=holder, database=database)
        if core.settings.fitconnect_api_url
        else None
    )
    return Pull(intake=intake, paper=build_paper_channel(core, holder=holder, database=database))
