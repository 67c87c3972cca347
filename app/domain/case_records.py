"""What a case keeps beside its state: notes and attachments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Note:
    author: str
    at: dt.datetime
    text: str


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    id: int
    filename: str
    media_type: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class NewAttachment:
    filename: str
    media_type: str
    content: bytes
