"""What uv.lock pins for one package, for the bootstrap before uv itself is installed.

    python3 scripts/locked.py version uv       # 0.13.8
    python3 scripts/locked.py requirement uv   # uv==0.13.8 --hash=sha256:… (every wheel's)

Standard library only: it runs on the system Python of a new machine.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

LOCK = Path(__file__).resolve().parent.parent / "uv.lock"


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("version", "requirement"):
        print("usage: locked.py version|requirement PACKAGE", file=sys.stderr)
        return 2
    what, name = argv
    packages = [p for p in tomllib.loads(LOCK.read_text())["package"] if p["name"] == name]
    if len(packages) != 1:
        print(f"locked.py: {name} is locked {len(packages)} times in uv.lock", file=sys.stderr)
        return 2
    package = packages[0]
    if what == "version":
        print(package["version"])
        return 0
    files = [*package.get("wheels", []), *([package["sdist"]] if "sdist" in package else [])]
    hashes = " ".join(f"--hash={file['hash']}" for file in files)
    print(f"{name}=={package['version']} {hashes}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
