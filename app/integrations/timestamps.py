"""RFC 3161 timestamps for the audit anchors, through pyHanko: a token from the TSA the seal
uses, and the check of a token (signature intact, over our digest, from a trusted TSA)."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

from asn1crypto import cms, pem, tsp, x509
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
from pyhanko.sign.validation.status import TimestampSignatureStatus
from pyhanko_certvalidator import ValidationContext

from app.ports import TimestampCheck


class RfcTimestamper:
    def __init__(self, url: str, *, trust_file: str = "", timeout: float = 10) -> None:
        self.url, self.trust_file = url, trust_file
        self._client = HTTPTimeStamper(url, timeout=int(timeout)) if url else None

    def probe(self) -> None:
        """The TSA stamps a digest of nothing of ours: OSError if it does not."""
        if self._client is None:
            raise OSError("no time-stamping authority configured (seal_timestamp_url)")
        digest = hashlib.sha256(b"health probe").digest()
        try:
            asyncio.run(self._client.async_timestamp(digest, "sha256"))
        except Exception as error:  # the client raises its own error types for a bad reply
            raise OSError(f"the TSA gave no timestamp: {type(error).__name__}") from error

    def stamp(self, digest: bytes) -> bytes:
        if self._client is None:
            raise OSError("no time-stamping authority configured (seal_timestamp_url)")
        try:
            token = asyncio.run(self._client.async_timestamp(digest, "sha256"))
        except Exception as error:  # the client raises its own error types for a bad reply
            raise OSError(f"the TSA gave no timestamp: {type(error).__name__}") from error
        return bytes(token.dump())

    def check(self, token: bytes, digest: bytes) -> TimestampCheck:
        try:
            content = cms.ContentInfo.load(token)
            signed = content["content"]
            info = signed["encap_content_info"]["content"].parsed
            assert isinstance(info, tsp.TSTInfo)
            at = info["gen_time"].native
            signer = _signer_name(signed)
            status = TimestampSignatureStatus(
                **asyncio.run(
                    validate_tst_signed_data(
                        signed,
                        ValidationContext(trust_roots=self._trust_roots(), allow_fetching=False),
                        lambda _algorithm: digest,
                    )
                )
            )
        except Exception:  # a token that does not even parse is as good as none
            return TimestampCheck(False, False, None, "")
        return TimestampCheck(status.intact and status.valid, status.trusted, at, signer)

    def _trust_roots(self) -> list[x509.Certificate]:
        if not self.trust_file:
            return []
        data = Path(self.trust_file).read_bytes()
        return [
            x509.Certificate.load(der) for _kind, _headers, der in pem.unarmor(data, multiple=True)
        ]


def _signer_name(signed: cms.SignedData) -> str:
    certificates = [c.chosen for c in signed["certificates"] or []]
    serial = signed["signer_infos"][0]["sid"].chosen
    for certificate in certificates:
        if isinstance(serial, cms.IssuerAndSerialNumber) and (
            certificate.serial_number == serial["serial_number"].native
        ):
            return str(certificate.subject.human_friendly)
    return certificates[0].subject.human_friendly if certificates else ""
