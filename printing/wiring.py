"""Wires documents from settings: the seal key (PKCS#12 file or PKCS#11 token, secrets from the
keyring), the maker, the trust list, the document desk on the core."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509

from app.domain.cases import Case
from app.domain.documents import DocumentContent, Issuer, MadeDocument
from app.domain.users import User
from app.integrations.settings import Settings
from app.lanes import Lane, require_lane
from app.ports import PopulationRegister, SecretStore
from app.services.documents import DocumentDesk
from app.wiring import Core
from printing.trust_list import TrustList, TrustListError

if TYPE_CHECKING:
    from printing.maker import SealedDocumentMaker
    from printing.seal_keys import SealKey

log = logging.getLogger(__name__)

SEAL_KEY_PASSWORD = "seal-key-password"
SEAL_PKCS11_PIN = "seal-pkcs11-pin"
CLERK_KEY_PASSWORD = "clerk-key-password"


def load_seal_key(settings: Settings, secrets: SecretStore) -> SealKey:
    from printing.seal_keys import Pkcs11Location, Pkcs11SealKey, Pkcs12SealKey, SealKeyError

    mode = settings.seal_mode.strip().lower() or (
        "pkcs11" if settings.seal_pkcs11_library else "pkcs12"
    )
    if mode not in ("pkcs11", "pkcs12"):
        raise SealKeyError(f"seal_mode {settings.seal_mode!r}: pkcs11 oder pkcs12")
    if mode == "pkcs11":
        if not settings.seal_pkcs11_library:
            raise SealKeyError("seal_mode pkcs11: seal_pkcs11_library fehlt (das PKCS#11-Modul)")
        pin = secrets.get(SEAL_PKCS11_PIN)
        if not pin:
            raise SealKeyError(
                f"Die PIN des Siegel-Tokens fehlt im Schlüsselbund ({SEAL_PKCS11_PIN})"
            )
        if not settings.seal_certificate_file:
            raise SealKeyError("seal_certificate_file fehlt: das Zertifikat zum Token-Schlüssel")
        try:
            certificate = x509.load_pem_x509_certificate(
                Path(settings.seal_certificate_file).read_bytes()
            )
        except (OSError, ValueError) as error:
            raise SealKeyError(f"Siegelzertifikat nicht lesbar: {error}") from error
        location = Pkcs11Location(
            settings.seal_pkcs11_library,
            settings.seal_pkcs11_token,
            settings.seal_pkcs11_key_label,
        )
        return Pkcs11SealKey(location, pin, certificate)
    if settings.seal_pkcs12_file:
        return Pkcs12SealKey(Path(settings.seal_pkcs12_file), secrets.get(SEAL_KEY_PASSWORD))
    raise SealKeyError(
        "Kein Siegelschlüssel eingerichtet (seal_pkcs12_file oder seal_pkcs11_library)"
    )


def load_trust_list(settings: Settings) -> TrustList:
    if not settings.seal_trust_list_file:
        raise TrustListError("Keine Vertrauensliste eingerichtet (seal_trust_list_file)")
    return TrustList.load(Path(settings.seal_trust_list_file))


class LazySealedMaker:
    """Opens the seal key at the first document, on the worker lane that makes it: opening a
    token or a keyring is I/O, and a seat without a key must still start."""

    def __init__(self, settings: Settings, secrets: Callable[[], SecretStore]) -> None:
        self._settings, self._secrets = settings, secrets
        self._maker: SealedDocumentMaker | None = None
        self._lock = threading.Lock()
        self._sealing = threading.Lock()

    def _ready(self) -> SealedDocumentMaker:
        with self._lock:
            if self._maker is None:
                from printing.maker import SealedDocumentMaker  # pyHanko: at the first seal

                settings = self._settings
                self._maker = SealedDocumentMaker(
                    load_seal_key(settings, self._secrets()),
                    signer_id=settings.seal_signer_id,
                    location=settings.authority_name.removeprefix("Stadt ").strip(),
                    timestamp_url=settings.seal_timestamp_url or None,
                    clerk_key=self._clerk_key(),
                    coat_of_arms=self._coat_of_arms(),
                    trust_roots=self._trust_roots(),
                )
            return self._maker

    def _trust_roots(self) -> tuple[x509.Certificate, ...]:
        """The seal CA from the trust list, for embedding revocation data (B-LT)."""
        if not self._settings.seal_trust_list_file:
            return ()
        return load_trust_list(self._settings).roots

    def _coat_of_arms(self) -> bytes | None:
        path = self._settings.coat_of_arms_file
        if not path:
            return None
        try:
            return Path(path).read_bytes()
        except OSError as error:
            # an IT slip with a logo must not stop the counter issuing originals
            log.warning("coat of arms %s not readable (%s): printing without", path, error)
            return None

    def _clerk_key(self) -> SealKey | None:
        """The seat's clerk signs after the seal when their own certificate is set up here."""
        from printing.seal_keys import Pkcs12SealKey

        path = self._settings.clerk_signature_pkcs12_file
        if not path:
            return None
        return Pkcs12SealKey(Path(path), self._secrets().get(CLERK_KEY_PASSWORD))

    def make(self, content: DocumentContent) -> MadeDocument:
        require_lane(Lane.PRINTING)  # an HSM or a TSA may take seconds: never the database lane
        maker = self._ready()
        # one seal at a time per process: pyHanko's signing is not safe to run in two threads
        # at once (an IndexError inside it); the window seals on one lane anyway, a command's
        # threads (two seats in one test process) take turns
        with self._sealing:
            return maker.make(content)


