"""An SMTP sink (aiosmtpd) that keeps every message it is handed, for the demo and tests."""

from __future__ import annotations

from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from sandbox.lifecycle import Service
from sandbox.pgcluster import free_port


class _Collector:
    def __init__(self, folder: Path | None) -> None:
        self.messages: list[Message] = []
        self.folder = folder

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content))
        if self.folder is not None:  # the demo: each mail as a file a mail program opens
            self.folder.mkdir(parents=True, exist_ok=True)
            count = len(list(self.folder.glob("*.eml")))
            (self.folder / f"{count + 1:04d}.eml").write_bytes(envelope.content)
        return "250 OK"


class SmtpSink(Service):
    def __init__(self, port: int | None = None, folder: Path | None = None) -> None:
        self.port = port or free_port()
        self.collector = _Collector(folder)
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[Message]:
        return self.collector.messages

    def start(self) -> SmtpSink:
        if self.controller.loop.is_closed():  # started again after a stop (an outage ended)
            self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()
