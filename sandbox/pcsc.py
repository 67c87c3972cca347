"""A real PC/SC stack for tests and the demo: pcscd with Debian's virtual reader driver
(vsmartcard-vpcd), always our own and never the machine's.

pcscd 1.9 insists on /run/pcscd and refuses to start where another pcscd holds it, so ours
runs in a mount namespace of its own (`unshare`, root) in which /run/pcscd is a private folder.
Its clients find it by `PCSCLITE_CSOCK_NAME` (libpcsclite reads it once per process, so the
folder is the same for every start in one process), and the virtual card by `VPCD_PORT_VARIABLE`
(the vpcd driver listens on a free port of ours, not the package's 35963). Both are set in this
process's environment by `start()`; `environment()` gives them to child processes. A stray
pcscd, the system's or one a killed run left, is never used, stopped or in the way; folders of
runs that died are cleaned up at the next start, with the pcscd they left. Only the demo
(`make run`), where no pcscd runs, takes the machine's socket, as a real reader's service would."""

from __future__ import annotations

import contextlib
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
from sandbox.pgcluster import free_port
from sandbox.virtual_card.vpcd import VPCD_PORT_VARIABLE

SOCKET_VARIABLE = "PCSCLITE_CSOCK_NAME"
MACHINE_SOCKET = Path("/run/pcscd/pcscd.comm")
VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
READER_NAME = "Buergerbuero Testleser"  # pcscd appends " 00 00" and " 00 01"
FOLDER_PREFIX = "bb-pcscd-"


def answers(path: Path) -> bool:
    """Whether a pcscd answers on the socket at `path`."""
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(str(path))
        return True
    except OSError:
        return False
    finally:
        probe.close()


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_up_after_dead_runs() -> None:
    """The folders (and pcscds) of processes that ended without stopping theirs."""
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*"):
        owner = folder.name.removeprefix(FOLDER_PREFIX)
        if not owner.isdigit() or _process_alive(int(owner)):
            continue
        # the pcscd we started (its process group: unshare's shell and pcscd); a run killed
        # before writing it leaves pcscd's own pid file (not on the machine socket, whose pid
        # file is the machine's)
        for pid_file, group in (
            (folder / DAEMON_PID_FILE, True),
            (folder / "run" / "pcscd.pid", False),
        ):
            with contextlib.suppress(OSError, ValueError):
                daemon = int(pid_file.read_text().strip())
                (os.killpg if group else os.kill)(daemon, signal.SIGTERM)
                break
        shutil.rmtree(folder, ignore_errors=True)


DAEMON_PID_FILE = "daemon.pid"


class PrivatePcscd(Service):
    """Our own pcscd with the virtual reader; `stop()` ends it."""

    def __init__(self, *, with_reader: bool = True, machine_socket: bool = False) -> None:
        """`with_reader=False`: the service with no reader attached at all.
        `machine_socket=True` (the demo, where no pcscd runs): on the machine's own socket,
        so that `buergerbuero card` in any terminal finds it, as it finds a real reader."""
        self.process: subprocess.Popen[bytes] | None = None
        self.folder = Path(tempfile.gettempdir()) / f"{FOLDER_PREFIX}{os.getpid()}"
        self.machine_socket = machine_socket
        self.socket = MACHINE_SOCKET if machine_socket else self.folder / "run" / "pcscd.comm"
        self.reader_prefix = READER_NAME
        self.with_reader = with_reader
        self.vpcd_port = free_port()

    @staticmethod
    def available() -> bool:
        return all(shutil.which(tool) for tool in ("pcscd", "unshare")) and VPCD_DRIVER.exists()

    def environment(self) -> dict[str, str]:
        """What a client process needs to reach this pcscd and its virtual reader."""
        return {SOCKET_VARIABLE: str(self.socket), VPCD_PORT_VARIABLE: str(self.vpcd_port)}

    def start(self) -> Self:
        pcscd, unshare = shutil.which("pcscd"), shutil.which("unshare")
        if pcscd is None or unshare is None or not VPCD_DRIVER.exists():
            raise RuntimeError("pcscd or the vpcd driver is missing (scripts/bootstrap.sh)")
        clean_up_after_dead_runs()
        run = self.folder / "run"
        run.mkdir(parents=True, exist_ok=True)
        (self.folder / "vpcd").write_text(
            f'FRIENDLYNAME "{READER_NAME}"\n'
            f"DEVICENAME   /dev/null:{self.vpcd_port}\n"
            f"LIBPATH      {VPCD_DRIVER}\n"
            if self.with_reader
            else "# no reader\n"
        )
        if self.machine_socket and answers(MACHINE_SOCKET):
            raise RuntimeError(f"another pcscd holds {MACHINE_SOCKET}")
        os.environ.update(self.environment())
        own_namespace = [
            unshare,
            "--mount",
            "--propagation",
            "private",
            "--",
            "sh",
            "-c",
            'mkdir -p /run/pcscd && mount --bind "$0" /run/pcscd && exec "$@"',
            str(run),
        ]
        with (self.folder / "pcscd.log").open("wb") as log:  # the child keeps its own copy
            self.process = subprocess.Popen(
                [
                    *([] if self.machine_socket else own_namespace),
                    pcscd,
                    "-f",
                    "-c",
                    str(self.folder / "vpcd"),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        # so that a later run ends it should this process be killed before stopping it
        (self.folder / DAEMON_PID_FILE).write_text(str(self.process.pid))
        deadline = time.monotonic() + 10
        while not answers(self.socket):
            if self.process.poll() is not None or time.monotonic() > deadline:
                log_tail = self.log()[-500:]
                self.stop()
                raise RuntimeError(f"pcscd did not start: {log_tail}")
            time.sleep(0.05)
        return self

    def log(self) -> str:
        path = self.folder / "pcscd.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def pause(self) -> None:
        """Stop the service, as Windows does when the last reader goes."""
        self._end()

    def resume(self) -> None:
        if self.process is None:
            self.start()

    def _end(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGTERM)
            end_process(self.process)
            self.process = None

    def stop(self) -> None:
        self._end()
        shutil.rmtree(self.folder, ignore_errors=True)
