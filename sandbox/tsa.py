"""A stand-in RFC 3161 time-stamping authority over real HTTP (application/timestamp-query →
application/timestamp-reply), answering with pyHanko's test TSA. For tests and the demo only: a
real seat names its provider's TSA in `seal_timestamp_url`."""

from __future__ import annotations

import datetime as dt

from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps import DummyTimeStamper

from sandbox.loopback_http import LoopbackHttpService, QuietHandler
from sandbox.seal_pki import SealPki


class TimestampAuthority(LoopbackHttpService):
    def __init__(self, pki: SealPki) -> None:
        # pyHanko's test TSA signs with RSA
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        now = dt.datetime.now(dt.UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(
                x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Sandbox-Zeitstempeldienst")])
            )
            .issuer_name(pki.ca.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
            )
        )
        self.certificate = pki.with_revocation_sources(builder).sign(pki.ca_key, hashes.SHA256())
        pki.issued.append(self.certificate)
        self._stamper = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(
                self.certificate.public_bytes(serialization.Encoding.DER)
            ),
            tsa_key=keys.PrivateKeyInfo.load(
                key.private_bytes(
                    serialization.Encoding.DER,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            ),
        )
        self.requests = 0

    @property
    def url(self) -> str:
        return f"{self.base_url}/tsa"

    def handler(self) -> type[QuietHandler]:
        authority = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                try:
                    request = tsp.TimeStampReq.load(self.rfile.read(length))
                    reply = authority._stamper.request_tsa_response(request).dump()
                except ValueError:
                    self.send_error(400, "not a TimeStampReq")
                    return
                authority.requests += 1
                self.reply(reply, "application/timestamp-reply")

        return Handler
