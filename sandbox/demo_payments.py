"""The demo's payment platform (sandbox.payment_platform, its state kept across demo runs) and,
on the first start, portal applications whose fee was paid (or not) on it, one in each state
the seat must show: waiting, booked after the application came in, failed, cancelled, and
booked for another amount than the fee."""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from pathlib import Path

from app.domain.payments import Booking, payment_request
from app.integrations.payment_platform import XBezahldiensteClient
from sandbox.fitconnect.sender import Sender
from sandbox.payment_platform.process import PlatformProcess

SECRET_FILE = "payment-platform-secret"
FEE_PAPER = 900  # a Meldebescheinigung on paper
# (what the citizen did on the platform after applying, the amount they were asked for)
PORTAL_PAYMENTS = (
    ("", FEE_PAPER),  # still on the payment page: INITIAL
    ("BOOKED", FEE_PAPER),  # paid after sending the application: booked at the next sync
    ("FAILED", FEE_PAPER),
    ("CANCELED", FEE_PAPER),
    ("BOOKED", 500),  # the portal asked the wrong amount: a note, the fee stays open
)


def start_platform(
    stack: contextlib.ExitStack, directory: Path
) -> tuple[PlatformProcess, dict[str, str]]:
    folder = directory / "payments"
    folder.mkdir(parents=True, exist_ok=True)
    secret_file = folder / SECRET_FILE
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(24), "utf-8")
    platform = stack.enter_context(
        PlatformProcess(folder, client_secret=secret_file.read_text("utf-8").strip())
    )
    return platform, {
        "BUERGERBUERO_PAYMENT_PLATFORM_URL": platform.base_url,
        "BUERGERBUERO_PAYMENT_ORIGINATOR_ID": platform.originator,
        "BUERGERBUERO_PAYMENT_ENDPOINT_ID": platform.endpoint,
        "BUERGERBUERO_PAYMENT_AUTH": platform.auth,
        "BUERGERBUERO_PAYMENT_CLIENT_ID": platform.client_id,
    }


def send_paid_applications(sender: Sender, platform: PlatformProcess) -> list[str]:
    """The portal's side: a payment on the platform, the application with its
    paymentInformation (INITIAL, as the citizen was still paying), then what the citizen did."""
    client = XBezahldiensteClient(
        platform.base_url,
        originator=platform.originator,
        endpoint=platform.endpoint,
        auth=platform.auth,
        client_id=platform.client_id,
        secret=platform.client_secret,
    )
    sent = []
    for index, (outcome, amount) in enumerate(PORTAL_PAYMENTS):
        answer = client.create(
            payment_request(
                request_id=f"portal-demo-{index}-{secrets.token_hex(4)}",
                reference=f"PORTAL-{index}",
                service="Meldebescheinigung (einfach)",
                fee_cents=amount,
                booking=Booking("431100", "1220", "02.122.01"),
                redirect_url="",
                at=dt.datetime.now(dt.UTC),
            )
        )
        information = {
            "transactionId": answer.transaction_id,
            "transactionReference": answer.reference,
            "transactionUrl": answer.status_url,
            "paymentMethod": "CREDITCARD",
            "status": "INITIAL",
            "grossAmount": amount / 100,
        }
        sent.append(
            sender.submit(
                "meldebescheinigung_einfach",
                payment_information=information,
                answers={"delivery": "paper"},
            )
        )
        if outcome:
            platform.settle(answer.transaction_id, outcome)
    client.close()
    return sent
