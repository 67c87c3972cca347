"""The audit log and the anchors of its chain (a folder, an RFC 3161 timestamp)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from app.domain.audit import AuditEntry, AuditRecord


class AuditLog(Protocol):
    def append(self, entry: AuditEntry) -> None: ...

    def verify(self) -> list[str]: ...

    def head(self) -> tuple[int, str]:
        """The chain's recorded tip: the last record's number and hash (0 and the genesis
        hash while empty)."""
        ...

    def record(self, seq: int) -> AuditRecord | None: ...

    def pruned(self) -> tuple[int, str]:
        """The last record retention deleted: the chain starts after it (0: none)."""
        ...


class AnchorStore(Protocol):
    """Where the chain's anchors are kept, outside the database; files are never rewritten."""

    def ready(self) -> None:
        """Raise DomainError when anchors cannot be kept there now (a share not mounted)."""
        ...

    def write(self, name: str, content: bytes) -> None: ...

    def anchors(self) -> list[tuple[str, bytes]]:
        """Every anchor file's name and content, by name."""
        ...


@dataclass(frozen=True, slots=True)
class TimestampCheck:
    """What a checked RFC 3161 token says: its signature intact and over `digest`, whether
    its authority is one we trust, when it was made, by whom."""

    intact: bool
    trusted: bool
    at: dt.datetime | None
    authority: str


class Timestamper(Protocol):
    def stamp(self, digest: bytes) -> bytes:
        """An RFC 3161 token (DER) over the SHA-256 `digest`; OSError when the TSA fails."""
        ...

    def check(self, token: bytes, digest: bytes) -> TimestampCheck: ...
