"""The forms mailbox against a real IMAP server (a private Dovecot): mailed forms become cases,
every message is filed into a folder and none is deleted; wrong password, a server that is down
and a crash between storing and filing each end clearly, with nothing lost or doubled."""

from __future__ import annotations

import io
import ssl
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from pypdf import PdfWriter

from app.domain.cases import Channel
from app.domain.inbox import InboxQuery
from app.domain.intake import MailedApplication
from app.integrations.mailbox import ImapFormMailbox, MailboxUnavailable
from app.integrations.pdf_forms import read_form
from app.integrations.secrets import KeyringSecretStore
from app.integrations.settings import Settings
from app.ports import FormMailbox
from app.services.form_import import DONE, NO_FORM, QUARANTINE, FormImporter, PaperChannel
from app.store.intake import SqlIntakeStore
from app.wiring import MAILBOX_PASSWORD, Core, build_pull
from sandbox.imap import PrivateImap
from sandbox.paper_forms import PARKING_APPLICATION, filled_form, form_mail, forwarded
from sandbox.pgcluster import free_port
from tests.conftest import MAILBOX_PASSWORD as PASSWORD
from tests.conftest import MAILBOX_USER as USER

CITIZEN = "Jürgen Schäfer <j.schaefer@example.org>"


@pytest.fixture
def imap(imap_server: PrivateImap) -> Iterator[PrivateImap]:
    """The server with an empty mailbox (only the inbox) for each test."""
    yield imap_server
    with imap_server.client(USER) as client:
        for _flags, _delimiter, name in client.list_folders():
            if name == "INBOX":
                client.select_folder(name)
                client.delete_messages(client.search(["ALL"]))
                client.expunge()
                client.unselect_folder()
            else:
                client.delete_folder(name)


def mailbox(server: PrivateImap, *, password: str = PASSWORD) -> ImapFormMailbox:
    return ImapFormMailbox(
        host="127.0.0.1", port=server.port, user=USER, password=password, security="none"
    )


def importer(core: Core) -> FormImporter:
    return FormImporter(
        read_form=read_form,
        store=SqlIntakeStore(core.database),
        catalogue=core.catalogue,
        calendar=core.calendar,
        clock=core.clock,
        office_id={o.code: o.id for o in core.users.offices()}["SI"],
    )


def channel(core: Core, open_mailbox: Any) -> PaperChannel:
    return PaperChannel(importer(core), holder="test-seat", open_mailbox=open_mailbox)


def test_mailed_forms_become_cases_and_every_message_is_filed(
    core: Core, staff: Any, imap: PrivateImap
) -> None:
    good = filled_form(core.catalogue, "bewohnerparkausweis", PARKING_APPLICATION)
    bad = filled_form(core.catalogue, "bewohnerparkausweis", {"family_name": "Schäfer"})
    imap.deliver(USER, form_mail(CITIZEN, "Antrag Parkausweis", {"antrag.pdf": good}))
    imap.deliver(USER, form_mail(CITIZEN, "Zwei Anlagen", {"a.pdf": bad, "scan.pdf": b"%PDF-no"}))
    imap.deliver(USER, form_mail(CITIZEN, "Frage zu Öffnungszeiten", {}))
    again = form_mail(CITIZEN, "Antrag Parkausweis", {"antrag.pdf": good})
    imap.deliver(USER, forwarded("kollegin@siegen.example", again))  # the same form, forwarded

    imap.deliver(USER, form_mail(CITIZEN, "Scan", {"scan.pdf": b"%PDF-broken"}))

    result = channel(core, lambda: mailbox(imap)).run_once()

    assert len(result.imported) == 1 and len(result.quarantined) == 2
    assert result.duplicates == ["antrag.pdf"] and result.without_form == 1
    [row] = core.desk.inbox_page(InboxQuery(channel=Channel.PDF_FORM), offset=0, limit=5)
    case = core.cases.get(row.id)
    assert case.applicant.family_name == "Schäfer" and case.data["plate"] == "SI-XY 815"
    assert case.applicant.email == "j.schaefer@example.org"  # the form named none: the sender
    assert [a.filename for a in core.cases.attachments(case.id)] == ["antrag.pdf"]
    problems = {r.problem for r in SqlIntakeStore(core.database).quarantined(offset=0, limit=5)}
    assert problems == {"data-schema-violation", "syntax-violation"}
    assert imap.folders(USER) == {"INBOX": 0, DONE: 2, QUARANTINE: 2, NO_FORM: 1}

    assert channel(core, lambda: mailbox(imap)).run_once().imported == []  # nothing left
    assert core.desk.inbox_count(InboxQuery(channel=Channel.PDF_FORM)) == 1


