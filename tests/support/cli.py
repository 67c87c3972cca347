"""The `buergerbuero` command as a real process, on its own data folder and no settings file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(data_dir: Path, *args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """`buergerbuero ARGS` as it.admin with its data in `data_dir`; `environment` adds or
    overrides variables (BUERGERBUERO_… settings)."""
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **os.environ,
            "BUERGERBUERO_DATA_DIR": str(data_dir),
            "BUERGERBUERO_LOGIN": "it.admin",
            "BUERGERBUERO_SETTINGS_FILE": str(data_dir / "none.toml"),
            **environment,
        },
    )
