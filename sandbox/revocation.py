"""A stand-in for the trust service provider's revocation services over real HTTP: the seal
CA's CRL (`GET /ca.crl`) and its OCSP responder (`POST /ocsp`, RFC 6960). Certificates the PKI
issues while this runs name both, so a seal can embed them (PAdES B-LT) and a validator can ask."""

from __future__ import annotations

from sandbox.loopback_http import LoopbackHttpService, QuietHandler
from sandbox.seal_pki import SealPki


class RevocationService(LoopbackHttpService):
    def __init__(self, pki: SealPki) -> None:
        self.pki = pki
        self.crl_requests = self.ocsp_requests = 0

    def start(self) -> RevocationService:
        super().start()
        self.pki.revocation_url = self.base_url  # certificates issued from now on name it
        return self

    def handler(self) -> type[QuietHandler]:
        service = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                if self.path != "/ca.crl":
                    self.send_error(404)
                    return
                service.crl_requests += 1
                self.reply(service.pki.crl(), "application/pkix-crl")

            def do_POST(self) -> None:
                if self.path != "/ocsp":
                    self.send_error(404)
                    return
                length = int(self.headers.get("Content-Length", "0"))
                service.ocsp_requests += 1
                self.reply(service.pki.ocsp(self.rfile.read(length)), "application/ocsp-response")

        return Handler
