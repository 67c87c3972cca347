"""Typed settings: defaults < settings file (platformdirs) < Windows registry (HKLM, written by
the MSI) < environment (BUERGERBUERO_*). Secrets are never settings: see secrets.py."""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import platformdirs

APP_NAME = "BuergerbueroDesk"
APP_AUTHOR = "Stadt"
ENV_PREFIX = "BUERGERBUERO_"
REGISTRY_KEY = r"SOFTWARE\BuergerbueroDesk"
# set by `sandbox demo` for the seat it starts: the sandbox's folder (demo keyring, register)
SANDBOX_DIR_VARIABLE = f"{ENV_PREFIX}SANDBOX_DIR"
# environment variables of ours that are not settings
NOT_SETTINGS = frozenset({"settings_file", "sandbox_dir"})
log = logging.getLogger(__name__)


class SettingsError(Exception):
    """A settings source holds a value of the wrong type; the message names the source."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a seat can be configured with. Field names are the keys in every source."""

    database_url: str = ""  # empty: SQLite in the user data folder
    language: str = "de"
    page_size: int = 200
    # the city's CA (PEM) that issued the central PostgreSQL's server certificate: the seat
    # connects with TLS and checks the server's name (sslmode=verify-full). Required for a
    # server that is not on this machine.
    database_ca_file: str = ""
    database_timeout_ms: int = 10_000  # wait this long for a lock or a connection, then say so
    office_code: str = ""  # the seat's office, for walk-in cases; empty: the user's office
    login: str = ""  # empty: the OS login
    data_dir: str = ""  # empty: platformdirs user data folder
    profile: str = ""  # a named profile (the demo's is "demo"): its own data folder, in the title
    # FIT-Connect (online intake); the client secret and key password live in the keyring
    fitconnect_api_url: str = ""  # empty: online intake off
    fitconnect_token_url: str = ""
    fitconnect_destination_id: str = ""
    fitconnect_client_id: str = ""
    fitconnect_decryption_key_file: str = ""  # PEM or PKCS#12
    fitconnect_signing_key_file: str = ""
    fitconnect_signing_kid: str = ""
    # or the keys on a PKCS#11 token (HSM); the PIN lives in the keyring as "fitconnect-pkcs11-pin"
    fitconnect_pkcs11_library: str = ""  # e.g. /usr/lib/softhsm/libsofthsm2.so; empty: key files
    fitconnect_pkcs11_token: str = ""
    fitconnect_pkcs11_decryption_label: str = ""
    fitconnect_pkcs11_signing_label: str = ""
    intake_office_code: str = "SI"  # online cases land in this office's inbox
    intake_interval_seconds: int = 300
    attachment_max_bytes: int = 20 * 1024 * 1024
    # reject-submission problem type URIs that differ from PROBLEM_BASE + name, as
    # "hash-mismatch=https://…; unsupported-service=https://…" (empty: the built-in names)
    fitconnect_problem_types: str = ""
    # Mail to citizens (questions); the SMTP password lives in the keyring as "smtp-password"
    smtp_host: str = ""  # empty: no mail from this seat
    smtp_port: int = 25
    smtp_sender: str = "buergerbuero@siegen.example"
    smtp_username: str = ""
    smtp_starttls: int = 0
    # Documents: the authority, the seal key, the trust list, the counter printer. The seal
    # key's password / PIN live in the keyring as "seal-key-password" / "seal-pkcs11-pin".
    authority_name: str = "Stadt Siegen"
    authority_address: str = "Markt 2, 57072 Siegen"
    # where the seal key is: "pkcs12" (a file), "pkcs11" (an HSM or token), or empty: pkcs11
    # where seal_pkcs11_library is set, else pkcs12
    seal_mode: str = ""
    seal_pkcs12_file: str = ""  # single seat: the seal key as a PKCS#12 file
    seal_pkcs11_library: str = ""  # or on an HSM / token: the PKCS#11 module
    seal_pkcs11_token: str = ""
    seal_pkcs11_key_label: str = ""
    seal_certificate_file: str = ""  # PEM; needed with PKCS#11 (tokens often hold no cert)
    seal_signer_id: str = "DESI"  # VDS signer identifier: country and signer, four characters
    seal_trust_list_file: str = ""  # the published trust list, for checking documents
    # the public verifier page's address (docs/verifier.md), printed beside the seal; empty: none
    verifier_url: str = ""
    # Passports and foreign ID cards by chip: the CSCA master list (the BSI's, DER CMS) the
    # chips' document signers are checked against, and a folder of the CSCAs' CRLs (*.crl)
    passport_master_list_file: str = ""
    passport_crl_folder: str = ""
    # The German ID card's on-site reading (§ 18a PAuswG) through AusweisApp: the eID
    # service's tcTokenURL where the city holds the authorisation (empty: none, the CAN check
    # applies), and where AusweisApp's SDK listens
    eid_tc_token_url: str = ""
    ausweisapp_url: str = "ws://127.0.0.1:24727/eID-Kernel"
    seal_timestamp_url: str = ""  # RFC 3161 TSA; empty: no timestamp
    clerk_signature_pkcs12_file: str = ""  # optional: the seat clerk's own signature after the
    # seal (a personal seat); its password lives in the keyring as "clerk-key-password"
    printer_name: str = ""  # empty: the system's default printer
    # The population register's vendor adapter as "package.module:factory" (called with no
    # arguments; it returns an object with facts_for(case)). Empty: clerks confirm the register
    # facts on each case before its original is issued.
    population_register: str = ""
    coat_of_arms_file: str = ""  # optional PNG/JPEG of the city's arms in the letterhead
    # The paper channel: filled PDF application forms from a scan folder and/or a mailbox,
    # imported with every pull. The mailbox password lives in the keyring as
    # "form-mailbox-password".
    form_folder: str = ""  # empty: no scan folder
    form_mailbox_host: str = ""  # empty: no mailbox
    form_mailbox_port: int = 993
    form_mailbox_security: str = "ssl"  # ssl (IMAPS) | starttls | none (loopback tests only)
    form_mailbox_user: str = ""
    form_mailbox_folder: str = "INBOX"
    # The audit chain's anchors outside the database: a folder (a share the database's users
    # cannot rewrite) that `audit anchor` and the intake loop write the chain's head to, each
    # timestamped by seal_timestamp_url where set; `audit verify` checks the chain against them.
    audit_anchor_folder: str = ""  # empty: no anchors
    audit_anchor_interval_seconds: int = 3600  # the intake loop anchors this often, and daily
    audit_anchor_tsa_trust_file: str = ""  # PEM: the TSA certificates (or their CA) to trust
    # The pickup boxes: "SI=https://box-si.example/api, WEI=https://…" (the token of each in the
    # keyring as pickup-box-token-<office>, e.g. pickup-box-token-si); empty: no box
    pickup_boxes: str = ""
    # services that may use the box, comma-separated; empty: the catalogue's (ID documents off)
    box_services: str = ""
    # where each box stands, for the citizen's mail: "SI=Markt 2, 57072 Siegen; WEI=…"
    # (semicolons between offices); empty: authority_address
    box_addresses: str = ""
    box_hold_days: int = 7  # how long an item waits, unless a service or the clerk says otherwise
    box_hold_days_per_service: str = ""  # "geburtsurkunde=14, bewohnerparkausweis=10"
    box_four_eyes: int = 0  # 1: a second clerk confirms before a door opens for loading
    box_reminder_days: int = 2  # the reminder goes this many days before the deadline
    # SLA per service in working days, overriding the catalogue: "meldebescheinigung_einfach=2"
    sla_working_days: str = ""
    # retention (app/domain/data/retention.json): months per kind for every service, e.g.
    # "application_data=24, attachments=6" (docs/compliance.md)
    retention_months: str = ""
    retention_with_intake: int = 1  # 1: `intake --loop` runs the retention job once a day
    staffing_fte: str = ""  # full-time equivalents per office, "SI=6.5, WE=4", for throughput
    report_per_clerk: int = 0  # 1: figures per clerk (staff council's consent, § 72(3) LPVG NRW)
    report_min_group: int = 5  # ...and then only where at least this many clerks decided
    box_alert_mail: str = ""  # each new box issue (a lock after wrong codes, tamper) mailed here
    # The city's SMS gateway (docs/sms-gateway-api.yaml), its token in the keyring as
    # sms-gateway-token; empty: codes and reminders by e-mail only
    sms_gateway_url: str = ""
    sms_sender: str = "Buergeramt"  # the sender shown on the phone: up to 11 letters or digits
    # The city's payment platform (XBezahldienste 1.0: ePayBL, pmPayment, ePay21), for payment
    # links and the state of the portal's payments; empty: no platform. Its secret (password or
    # OAuth2 client secret) in the keyring as payment-platform-secret.
    payment_platform_url: str = ""
    payment_originator_id: str = ""  # given by the provider: who asks (the city, a service)
    payment_endpoint_id: str = ""  # given by the provider: where it is booked
    payment_auth: str = "basic"  # basic, oauth2, certificate (payment_certificate_file), none
    payment_client_id: str = ""
    payment_token_url: str = ""  # OAuth2: the token endpoint; empty: <url>/oauth/token
    payment_certificate_file: str = ""  # PEM with key and certificate, for auth = certificate
    payment_ca_file: str = ""  # the platform's CA (PEM), where the system does not trust it
    payment_redirect_url: str = ""  # where the pay page sends the citizen afterwards
    outage_journal: int = 1  # 1: the window keeps a journal to work on through an outage
    till_counter: str = ""  # this seat's till in the journal, e.g. "Theke-3"; empty: the PC's name
    # The finance export of a confirmed till day (CSV): its columns, in order, from date,
    # kassenzeichen, amount, method, account, cost_centre, product, booking_text
    finance_export_columns: str = (
        "date,kassenzeichen,amount,method,account,cost_centre,booking_text"
    )
    finance_export_delimiter: str = ";"

    def resolved_data_dir(self) -> Path:
        base = Path(self.data_dir or platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
        return base / "profiles" / self.profile if self.profile else base

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.resolved_data_dir() / 'buergerbuero.sqlite3'}"


