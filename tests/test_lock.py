"""uv.lock is the one source of the Python packages (scripts/bootstrap.sh installs from it):
it must say what pyproject.toml asks for, and the virtualenv must hold what it says."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UV = Path(sys.executable).with_name("uv")


def uv(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(UV), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "UV_NO_CONFIG": "1", "UV_PYTHON_DOWNLOADS": "never"},
    )


def test_the_lock_agrees_with_pyproject() -> None:
    """Offline, from the lock alone: a requirement added, dropped or changed in pyproject.toml
    without `make lock` fails here."""
    checked = uv("lock", "--check", "--offline", "--no-cache")
    assert checked.returncode == 0, checked.stderr


def test_the_virtualenv_holds_exactly_the_locked_versions() -> None:
    exported = uv("export", "--frozen", "--all-extras", "--no-hashes", "-q")
    assert exported.returncode == 0, exported.stderr
    requirements = ROOT / ".venv-check-requirements.txt"
    try:
        requirements.write_text(exported.stdout)
        differs = uv(
            "pip", "sync", "--dry-run", "--offline", "--python", sys.executable, str(requirements)
        )
    finally:
        requirements.unlink(missing_ok=True)
    assert differs.returncode == 0, differs.stderr
    assert "Would make no changes" in differs.stderr, differs.stderr
