"""The seal key on a PKCS#11 token (SoftHSM2, started here): PAdES and the printed seal are
signed inside the token and check out against the published trust list."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from app.domain.documents import DocumentKind
from printing import verify
from printing.maker import SealedDocumentMaker
from printing.seal_keys import Pkcs11Location, Pkcs11SealKey, SealKeyError
from sandbox.document_samples import sample_content
from sandbox.seal_pki import SIGNER_ID
from sandbox.softhsm import SoftHsmToken
from tests.conftest import SealSetup


def _public_key(token: SoftHsmToken, label: str) -> ec.EllipticCurvePublicKey:
    import pkcs11
    from cryptography.hazmat.primitives.serialization import load_der_public_key
    from pkcs11 import KeyType, ObjectClass
    from pkcs11.util.ec import encode_ec_public_key

    library = pkcs11.lib(token.library)
    with library.get_token(token_label=token.label).open(user_pin=token.pin) as session:
        public = session.get_key(
            object_class=ObjectClass.PUBLIC_KEY, key_type=KeyType.EC, label=label
        )
        loaded = load_der_public_key(encode_ec_public_key(public))
    assert isinstance(loaded, ec.EllipticCurvePublicKey)
    return loaded


@pytest.fixture(scope="module")
def token(softhsm_home: Path) -> SoftHsmToken:
    token = SoftHsmToken(softhsm_home, label="siegel").start()
    token.generate_ec_key(label="dienstsiegel", key_id="01")
    return token


@pytest.mark.slow
def test_documents_sealed_on_a_token(seal: SealSetup, token: SoftHsmToken) -> None:
    certificate = seal.pki.issue(
        _public_key(token, "dienstsiegel"), "Stadt Siegen Dienstsiegel (HSM)", serial=0x4853
    )
    trust = seal.pki.trust_list([seal.certificate, certificate])
    key = Pkcs11SealKey(
        Pkcs11Location(token.library, "siegel", "dienstsiegel"), token.pin, certificate
    )
    try:
        maker = SealedDocumentMaker(key, signer_id=SIGNER_ID, location="Siegen")
        made = maker.make(sample_content(DocumentKind.EHEURKUNDE))
    finally:
        key.close()
    pdf_verdict = verify.check_pdf(made.pdf, trust)
    assert pdf_verdict.ok, pdf_verdict
    assert "(HSM)" in pdf_verdict.signatures[0].signer
    seal_verdict = verify.check_seal(made.seal, trust)
    assert seal_verdict.ok, seal_verdict.message
    assert verify.seals_in_pdf(made.pdf)[0] == made.seal


@pytest.mark.slow
def test_wrong_pin_missing_key_and_token_are_clear(seal: SealSetup, token: SoftHsmToken) -> None:
    with pytest.raises(SealKeyError, match="nicht erreichbar"):
        Pkcs11SealKey(
            Pkcs11Location(token.library, "siegel", "dienstsiegel"), "000000", seal.certificate
        )
    with pytest.raises(SealKeyError, match="nicht auf dem Token"):
        Pkcs11SealKey(Pkcs11Location(token.library, "siegel", "fehlt"), token.pin, seal.certificate)
    with pytest.raises(SealKeyError, match="nicht erreichbar"):
        Pkcs11SealKey(
            Pkcs11Location(token.library, "anderes", "dienstsiegel"), token.pin, seal.certificate
        )
