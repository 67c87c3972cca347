"""`python -m sandbox.fitconnect serve --dir DIR --port PORT`: the sandbox on a real server."""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from sandbox.fitconnect.service import create_app
from sandbox.fitconnect.setup import prepare


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox.fitconnect")
    parser.add_argument("command", choices=("serve",))
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--token-ttl", type=int, default=300)
    args = parser.parse_args()
    prepare(args.dir)
    uvicorn.run(
        create_app(args.dir, token_ttl=args.token_ttl),
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
    )


if __name__ == "__main__":
    main()