class PopulationRegisterError(RuntimeError):
    """The configured population-register adapter cannot be loaded."""


class LazyPopulationRegister:
    """The vendor adapter named by `population_register` ("package.module:factory"), loaded
    at the first question, on the lane that asks it: a broken adapter is the clerk's clear
    error when issuing, not a seat that does not start."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._adapter: PopulationRegister | None = None
        self._lock = threading.Lock()

    def _ready(self) -> PopulationRegister:
        with self._lock:
            if self._adapter is None:
                import importlib

                module_name, _, factory_name = self.name.partition(":")
                try:
                    factory = getattr(importlib.import_module(module_name), factory_name)
                    self._adapter = factory()
                except Exception as error:
                    raise PopulationRegisterError(
                        f"Melderegister-Anbindung {self.name!r} nicht ladbar: "
                        f"{type(error).__name__}: {error}"
                    ) from error
            assert self._adapter is not None
            return self._adapter

    def facts_for(self, case: Case) -> Mapping[str, str]:
        return self._ready().facts_for(case)


def load_population_register(settings: Settings) -> PopulationRegister | None:
    """The configured adapter, or None: then clerks confirm the register facts on each case."""
    name = settings.population_register.strip()
    return LazyPopulationRegister(name) if name else None


def build_documents(
    core: Core,
    secrets: Callable[[], SecretStore] | None = None,
    *,
    population_register: PopulationRegister | None = None,
) -> DocumentDesk:
    """`secrets` (the core's store unless given) is called when the first document is made,
    on the lane that seals it, not here."""
    settings = core.settings

    def issuer_for(case: Case, user: User) -> Issuer:
        office = next((o for o in core.users.offices() if o.id == case.office_id), None)
        return Issuer(
            authority=settings.authority_name,
            office_name=office.name if office else "Bürgerbüro",
            office_code=office.code if office else "",
            office_address=settings.authority_address,
            clerk_name=user.display_name,
            city=settings.authority_name,
            verifier_url=settings.verifier_url,
        )

    return DocumentDesk(
        cases=core.cases,
        register=core.documents,
        audit=core.audit,
        clock=core.clock,
        catalogue=core.catalogue,
        maker=LazySealedMaker(settings, secrets or core.secrets),
        issuer_for=issuer_for,
        confirmations=core.register_confirmations,
        population_register=population_register,
    )
