"""A real PC/SC stack for tests and the demo: pcscd with Debian's virtual reader driver
(vsmartcard-vpcd). Only one pcscd can run on a machine: one already running is used as it is
and never stopped; one started here is stopped by `stop()`, and only that one."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Self

from sandbox.lifecycle import Service, end_process

PCSCD_SOCKET = Path("/run/pcscd/pcscd.comm")
VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
READER_NAME = "Buergerbuero Testleser"  # pcscd appends " 00 00" and " 00 01"


def pcscd_running() -> bool:
    """Whether a pcscd answers on its socket (ours or the system's)."""
    if not PCSCD_SOCKET.exists():
        return False
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(str(PCSCD_SOCKET))
        return True
    except OSError:
        return False
    finally:
        probe.close()


class PrivatePcscd(Service):
    """pcscd with the virtual reader, started unless one runs already."""

    def __init__(self, *, with_reader: bool = True) -> None:
        """`with_reader=False`: the service with no reader attached at all."""
        self.process: subprocess.Popen[bytes] | None = None
        self.directory: Path | None = None
        self.reader_prefix = READER_NAME
        self.with_reader = with_reader

    @staticmethod
    def available() -> bool:
        return shutil.which("pcscd") is not None and VPCD_DRIVER.exists()

    def start(self) -> Self:
        if pcscd_running():
            # somebody else's: its reader is the package's default name
            self.reader_prefix = "Virtual PCD"
            return self
        pcscd = shutil.which("pcscd")
        if pcscd is None or not VPCD_DRIVER.exists():
            raise RuntimeError("pcscd or the vpcd driver is missing (scripts/bootstrap.sh)")
        self.directory = Path(tempfile.mkdtemp(prefix="bb-pcscd-"))
        (self.directory / "vpcd").write_text(
            f'FRIENDLYNAME "{READER_NAME}"\n'
            "DEVICENAME   /dev/null:0x8C7B\n"
            f"LIBPATH      {VPCD_DRIVER}\n"
            "CHANNELID    0x8C7B\n"
            if self.with_reader
            else "# no reader\n"
        )
        with (self.directory / "pcscd.log").open("wb") as log:  # the child keeps its own copy
            self.process = subprocess.Popen(
                [pcscd, "-f", "-c", str(self.directory / "vpcd")],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 10
        while not pcscd_running():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"pcscd did not start: {self.log()[-500:]}")
            time.sleep(0.05)
        return self

    def log(self) -> str:
        if self.directory is None:
            return ""
        path = self.directory / "pcscd.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def pause(self) -> None:
        """Stop the service, as Windows does when the last reader goes (only ours)."""
        if self.process is not None:
            end_process(self.process)
            self.process = None

    def resume(self) -> None:
        if self.process is None and self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None
            self.start()

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGTERM)
            end_process(self.process)
            self.process = None
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None
