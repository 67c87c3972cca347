"""What the small HTTP stand-ins share (the TSA, the revocation service): a threaded server on
a free loopback port, a handler that answers a body and keeps quiet, start and stop."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

from sandbox.lifecycle import Service


class QuietHandler(BaseHTTPRequestHandler):
    def reply(self, body: bytes, content_type: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return None


class LoopbackHttpService(Service):
    """`handler()` gives the request handler class; `base_url` is where it answers."""

    _server: ThreadingHTTPServer | None = None
    _port = 0  # a free one at the first start; a restart (an outage ended) takes it again

    def handler(self) -> type[QuietHandler]:
        raise NotImplementedError

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        self._server = ThreadingHTTPServer(("127.0.0.1", self._port), self.handler())
        self._port = int(self._server.server_address[1])
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