def settings_file() -> Path:
    override = os.environ.get(f"{ENV_PREFIX}SETTINGS_FILE")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)) / "settings.toml"


def _coerce(name: str, value: Any, source: str) -> Any:
    field_types = {field.name: field.type for field in dataclasses.fields(Settings)}
    wanted = field_types[name]
    if wanted in (int, "int"):
        try:
            return int(value)
        except (TypeError, ValueError) as error:
            raise SettingsError(
                f"{source}: {name} must be a whole number, not {value!r}"
            ) from error
    if not isinstance(value, str):
        raise SettingsError(f"{source}: {name} must be text, not {value!r}")
    return value


def _known(values: Mapping[str, Any], source: str) -> dict[str, Any]:
    """The values of known settings; an unknown key (a typo, a setting of another version) is
    named in a warning instead of being dropped silently."""
    names = {field.name for field in dataclasses.fields(Settings)}
    unknown = sorted(name for name in values if name not in names and name not in NOT_SETTINGS)
    if unknown:
        log.warning("%s: unknown settings ignored: %s", source, ", ".join(unknown))
    return {name: _coerce(name, value, source) for name, value in values.items() if name in names}


def from_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as handle:
            return _known(tomllib.load(handle), str(path))
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: {error}") from error


def from_registry() -> dict[str, Any]:
    """HKLM values the MSI wrote; nothing on other systems."""
    if sys.platform != "win32":
        return {}
    import winreg

    values: dict[str, Any] = {}
    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, REGISTRY_KEY) as key:
            index = 0
            while True:
                try:
                    name, value, _kind = winreg.EnumValue(key, index)
                except OSError:
                    break
                if value != "":  # the MSI writes every setting; an empty one was not given
                    values[name] = value
                index += 1
    except OSError:
        return {}
    return _known(values, f"HKLM\\{REGISTRY_KEY}")


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    values = {
        key[len(ENV_PREFIX) :].lower(): value
        for key, value in environ.items()
        if key.startswith(ENV_PREFIX)
    }
    return _known(values, "environment")


