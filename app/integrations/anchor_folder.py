"""Audit anchors as files in a folder the admin names (a share the database's users cannot
rewrite): each written once, under a new name, completely or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from app.domain.errors import DomainError


class AnchorFolder:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def write(self, name: str, content: bytes) -> None:
        """Written to a temporary file beside it, then linked under its name: a reader never
        sees half an anchor, and an existing anchor is never replaced."""
        self.ready()
        try:
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".writing-")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(content)
                    out.flush()
                    os.fsync(out.fileno())
                _publish(Path(temporary), self.folder / name)
            finally:
                Path(temporary).unlink(missing_ok=True)
        except OSError as error:
            raise DomainError(
                "audit.anchor_folder", folder=str(self.folder), detail=type(error).__name__
            ) from error

    def ready(self) -> None:
        """The folder is the admin's to make: one that is missing is a share not mounted, and
        anchors written to a local folder in its place would prove nothing."""
        if not self.folder.is_dir():
            raise DomainError(
                "audit.anchor_folder", folder=str(self.folder), detail="no such folder"
            )

    def anchors(self) -> list[tuple[str, bytes]]:
        self.ready()
        try:
            return [
                (path.name, path.read_bytes())
                for path in sorted(self.folder.glob("audit-anchor-*.json"))
            ]
        except OSError as error:
            raise DomainError(
                "audit.anchor_folder", folder=str(self.folder), detail=type(error).__name__
            ) from error


def _publish(temporary: Path, target: Path) -> None:
    """Give the finished file its name, never over an existing one. A hard link does that
    atomically; where the share has none, a rename after a check (anchors are written by one
    job at a time, so the window between the two is harmless)."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise
    except OSError:
        if target.exists():
            raise FileExistsError(target) from None
        os.replace(temporary, target)
