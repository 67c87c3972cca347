"""Our XBezahldienste client against the sandbox platform over real HTTP, in each of the
providers' authentication kinds: a payment created, paid on the platform and read back
(BOOKED, or PAYED as some providers say); the standard's refusals by functional code; a
creation whose answer was lost repeated without a second payment; the platform down."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.payments import Booking, PlatformStatus, payment_request
from app.integrations.payment_platform import XBezahldiensteClient
from app.ports.payments import PlatformRefused, PlatformUnavailable
from sandbox.payment_platform.process import PlatformProcess

AT = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
BOOKING = Booking("431100", "1220", "02.122.01")


@pytest.fixture(scope="module", params=["basic", "oauth2", "certificate"])
def platform(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PlatformProcess]:
    with PlatformProcess(tmp_path_factory.mktemp("pay"), auth=request.param) as process:
        yield process


def client_for(platform: PlatformProcess, *, secret: str | None = None) -> XBezahldiensteClient:
    tls = platform.tls
    return XBezahldiensteClient(
        platform.base_url,
        originator=platform.originator,
        endpoint=platform.endpoint,
        auth=platform.auth,
        client_id=platform.client_id,
        secret=platform.client_secret if secret is None else secret,
        certificate=str(tls.client) if tls else "",
        ca_file=str(tls.ca) if tls else "",
    )


def fee_request(request_id: str, cents: int = 900) -> dict[str, object]:
    return payment_request(
        request_id=request_id,
        reference="SI-2026-000123",
        service="Meldebescheinigung (einfach)",
        fee_cents=cents,
        booking=BOOKING,
        redirect_url="https://example.org/danke",
        at=AT,
    )


def test_a_payment_is_created_paid_and_read_back(platform: PlatformProcess) -> None:
    client = client_for(platform)
    assert client.healthy()
    created = client.create(fee_request(f"r1-{platform.auth}"))
    assert created.status is PlatformStatus.INITIAL and created.amount_cents == 900
    assert created.reference.startswith("KZ") and created.pay_url
    page = platform.http.get(created.pay_url, timeout=10)
    assert "9,00 €" in page.text and "SI-2026-000123 Meldebeschei" in page.text
    platform.settle(created.transaction_id, "BOOKED")
    paid = client.status(status_url=created.status_url)
    assert paid.status is PlatformStatus.BOOKED and paid.method == "PAYPAL"
    platform.say_booked_as("PAYED")
    try:
        assert client.status(transaction_id=created.transaction_id).status is (
            PlatformStatus.BOOKED
        )
    finally:
        platform.say_booked_as("")


def test_refusals_name_the_functional_code(platform: PlatformProcess) -> None:
    client = client_for(platform)
    broken = fee_request(f"r2-{platform.auth}")
    broken["grosAmount"] = 10.0
    no_booking = fee_request(f"r3-{platform.auth}")
    no_booking["items"][0]["bookingData"] = {}  # type: ignore[index]
    for body, code in ((broken, "CALCULATION_ERROR"), (no_booking, "BOOKING_DATA_MISSING")):
        with pytest.raises(PlatformRefused) as refused:
            client.create(body)
        assert refused.value.code == code
    client.create(fee_request(f"r4-{platform.auth}"))
    with pytest.raises(PlatformRefused) as exists:  # the same key for another amount
        client.create(fee_request(f"r4-{platform.auth}", cents=1200))
    assert exists.value.code == "PAYMENT_EXISTS"
    wrong = client_for(platform)
    wrong.originator = "anderswo"
    with pytest.raises(PlatformRefused) as unknown:
        wrong.create(fee_request("r5"))
    assert unknown.value.code == "NO_VALID_ORIGINATOR_OR_ENDPOINT"
    stranger = client_for(platform, secret="falsch")
    if platform.tls is not None:  # a client without the provider's certificate
        stranger = XBezahldiensteClient(
            platform.base_url,
            originator=platform.originator,
            endpoint=platform.endpoint,
            auth="none",
            ca_file=str(platform.tls.ca),
        )
    with pytest.raises(PlatformUnavailable):
        stranger.create(fee_request("r6"))


def test_a_lost_answer_is_repeated_without_a_second_payment(platform: PlatformProcess) -> None:
    client = client_for(platform)
    before = len(platform.payments())
    platform.fault(lose_answers=1)
    with pytest.raises(PlatformUnavailable):
        client.create(fee_request(f"r7-{platform.auth}"))
    again = client.create(fee_request(f"r7-{platform.auth}"))
    assert len(platform.payments()) == before + 1
    assert again.status is PlatformStatus.INITIAL


def test_the_platform_down_is_unavailable_not_an_error(platform: PlatformProcess) -> None:
    client = client_for(platform)
    platform.fault("offline")
    try:
        assert not client.healthy()
        with pytest.raises(PlatformUnavailable):
            client.status(transaction_id="x")
    finally:
        platform.fault("")


def test_a_slow_platform_times_out_as_unavailable(platform: PlatformProcess) -> None:
    """No call hangs: an answer slower than the read timeout is 'unavailable', asked again."""
    client = client_for(platform)
    client.timeout = (client.timeout[0], 0.5)
    platform.fault("slow", seconds=2)
    try:
        with pytest.raises(PlatformUnavailable) as slow:
            client.healthy() or client.status(transaction_id="x")
        assert "Timeout" in str(slow.value.params)
    finally:
        platform.fault("")


def test_an_unknown_auth_kind_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="basic, oauth2, certificate, none"):
        XBezahldiensteClient("http://127.0.0.1:1", originator="o", endpoint="e", auth="magic")
