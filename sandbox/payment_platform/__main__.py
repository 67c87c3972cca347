"""`python -m sandbox.payment_platform --dir DIR --port PORT --auth basic|oauth2|none
--client-id ID --client-secret SECRET --originator O --endpoint E`: the sandbox payment
platform on a real server; its state in DIR/payments.sqlite3 survives restarts."""

from __future__ import annotations

import argparse
import ssl
from pathlib import Path

import uvicorn

from sandbox.payment_platform.service import Access, create_app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox.payment_platform")
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--port", type=int, default=8792)
    parser.add_argument(
        "--auth", choices=("basic", "oauth2", "certificate", "none"), default="basic"
    )
    parser.add_argument("--client-id", default="buergerbuero")
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--originator", default="stadt-siegen")
    parser.add_argument("--endpoint", default="buergerbuero")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    access = Access(args.auth, args.client_id, args.client_secret, args.originator, args.endpoint)
    tls: dict[str, object] = {}
    if args.auth == "certificate":  # the TLS layer checks the client's certificate
        folder = args.dir / "tls"
        tls = {
            "ssl_certfile": str(folder / "server.pem"),
            "ssl_keyfile": str(folder / "server-key.pem"),
            "ssl_ca_certs": str(folder / "ca.pem"),
            "ssl_cert_reqs": ssl.CERT_REQUIRED,
        }
    uvicorn.run(
        create_app(args.dir / "payments.sqlite3", access),
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        **tls,  # type: ignore[arg-type]
    )


if __name__ == "__main__":
    main()
