"""An SMS gateway for the demo and tests (docs/sms-gateway-api.yaml) on a real HTTP server: it
checks the token, the number and the text as the specification says, counts the parts as a
network does (GSM 03.38 by the `gsm0338` codec, else UCS-2), sends each idempotency key once,
and keeps every text it took; in the demo it also files each as JSON in a folder. `offline`
answers 503 to everything; `lose_answers` takes a message and then answers 503, as a gateway
whose answer was lost on the way; `stall` holds each answer back (a sender killed meanwhile)."""

from __future__ import annotations

import json
import math
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gsm0338  # noqa: F401  registers the "gsm03.38" codec

from sandbox.loopback_http import LoopbackHttpService, QuietHandler

NUMBER = re.compile(r"^\+[1-9][0-9]{6,14}$")
SENDER = re.compile(r"^([A-Za-z0-9]{1,11}|\+?[0-9]{3,15})$")
MAX_PARTS = 10


@dataclass(frozen=True, slots=True)
class Text:
    id: str
    to: str
    sender: str
    text: str
    parts: int
    encoding: str


def parts_of(text: str) -> tuple[int, str]:
    """How many parts a network sends the text in, and in which alphabet."""
    try:
        septets = len(text.encode("gsm03.38"))
    except UnicodeEncodeError:
        units = len(text.encode("utf-16-be")) // 2
        return (1 if units <= 70 else math.ceil(units / 67)), "ucs2"
    return (1 if septets <= 160 else math.ceil(septets / 153)), "gsm7"


class SmsGatewaySink(LoopbackHttpService):
    def __init__(self, *, token: str, folder: Path | None = None) -> None:
        self.token, self.folder = token, folder
        self.messages: list[Text] = []
        self.offline = False
        self.lose_answers = 0  # this many accepted messages are answered 503
        self.stall = 0.0  # seconds a taken message waits for its answer (a slow network)
        self._by_key: dict[str, Text] = {}
        self._lock = threading.Lock()

    def take(self, key: str, body: Any) -> tuple[int, dict[str, Any]]:
        """The gateway's answer to one POST /v1/messages: status and body."""
        if self.offline:
            return 503, {"title": "gateway offline"}
        if not isinstance(body, dict) or set(body) - {"to", "sender", "text"}:
            return 400, {"title": "not a message"}
        to, sender, text = body.get("to"), body.get("sender"), body.get("text")
        if not isinstance(to, str) or not NUMBER.match(to):
            return 400, {"title": "invalid number"}
        if not isinstance(sender, str) or not SENDER.match(sender):
            return 400, {"title": "invalid sender"}
        if not isinstance(text, str) or not text:
            return 400, {"title": "empty text"}
        parts, encoding = parts_of(text)
        if parts > MAX_PARTS:
            return 400, {"title": "text too long"}
        with self._lock:
            sent = self._by_key.get(key)
            if sent is None:
                sent = Text(f"m{len(self.messages) + 1}", to, sender, text, parts, encoding)
                self._by_key[key] = sent
                self.messages.append(sent)
                self._file(sent)
                if self.lose_answers:
                    self.lose_answers -= 1
                    return 503, {"title": "answer lost"}
        return 202, {"id": sent.id, "parts": sent.parts, "encoding": sent.encoding}

    def _file(self, sent: Text) -> None:
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        record = {"to": sent.to, "sender": sent.sender, "text": sent.text, "parts": sent.parts}
        (self.folder / f"{len(self.messages):04d}.json").write_text(
            json.dumps(record, ensure_ascii=False, indent=2), "utf-8"
        )

    def handler(self) -> type[QuietHandler]:
        gateway = self

        class Handler(QuietHandler):  # it logs nothing: the numbers are personal data
            def do_POST(self) -> None:
                if self.path != "/v1/messages":
                    return self._answer(404, {"title": "not found"})
                if self.headers.get("Authorization") != f"Bearer {gateway.token}":
                    return self._answer(401, {"title": "unauthorized"})
                key = self.headers.get("Idempotency-Key", "")
                if not 8 <= len(key) <= 64:
                    return self._answer(400, {"title": "Idempotency-Key missing"})
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"null")
                except ValueError:
                    return self._answer(400, {"title": "not JSON"})
                answer = gateway.take(key, body)
                time.sleep(gateway.stall)
                self._answer(*answer)

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                kind = "application/json" if status < 400 else "application/problem+json"
                self.reply(json.dumps(body).encode(), kind, status)

        return Handler
