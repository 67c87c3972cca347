from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509

from printing.maker import SealedDocumentMaker
from printing.seal_keys import Pkcs12SealKey
from printing.trust_list import TrustList
from sandbox.seal_pki import SIGNER_ID, SealPki

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
