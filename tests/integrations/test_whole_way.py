"""The whole way, with real peers only: a portal sender submits a Meldebescheinigung application
to the FIT-Connect sandbox → the intake pulls it → a clerk claims it, checks the citizen's ID
card in the reader (pcscd, the virtual card) and approves → the sealed original is printed into
a private CUPS → loaded into the emulated box → the mail with the code arrives at the SMTP sink
→ the citizen collects at the keypad → the case is COLLECTED and CLOSED, and the audit chain
verifies."""

from __future__ import annotations

import dataclasses
import re
import time
import uuid
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest

from app.domain.cases import CaseStatus, PaymentState
from app.domain.documents import RegisterFacts, RegisterSource
from app.domain.identity import IdentityLevel
from app.domain.inbox import InboxQuery
from app.integrations.settings import Settings
from app.services.intake import Intake
from app.wiring import Core, build_pickup
from cardreader.check import check_can
from printing.wiring import build_documents
from sandbox.cups import PrivateCups
from sandbox.fitconnect.sender import Sender
from sandbox.pcsc import PrivatePcscd
from sandbox.pickup_box.process import BoxProcess
from sandbox.smtp_sink import SmtpSink
from sandbox.virtual_card.chip import Chip, Personality
from sandbox.virtual_card.vpcd import VirtualCard
from tests.conftest import PASSPHRASE, REGISTER_FACTS, SealSetup

CAN = "123456"


class SealSecrets:
    def get(self, name: str) -> str | None:
        return PASSPHRASE if name == "seal-key-password" else None

    def set(self, name: str, value: str) -> None:
        raise NotImplementedError


@pytest.fixture
def cups() -> Iterator[PrivateCups]:
    with PrivateCups.in_temporary_folder(queue=f"Theke-{uuid.uuid4().hex[:6]}") as started:
        yield started


@pytest.fixture
def card(pcscd: PrivatePcscd) -> Iterator[str]:
    virtual = VirtualCard(Chip(Personality(can=CAN)))
    virtual.insert()
    reader = f"{pcscd.reader_prefix} 00 00"
    yield reader
    virtual.remove()


def confirmed_with_card(reader: str) -> Any:
    deadline = time.monotonic() + 10
    while True:  # pcscd polls vpcd every ~400 ms: the card appears shortly after insertion
        try:
            return check_can(CAN, reader=reader)
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_portal_to_pickup_box(
    qapp: Any,
    core: Core,
    staff: Any,
    intake: Intake,
    sender: Sender,
    card: str,
    cups: PrivateCups,
    seal: SealSetup,
    tmp_path: Path,
) -> None:
    from ui.printer_output import print_pdf

    clerk = staff["clerk"]
    sender.submit("meldebescheinigung_einfach")
    result = intake.run_once()
    assert result.received == 1, result
    (row,) = core.cases.page(InboxQuery(), offset=0, limit=5)
    case = core.cases.get(row.id)
    assert case.channel.value == "online" and case.applicant.email

    desk = core.desk
    desk.claim(user=clerk, case_id=case.id)
    checked = confirmed_with_card(card)
    assert checked.confirmed
    desk.verify_identity(
        user=clerk,
        case_id=case.id,
        level=IdentityLevel.HIGH,
        method="card_can",
        document=checked.card,
    )
    if core.cases.get(case.id).payment is PaymentState.OPEN:
        desk.record_payment(user=clerk, case_id=case.id, state=PaymentState.PAID, reference="ePay")
    core.register_confirmations.confirm(
        RegisterFacts(
            case.id, REGISTER_FACTS, RegisterSource.CONFIRMED, clerk.login, core.clock.now()
        ),
        case_reference=case.reference,
    )
    desk.approve(user=clerk, case_id=case.id)

    core.settings = dataclasses.replace(
        core.settings, seal_pkcs12_file=str(seal.p12), printer_name=cups.queue
    )
    documents = build_documents(core, SealSecrets)
    issued = documents.issue(user=clerk, case_id=case.id)
    before = cups.snapshot()
    title = f"Original {case.reference}"
    printed = print_pdf(
        documents.pdf(user=clerk, document_id=issued.id),
        printer_name=cups.queue,
        copies=1,
        title=title,
    )
    cups.wait_for_output(title.replace(" ", "_"), before=before)
    documents.record_print(
        user=clerk, document_id=issued.id, printer=cups.queue, pages=printed.pages, copies=1
    )
    assert core.cases.get(case.id).status is CaseStatus.PRINTED

    with BoxProcess(tmp_path / "box", boxes={"SI": 24}, token="t") as box, SmtpSink() as sink:
        core.secrets().set("pickup-box-token-si", "t")
        pickup = build_pickup(
            dataclasses.replace(
                core,
                settings=Settings(
                    database_url=core.settings.database_url,
                    pickup_boxes=f"SI={box.url('SI')}",
                    smtp_host="127.0.0.1",
                    smtp_port=sink.port,
                ),
            )
        )
        loading = pickup.load(user=clerk, case_id=case.id, office="SI")
        box.physical("SI").close(loading.compartment)
        pickup.sync("SI")
        assert core.cases.get(case.id).status is CaseStatus.BOXED
        (mail,) = sink.messages
        text = message_from_bytes(mail.as_bytes(), policy=policy.default).get_body(("plain",))
        found = re.search(r"Abholcode:\s+(\d{8})", text.get_content())  # type: ignore[union-attr]
        assert found and mail["To"] == case.applicant.email
        assert case.applicant.birth_date is not None
        opened = box.physical("SI").collect(found.group(1), case.applicant.birth_date.isoformat())
        assert opened == loading.compartment
        pickup.sync("SI")

    assert core.cases.get(case.id).status is CaseStatus.CLOSED
    actions = [event.action for event in core.cases.history(case.id)]
    assert actions[-3:] == ["box", "collect", "close"]
    assert core.audit.verify() == []
