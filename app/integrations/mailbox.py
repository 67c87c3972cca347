"""The forms mailbox over IMAP (IMAPClient): citizens mail filled application forms to the
office's address; each message is read without marking it, and filed into a folder once its
forms are stored, so a message is never lost and never handled twice."""

from __future__ import annotations

import contextlib
import email
import email.policy
import ssl
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import parseaddr
from types import TracebackType
from typing import Self

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from app.domain.errors import DomainError
from app.domain.intake import MailedApplication, MailedFile
from app.lanes import Lane, require_lane

SECURITY_MODES = ("ssl", "starttls", "none")


class MailboxUnavailable(DomainError):
    """The mailbox could not be reached or refused the login; nothing was taken from it."""


class ImapFormMailbox:
    def __init__(
        self,
        *,
        host: str,
        port: int,
        user: str,
        password: str,
        security: str = "ssl",
        folder: str = "INBOX",
        timeout: float = 20.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        if security not in SECURITY_MODES:
            raise ValueError(f"form_mailbox_security must be one of {SECURITY_MODES}")
        self.host, self.port, self.user, self.password = host, port, user, password
        self.security, self.folder, self.timeout = security, folder, timeout
        self.ssl_context = ssl_context
        self._client: IMAPClient | None = None

    def __enter__(self) -> Self:
        client: IMAPClient | None = None
        try:
            client = IMAPClient(
                self.host,
                port=self.port,
                ssl=self.security == "ssl",
                ssl_context=self._context(),
                timeout=self.timeout,
            )
            if self.security == "starttls":
                client.starttls(self._context())
            client.login(self.user, self.password)
            client.select_folder(self.folder)
        except (OSError, IMAPClientError) as error:
            if client is not None:
                _close(client)
            raise self._refusal(error) from error
        self._client = client
        return self

    def _refusal(self, error: Exception) -> MailboxUnavailable:
        if isinstance(error, LoginError):
            return MailboxUnavailable("mailbox.refused", detail=self.user)
        if isinstance(error, ssl.SSLCertVerificationError):
            return MailboxUnavailable("mailbox.untrusted", detail=self.host)
        return MailboxUnavailable("mailbox.unavailable", detail=_reason(error))

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _error: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        if self._client is not None:
            _close(self._client)
            self._client = None

    def _context(self) -> ssl.SSLContext:
        return self.ssl_context or ssl.create_default_context()

    @property
    def client(self) -> IMAPClient:
        if self._client is None:
            raise RuntimeError("use the mailbox inside `with`")
        return self._client

    def messages(self) -> Iterator[MailedApplication]:
        """Every message in the folder, oldest first, one download at a time."""
        require_lane(Lane.NETWORK)
        try:
            keys = sorted(self.client.search(["ALL"]))
            for key in keys:
                fetched = self.client.fetch([key], [b"BODY.PEEK[]"]).get(key, {})
                raw = fetched.get(b"BODY[]")
                if isinstance(raw, bytes):
                    yield parse_message(str(key), raw)
        except (OSError, IMAPClientError) as error:
            raise MailboxUnavailable("mailbox.unavailable", detail=_reason(error)) from error

    def file_away(self, key: str, folder: str) -> None:
        client = self.client
        try:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            if client.has_capability("MOVE"):
                client.move([int(key)], folder)
            else:  # copy, then remove the original: the copy exists before the original goes
                client.copy([int(key)], folder)
                client.delete_messages([int(key)])
                if client.has_capability("UIDPLUS"):
                    client.uid_expunge([int(key)])
                else:
                    client.expunge()
        except (OSError, IMAPClientError) as error:
            raise MailboxUnavailable("mailbox.unavailable", detail=_reason(error)) from error


def parse_message(key: str, raw: bytes) -> MailedApplication:
    """The sender and every attached file of a message, however deeply nested (a forwarded
    mail); the message's own text is not an attachment."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    files: list[MailedFile] = []
    for part in message.walk():
        if part.is_multipart() or part.get_content_maintype() == "message":
            continue
        name = part.get_filename() or ""
        media_type = part.get_content_type()
        if not name and (media_type.startswith("text/") or not part.is_attachment()):
            continue  # a body, not a file
        content = part.get_payload(decode=True)
        if isinstance(content, bytes) and content:
            extension = ".pdf" if media_type == "application/pdf" else ".bin"
            files.append(
                MailedFile(name or f"anlage-{len(files) + 1}{extension}", media_type, content)
            )
    return MailedApplication(key, parseaddr(str(message.get("From", "")))[1], tuple(files))


def _reason(error: BaseException) -> str:
    return type(error).__name__


def _close(client: IMAPClient) -> None:
    try:
        client.logout()
    except (OSError, IMAPClientError):
        with contextlib.suppress(OSError):  # the connection is gone already
            client.shutdown()