def test_wrong_password_or_no_server_is_said_plainly_and_takes_nothing(
    core: Core, staff: Any, imap: PrivateImap
) -> None:
    form = filled_form(core.catalogue, "bewohnerparkausweis", PARKING_APPLICATION)
    imap.deliver(USER, form_mail(CITIZEN, "Antrag", {"antrag.pdf": form}))

    with pytest.raises(MailboxUnavailable) as refused:
        channel(core, lambda: mailbox(imap, password="falsch")).run_once()
    assert refused.value.key == "mailbox.refused"
    assert "Anmeldung abgelehnt" in refused.value.text("de")

    nobody = ImapFormMailbox(
        host="127.0.0.1", port=free_port(), user=USER, password=PASSWORD, security="none"
    )
    with pytest.raises(MailboxUnavailable) as down:
        channel(core, lambda: nobody).run_once()
    assert "nicht erreichbar" in down.value.text("de") and "nichts ist verloren" in (
        down.value.text("de")
    )
    assert imap.folders(USER)["INBOX"] == 1
    assert core.desk.inbox_count(InboxQuery(channel=Channel.PDF_FORM)) == 0

    # the seat's pull reports the mailbox and goes on (no portal configured here)
    core.settings = Settings(
        database_url=core.settings.database_url,
        form_mailbox_host="127.0.0.1",
        form_mailbox_port=imap.port,
        form_mailbox_security="none",
        form_mailbox_user=USER,
    )
    KeyringSecretStore().set(MAILBOX_PASSWORD, "falsch")
    pulled = build_pull(core, holder="test-seat").run_once()
    assert pulled.paper_problem is not None and pulled.paper_problem.key == "mailbox.refused"

    KeyringSecretStore().set(MAILBOX_PASSWORD, PASSWORD)  # IT fixes the password
    pulled = build_pull(core, holder="test-seat").run_once()
    assert pulled.paper_problem is None and pulled.forms == 1 and pulled.received == 1


class _CrashesWhenFiling:
    """The real mailbox, with the process 'dying' right after the first form is stored."""

    def __init__(self, real: ImapFormMailbox) -> None:
        self.real = real

    def __enter__(self) -> FormMailbox:
        self.real.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.real.__exit__(None, None, None)

    def messages(self) -> Iterator[MailedApplication]:
        return self.real.messages()

    def file_away(self, key: str, folder: str) -> None:
        raise KeyboardInterrupt("killed between storing and filing")


def test_a_crash_between_storing_and_filing_neither_loses_nor_doubles(
    core: Core, staff: Any, imap: PrivateImap
) -> None:
    form = filled_form(core.catalogue, "bewohnerparkausweis", PARKING_APPLICATION)
    imap.deliver(USER, form_mail(CITIZEN, "Antrag", {"antrag.pdf": form}))

    crashing: AbstractContextManager[Any] = _CrashesWhenFiling(mailbox(imap))
    with pytest.raises(KeyboardInterrupt):
        channel(core, lambda: crashing).run_once()
    assert core.desk.inbox_count(InboxQuery(channel=Channel.PDF_FORM)) == 1  # stored first
    assert imap.folders(USER)["INBOX"] == 1  # the message is still there

    restarted = channel(core, lambda: mailbox(imap)).run_once()
    assert restarted.duplicates == ["antrag.pdf"] and restarted.imported == []
    assert core.desk.inbox_count(InboxQuery(channel=Channel.PDF_FORM)) == 1
    assert imap.folders(USER) == {"INBOX": 0, DONE: 1}


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_the_mailbox_is_read_over_tls_and_an_untrusted_certificate_is_refused(
    core: Core, staff: Any, imap: PrivateImap, security: str
) -> None:
    form = filled_form(core.catalogue, "bewohnerparkausweis", PARKING_APPLICATION)
    imap.deliver(USER, form_mail(CITIZEN, "Antrag", {"antrag.pdf": form}))
    port = imap.tls_port if security == "ssl" else imap.port

    def over_tls(context: ssl.SSLContext | None) -> ImapFormMailbox:
        return ImapFormMailbox(
            host="127.0.0.1",
            port=port,
            user=USER,
            password=PASSWORD,
            security=security,
            ssl_context=context,
        )

    with pytest.raises(MailboxUnavailable) as untrusted:
        channel(core, lambda: over_tls(None)).run_once()  # the system's CAs only
    assert untrusted.value.key == "mailbox.untrusted"
    assert "nicht vertrauenswürdig" in untrusted.value.text("de")
    assert imap.folders(USER)["INBOX"] == 1

    trusting = ssl.create_default_context(cafile=str(imap.certificate_file))
    assert len(channel(core, lambda: over_tls(trusting)).run_once().imported) == 1
    assert imap.folders(USER) == {"INBOX": 0, DONE: 1}


def test_proofs_sent_with_a_form_are_attached_to_its_case(
    core: Core, staff: Any, imap: PrivateImap
) -> None:
    form = filled_form(core.catalogue, "bewohnerparkausweis", PARKING_APPLICATION)
    proof = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)  # a scanned registration certificate
    writer.write(proof)
    mail = form_mail(
        CITIZEN, "Antrag mit Nachweisen", {"antrag.pdf": form, "zb1.pdf": proof.getvalue()}
    )
    mail.add_attachment(
        b"\xff\xd8\xff\xe0 jpeg", maintype="image", subtype="jpeg", filename="ausweis.jpg"
    )
    imap.deliver(USER, mail)
    imap.deliver(USER, form_mail(CITIZEN, "Nur ein Foto", {}))  # and a mail with no form at all

    result = channel(core, lambda: mailbox(imap)).run_once()

    assert len(result.imported) == 1 and result.quarantined == [] and result.without_form == 1
    [row] = core.desk.inbox_page(InboxQuery(channel=Channel.PDF_FORM), offset=0, limit=5)
    attachments = core.cases.attachments(row.id)
    assert [(a.filename, a.media_type) for a in attachments] == [
        ("antrag.pdf", "application/pdf"),
        ("zb1.pdf", "application/pdf"),
        ("ausweis.jpg", "image/jpeg"),
    ]
    assert imap.folders(USER) == {"INBOX": 0, DONE: 1, NO_FORM: 1}
