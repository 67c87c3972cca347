"""A private PostgreSQL cluster on a temporary directory and a free port, started and stopped
by its owner (test session, benchmark). Uses Debian's `postgresql` binaries."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from sandbox.lifecycle import Service
from sandbox.tls import TlsFiles


def _bin_dir() -> Path:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise RuntimeError("PostgreSQL server binaries not found; install Debian's 'postgresql'")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_free(port: int) -> bool:
    """Whether nothing listens on the loopback `port` (so a server started there is ours)."""
    with socket.socket() as probe:
        # connections of a server stopped a moment ago linger in TIME_WAIT on its port; they
        # do not stop a new server there (which reuses the address), only a listener does
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


class PostgresCluster(Service):
    """`with PostgresCluster() as cluster: cluster.url("db")`; everything is removed on exit."""

    def __init__(self, *, tls: TlsFiles | None = None) -> None:
        """`tls`: the server also speaks TLS with this certificate (a central server)."""
        self.tls = tls
        self.bin = _bin_dir()
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="bb-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "sock"
        # initdb refuses to run as root; run the server as the 'postgres' system user then.
        self.run_as = "postgres" if os.geteuid() == 0 else None
        self.user = "desk"

    def _run(self, *command: str) -> None:
        argv = list(command)
        if self.run_as:
            argv = ["runuser", "-u", self.run_as, "--", *argv]
        subprocess.run(argv, check=True, capture_output=True, text=True, cwd=self.root)

    def start(self) -> PostgresCluster:
        self.socket_dir.mkdir()
        if self.run_as:
            record = pwd.getpwnam(self.run_as)
            for path in (self.root, self.socket_dir):
                os.chown(path, record.pw_uid, record.pw_gid)
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            self.user,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        self.options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        if self.tls is not None:
            self.options += " " + self._server_tls(self.tls)
        self.resume()
        return self

    def _server_tls(self, tls: TlsFiles) -> str:
        """The certificate and key where the server's account reads them (the key its own)."""
        folder = self.root / "tls"
        folder.mkdir()
        certificate, key = folder / "server.pem", folder / "server-key.pem"
        shutil.copyfile(tls.server_certificate, certificate)
        shutil.copyfile(tls.server_key, key)
        key.chmod(0o600)
        if self.run_as:
            record = pwd.getpwnam(self.run_as)
            for path in (folder, certificate, key):
                os.chown(path, record.pw_uid, record.pw_gid)
        return f"-c ssl=on -c ssl_cert_file={certificate} -c ssl_key_file={key}"

    def pause(self) -> None:
        """The server stops (an outage), its data kept for `resume`."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        """The server starts (again) on its port, with its data."""
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            self.options,
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(
                str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"
            )
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"