def _layers(environ: Mapping[str, str]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"file {settings_file()}", from_file(settings_file())),
        (f"HKLM\\{REGISTRY_KEY}", from_registry()),
        ("environment", from_environment(environ)),
    ]


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    environ = os.environ if environ is None else environ
    merged: dict[str, Any] = {}
    for _source, layer in _layers(environ):
        merged.update(layer)
    return Settings(**merged)


def settings_sources(environ: Mapping[str, str] | None = None) -> dict[str, tuple[Any, str]]:
    """Every setting's effective value and where it came from (default, the file, the
    registry the MSI wrote, the environment): `buergerbuero settings show`."""
    environ = os.environ if environ is None else environ
    settings = load_settings(environ)
    origin = {name: "default" for name in Settings.__slots__}
    for source, layer in _layers(environ):
        origin.update({name: source for name in layer})
    return {name: (getattr(settings, name), origin[name]) for name in Settings.__slots__}


Number = TypeVar("Number", int, float)


def setting_pairs(value: str, separator: str = ",") -> dict[str, str]:
    """ "A=x, B=y" as {"A": "x", "B": "y"}."""
    pairs = {}
    for item in value.split(separator):
        if "=" in item:
            name, _, text = item.partition("=")
            pairs[name.strip()] = text.strip()
    return pairs


def setting_numbers(value: str, name: str, kind: type[Number]) -> dict[str, Number]:
    """ "A=2, B=4" as {"A": 2, "B": 4}; SettingsError names the setting and the bad pair."""
    numbers = {}
    for key, text in setting_pairs(value).items():
        try:
            numbers[key] = kind(text.replace(",", ".") if kind is float else text)
        except ValueError:
            raise SettingsError(f"{name}: '{key}={text}' needs a number after '='") from None
    return numbers
