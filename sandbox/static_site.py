"""A static web server on the loopback for a built folder (the public verifier page in the
demo and its tests): it counts the paths it was asked for, and stops when told."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path
from typing import Any


class StaticSite:
    """The built page on http://127.0.0.1:PORT/, every path asked for kept in `requests`."""

    def __init__(self, folder: Path) -> None:
        self.requests: list[str] = []
        site = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            # the types docs/verifier.md asks a city's server for
            extensions_map = {  # noqa: RUF012 (http.server reads it from the class)
                **http.server.SimpleHTTPRequestHandler.extensions_map,
                ".html": "text/html; charset=utf-8",
                ".js": "text/javascript; charset=utf-8",
                ".mjs": "text/javascript; charset=utf-8",
                ".css": "text/css; charset=utf-8",
                ".json": "application/json",
                ".wasm": "application/wasm",
            }

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=str(folder), **kwargs)

            def do_GET(self) -> None:
                site.requests.append(self.path)
                super().do_GET()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> StaticSite:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
