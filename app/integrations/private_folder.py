"""The seat's own folder (the embedded database, the outage journal, the window's state) is
readable by its account only: on Linux and macOS the folder is 0700, made so when the seat
first uses it and tightened where an older version left it open. On Windows the user's
AppData folder carries that ACL already (docs/admin.md)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE = 0o700


def private_folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE)
    if os.name == "posix":
        mode = stat.S_IMODE(path.stat().st_mode)
        if path.stat().st_uid == os.getuid() and mode != PRIVATE:
            path.chmod(PRIVATE)
    return path
