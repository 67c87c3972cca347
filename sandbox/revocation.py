"""A stand-in for the trust service provider's revocation services over real HTTP: the seal
CA's CRL (`GET /ca.crl`) and its OCSP responder (`POST /ocsp`, RFC 6960). Certificates the PKI
issues while this runs name both, so a seal can embed them (PAdES B-LT) and a validator can ask."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sandbox.lifecycle import Service
from sandbox.seal_pki import SealPki


class RevocationService(Service):
    def __init__(self, pki: SealPki) -> None:
        self.pki = pki
        self._server: ThreadingHTTPServer | None = None
        self.crl_requests = self.ocsp_requests = 0

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> RevocationService:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path != "/ca.crl":
                    self.send_error(404)
                    return
                service.crl_requests += 1
                self._reply(service.pki.crl(), "application/pkix-crl")

            def do_POST(self) -> None:
                if self.path != "/ocsp":
                    self.send_error(404)
                    return
                length = int(self.headers.get("Content-Length", "0"))
                service.ocsp_requests += 1
                self._reply(service.pki.ocsp(self.rfile.read(length)), "application/ocsp-response")

            def _reply(self, body: bytes, content_type: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.pki.revocation_url = self.url
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
