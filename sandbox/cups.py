"""A private CUPS with a cups-pdf queue: a real print spooler for tests and the demo, in a folder
of its own, listening on a unix socket (CUPS_SERVER points clients at it); no systemd.

cups-pdf reads the fixed /etc/cups/cups-pdf.conf; Debian's says `Out ${HOME}/PDF`, where
${HOME} is the submitting account's home as the system's user database has it (not the
process's $HOME: for root, /root/PDF), the file named after the job title.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import time
from pathlib import Path

from sandbox.lifecycle import Service, end_process

CUPS_PDF_PPD = "/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd"


class CupsError(RuntimeError):
    pass


class PrivateCups(Service):
    @classmethod
    def in_temporary_folder(cls, *, queue: str = "Theke-PDF") -> PrivateCups:
        """In a fresh folder under the system temp dir (filters must be able to reach it);
        `stop` removes it."""
        import tempfile

        cups = cls(Path(tempfile.mkdtemp(prefix="bb-cups-")), queue=queue)
        cups._owns_directory = True
        return cups

    def __init__(self, directory: Path, *, queue: str = "Theke-PDF") -> None:
        self._owns_directory = False
        self.directory, self.queue = directory, queue
        self.socket = directory / "cups.sock"
        self._process: subprocess.Popen[bytes] | None = None
        self._previous_server: str | None = None

    @property
    def output_folder(self) -> Path:
        """cups-pdf's `${HOME}/PDF`: the account's home from the user database."""
        return Path(pwd.getpwuid(os.getuid()).pw_dir) / "PDF"

    def start(self) -> PrivateCups:
        cupsd = shutil.which("cupsd") or "/usr/sbin/cupsd"
        if not Path(cupsd).exists():
            raise CupsError("cupsd not found; install Debian's 'cups' (scripts/bootstrap.sh)")
        self.directory.mkdir(parents=True, exist_ok=True)
        self.directory.chmod(0o755)
        for parent in self.directory.parents:
            if not parent.stat().st_mode & 0o001:
                raise CupsError(
                    f"{parent} is closed to other users; CUPS filters run as 'lp' and could not "
                    "reach the spool (use a folder under /tmp)"
                )
        folders = {name: self.directory / name for name in ("spool", "cache", "state", "log")}
        for folder in (*folders.values(), self.directory / "ppd", self.directory / "ssl"):
            folder.mkdir(parents=True, exist_ok=True)
        (folders["spool"] / "tmp").mkdir(exist_ok=True)
        (self.directory / "cupsd.conf").write_text(
            f"Listen {self.socket}\n"
            "LogLevel warn\n"
            "WebInterface No\n"
            "Browsing No\n"
            "DefaultAuthType None\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
        )
        (self.directory / "cups-files.conf").write_text(
            f"ServerRoot {self.directory}\n"
            f"RequestRoot {folders['spool']}\n"
            f"TempDir {folders['spool'] / 'tmp'}\n"
            f"CacheDir {folders['cache']}\n"
            f"StateDir {folders['state']}\n"
            f"AccessLog {folders['log'] / 'access_log'}\n"
            f"ErrorLog {folders['log'] / 'error_log'}\n"
            f"PageLog {folders['log'] / 'page_log'}\n"
            "ServerBin /usr/lib/cups\n"
            "DataDir /usr/share/cups\n"
            "FileDevice No\n"
            "Sandboxing Relaxed\n"
        )
        arguments = [
            cupsd,
            "-f",
            "-c",
            str(self.directory / "cupsd.conf"),
            "-s",
            str(self.directory / "cups-files.conf"),
        ]
        check = subprocess.run([*arguments[:1], "-t", *arguments[2:]], capture_output=True)
        if check.returncode != 0:
            raise CupsError(f"cupsd -t: {check.stderr.decode(errors='replace').strip()}")
        self._process = subprocess.Popen(
            arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self._previous_server = os.environ.get("CUPS_SERVER")
        os.environ["CUPS_SERVER"] = str(self.socket)
        self._wait_until_listening()
        self.lpadmin("-p", self.queue, "-E", "-v", "cups-pdf:/", "-P", CUPS_PDF_PPD)
        self.lpadmin("-d", self.queue)
        return self

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                log = self.directory / "log" / "error_log"
                detail = log.read_text(errors="replace")[-500:] if log.exists() else ""
                raise CupsError(f"cupsd exited: {detail}")
            if self.socket.exists():
                probe = subprocess.run(["lpstat", "-r"], capture_output=True, text=True)
                if "is running" in probe.stdout:
                    return
            time.sleep(0.1)
        raise CupsError("cupsd did not start listening within 15 s")

    def lpadmin(self, *arguments: str) -> None:
        tool = shutil.which("lpadmin") or "/usr/sbin/lpadmin"
        result = subprocess.run([tool, *arguments], capture_output=True, text=True)
        if result.returncode != 0:
            raise CupsError(f"lpadmin {' '.join(arguments)}: {result.stderr.strip()}")

    def disable(self) -> None:
        """Stop the queue, as a printer that is offline or out of paper does."""
        subprocess.run(["cupsdisable", "-r", "kein Papier", self.queue], check=True)

    def enable(self) -> None:
        subprocess.run(["cupsenable", self.queue], check=True)

    def snapshot(self) -> dict[Path, int]:
        """The output folder as it is now (~/PDF keeps the output of earlier runs, and a job
        number can come again after a restart: cups-pdf then overwrites the file)."""
        if not self.output_folder.exists():
            return {}
        return {path: path.stat().st_mtime_ns for path in self.output_folder.glob("*.pdf")}

    def wait_for_output(self, title: str, *, before: dict[Path, int], timeout: float = 30) -> Path:
        """The PDF cups-pdf wrote for the job titled `title` since `before` was taken."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            matches = [
                path
                for path, stamp in self.snapshot().items()
                if title in path.name and before.get(path) != stamp and path.stat().st_size > 0
            ]
            if matches:
                newest = max(matches, key=lambda path: path.stat().st_mtime)
                size = newest.stat().st_size
                time.sleep(0.2)  # cups-pdf writes in place; wait until the size settles
                if newest.stat().st_size == size:
                    return newest
            time.sleep(0.1)
        log = self.directory / "log" / "error_log"
        detail = log.read_text(errors="replace")[-800:] if log.exists() else ""
        raise CupsError(f"no output for job {title!r} within {timeout} s; {detail}")

    def stop(self) -> None:
        end_process(self._process)
        self._process = None
        if self._owns_directory:
            shutil.rmtree(self.directory, ignore_errors=True)
        if self._previous_server is None:
            os.environ.pop("CUPS_SERVER", None)
        else:
            os.environ["CUPS_SERVER"] = self._previous_server
