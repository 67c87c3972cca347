"""`python -m sandbox.pickup_box --dir DIR --port PORT --boxes SI=608,WEI=45 --token T`: the
emulated box controllers on a real server; the state in DIR/boxes.sqlite3 survives restarts."""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from sandbox.pickup_box.service import create_app
from sandbox.pickup_box.state import BoxState


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox.pickup_box")
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--boxes", default="SI=608", help="office=compartments, comma-separated")
    parser.add_argument("--token", required=True)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    state_file = args.dir / "boxes.sqlite3"
    boxes = BoxState(state_file)
    for item in args.boxes.split(","):
        office, count = item.split("=")
        boxes.ensure_box(office.strip(), int(count))
    uvicorn.run(
        create_app(state_file, args.token), host="127.0.0.1", port=args.port, log_level="warning"
    )


if __name__ == "__main__":
    main()
