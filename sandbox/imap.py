"""A private Dovecot IMAP server: the office's forms mailbox for the demo and tests, in a folder
of its own, on free loopback ports: IMAP (plain, or STARTTLS) and IMAPS, with a certificate for
127.0.0.1 made here (`certificate_file` is what a client must trust); passwords from a file; no
systemd.

Run as root, Dovecot's login processes must not be root: they run as Debian's `dovenull` and the
mail as `dovecot`; run as anyone else, everything runs as that user."""

from __future__ import annotations

import datetime as dt
import grp
import ipaddress
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from imapclient import IMAPClient

from sandbox.lifecycle import Service, end_process
from sandbox.pgcluster import free_port

DOVECOT = "/usr/sbin/dovecot"


class ImapError(RuntimeError):
    pass


class PrivateImap(Service):
    def __init__(self, users: dict[str, str], *, port: int | None = None) -> None:
        self.users = dict(users)
        self.port = port or free_port()
        self.tls_port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="bb-imap-"))
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> PrivateImap:
        if not Path(DOVECOT).exists():
            raise ImapError("dovecot not found; install Debian's 'dovecot-imapd' (bootstrap.sh)")
        self.directory.chmod(0o755)  # the login and mail users must reach their folders
        mail = self.directory / "mail"
        mail.mkdir()
        if os.geteuid() == 0:
            login_user, internal_user = "dovenull", "dovecot"
            mail_user = pwd.getpwnam("dovecot")
            os.chown(mail, mail_user.pw_uid, mail_user.pw_gid)
        else:
            login_user = internal_user = pwd.getpwuid(os.geteuid()).pw_name
            mail_user = pwd.getpwuid(os.geteuid())
        internal_group = grp.getgrgid(pwd.getpwnam(internal_user).pw_gid).gr_name
        passwords = self.directory / "users"
        passwords.write_text(
            "".join(f"{user}:{{PLAIN}}{password}\n" for user, password in self.users.items())
        )
        passwords.chmod(0o644)
        key_file = self._make_certificate()
        config = self.directory / "dovecot.conf"
        config.write_text(
            f"base_dir = {self.directory / 'run'}\n"
            f"state_dir = {self.directory / 'state'}\n"
            f"log_path = {self.directory / 'dovecot.log'}\n"
            "protocols = imap\n"
            "listen = 127.0.0.1\n"
            "ssl = yes\n"
            f"ssl_cert = <{self.certificate_file}\n"
            f"ssl_key = <{key_file}\n"
            "disable_plaintext_auth = no\n"
            "auth_mechanisms = plain login\n"
            "first_valid_uid = 0\n"
            f"default_login_user = {login_user}\n"
            f"default_internal_user = {internal_user}\n"
            f"default_internal_group = {internal_group}\n"
            f"mail_location = maildir:{mail}/%u\n"
            "passdb {\n  driver = passwd-file\n"
            f"  args = scheme=PLAIN username_format=%u {passwords}\n}}\n"
            "userdb {\n  driver = static\n"
            f"  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={mail}/%u\n}}\n"
            "service imap-login {\n"
            f"  inet_listener imap {{\n    address = 127.0.0.1\n    port = {self.port}\n  }}\n"
            f"  inet_listener imaps {{\n    address = 127.0.0.1\n    port = {self.tls_port}\n  }}\n"
            "  chroot =\n}\n"
            "service anvil {\n  chroot =\n}\n"
        )
        (self.directory / "state").mkdir()
        self._process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait_until_serving()
        return self

    @property
    def certificate_file(self) -> Path:
        return self.directory / "imap-cert.pem"

    def _make_certificate(self) -> Path:
        """A self-signed certificate for 127.0.0.1 (its own CA), valid for a day."""
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Postfach Sandbox")])
        now = dt.datetime.now(dt.UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False,
            )
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        self.certificate_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        key_file = self.directory / "imap-key.pem"
        key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        key_file.chmod(0o600)
        return key_file

    def _wait_until_serving(self) -> None:
        deadline = time.monotonic() + 15
        user, password = next(iter(self.users.items()))
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise ImapError(f"dovecot exited: {self.log()[-500:]}")
            try:
                with IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=2) as client:
                    client.login(user, password)
                    return
            except OSError:
                time.sleep(0.1)
        raise ImapError(f"dovecot did not serve within 15 s: {self.log()[-500:]}")

    def log(self) -> str:
        path = self.directory / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def client(self, user: str) -> IMAPClient:
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=10)
        client.login(user, self.users[user])
        return client

    def deliver(self, user: str, message: EmailMessage) -> None:
        """Put a message into the user's inbox, as the city's mail server would."""
        with self.client(user) as client:
            client.append("INBOX", message.as_bytes())

    def folders(self, user: str) -> dict[str, int]:
        """Every folder of the mailbox with how many messages it holds."""
        with self.client(user) as client:
            return {
                name: int(client.folder_status(name, [b"MESSAGES"])[b"MESSAGES"])
                for _flags, _delimiter, name in client.list_folders()
            }

    def stop(self) -> None:
        end_process(self._process)
        self._process = None
        shutil.rmtree(self.directory, ignore_errors=True)
