"""The virtual card in Debian's virtual reader (vsmartcard-vpcd): pcscd's vpcd driver listens on
TCP; a card connects to it, and while the connection is open the reader holds a card. Each
message is a 2-byte big-endian length and a payload: one byte is a control code (0 power off,
1 power on, 2 reset, 4 the ATR, answered with it), more is a command APDU, answered with the
response APDU. Faults for tests: the card pulled at a given command, mute, slow, garbage,
any answer changed."""

from __future__ import annotations

import contextlib
import os
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sandbox.virtual_card.chip import ATR, Chip

VPCD_PORT = 35963  # the package's first virtual reader ("… 00 00"); the second listens on 35964
# the port of our own pcscd's virtual reader (sandbox.pcsc sets it); else the package's
VPCD_PORT_VARIABLE = "BB_SANDBOX_VPCD_PORT"


def vpcd_port() -> int:
    return int(os.environ.get(VPCD_PORT_VARIABLE) or VPCD_PORT)


POWER_OFF, POWER_ON, RESET, GET_ATR = 0, 1, 2, 4


@dataclass
class Faults:
    """What the card does wrong, counted in command APDUs from its insertion."""

    pull_at: int | None = None  # taken out when this command arrives (1 = the first)
    mute_at: int | None = None  # from this command on, it never answers
    delay_seconds: float = 0.0  # before every answer
    garbage_at: int | None = None  # this command is answered with bytes that mean nothing
    # every answer passes through this (the command, the chip's answer → what is sent)
    mutate: Callable[[bytes, bytes], bytes] | None = None


class VirtualCard:
    """`insert()` puts the card in the reader, `remove()` takes it out; `commands` counts the
    APDUs it was sent since it went in."""

    def __init__(
        self,
        chip: Chip | None = None,
        *,
        port: int | None = None,
        host: str = "127.0.0.1",
        faults: Faults | None = None,
    ) -> None:
        self.chip = chip or Chip()
        self.host, self.port = host, port or vpcd_port()
        self.faults = faults or Faults()
        self.commands = 0
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None

    @property
    def inserted(self) -> bool:
        return self._socket is not None

    def insert(self, *, timeout: float = 10) -> None:
        if self._socket is not None:
            return
        deadline = time.monotonic() + timeout
        while True:
            try:
                connection = socket.create_connection((self.host, self.port), timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)  # pcscd (and its vpcd driver) may still be starting
        connection.settimeout(None)
        # answers in ~0.1 ms instead of ~44 ms (Nagle against delayed ACK)
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.commands = 0
        self.chip.reset()
        self._socket = connection
        self._thread = threading.Thread(target=self._serve, args=(connection,), daemon=True)
        self._thread.start()

    def remove(self) -> None:
        connection, self._socket = self._socket, None
        if connection is not None:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _serve(self, connection: socket.socket) -> None:
        try:
            while True:
                header = _read(connection, 2)
                if header is None:
                    return
                payload = _read(connection, struct.unpack(">H", header)[0])
                if payload is None:
                    return
                answer = self._answer(payload)
                if answer is None:
                    if self._socket is None:
                        return
                    continue
                connection.sendall(struct.pack(">H", len(answer)) + answer)
        except OSError:
            return
        finally:
            if self._socket is connection:
                self._socket = None
                connection.close()

    def _answer(self, payload: bytes) -> bytes | None:
        if len(payload) == 1:
            if payload[0] in (POWER_OFF, POWER_ON, RESET):
                self.chip.reset()
                return None
            return ATR if payload[0] == GET_ATR else None
        self.commands += 1
        faults = self.faults
        if faults.pull_at is not None and self.commands >= faults.pull_at:
            threading.Thread(target=self.remove, daemon=True).start()
            return None
        if faults.mute_at is not None and self.commands >= faults.mute_at:
            return None
        if faults.delay_seconds:
            time.sleep(faults.delay_seconds)
        if faults.garbage_at is not None and self.commands == faults.garbage_at:
            return b"\x12\x34\x56\x90\x00"
        answer = self.chip.respond(payload)
        return faults.mutate(payload, answer) if faults.mutate else answer


def _read(connection: socket.socket, count: int) -> bytes | None:
    data = b""
    while len(data) < count:
        chunk = connection.recv(count - len(data))
        if not chunk:
            return None
        data += chunk
        # acknowledge at once (Linux resets this after each receive): a delayed ACK would hold
        # pcscd's next command back by ~40 ms
        if hasattr(socket, "TCP_QUICKACK"):
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
    return data
