"""The SMS gateway's client against the sandbox gateway over real HTTP, each request and answer
held against docs/sms-gateway-api.yaml: numbers in E.164, a landline never sent to, a lost
answer repeated without a second text, a gateway offline or a wrong token a clear error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from app.integrations.sms import HttpSmsGateway, SmsRefused, SmsUnavailable, e164
from sandbox.sms_gateway import SmsGatewaySink, parts_of
from tests.conftest import SMS_TOKEN

SPEC = Path(__file__).resolve().parents[2] / "docs" / "sms-gateway-api.yaml"


def schema(name: str) -> Draft202012Validator:
    document: dict[str, Any] = yaml.safe_load(SPEC.read_text("utf-8"))
    return Draft202012Validator(document["components"]["schemas"][name])


@pytest.fixture
def gateway(sms: SmsGatewaySink) -> HttpSmsGateway:
    return HttpSmsGateway(sms.base_url, SMS_TOKEN, sender="Buergeramt")


def test_a_text_goes_out_once_in_e164(gateway: HttpSmsGateway, sms: SmsGatewaySink) -> None:
    gateway.send(to="0171 392-0014", text="Abholcode 12345678, Grüße aus Siegen")
    (sent,) = sms.messages
    assert sent.to == "+491713920014" and sent.sender == "Buergeramt"
    assert (sent.parts, sent.encoding) == (1, "gsm7")  # umlauts and ß are GSM 03.38
    body = {"to": sent.to, "sender": sent.sender, "text": sent.text}
    assert not list(schema("Message").iter_errors(body))
    status, answer = sms.take("another-key-123", body)
    assert status == 202 and not list(schema("Accepted").iter_errors(answer))


def test_a_lost_answer_is_repeated_without_a_second_text(
    gateway: HttpSmsGateway, sms: SmsGatewaySink
) -> None:
    sms.lose_answers = 1  # the gateway took it, its answer did not arrive
    gateway.send(to="+49 171 3920015", text="Ihr Abholcode")
    assert [m.to for m in sms.messages] == ["+491713920015"]


def test_landlines_and_nonsense_are_not_sent_to(
    gateway: HttpSmsGateway, sms: SmsGatewaySink
) -> None:
    assert e164("0271 404-0") is None and e164("12345") is None
    assert not gateway.reachable("0271 4040") and gateway.reachable("+33 6 12 34 56 78")
    with pytest.raises(SmsRefused) as refused:
        gateway.send(to="0271 4040", text="x")
    assert "lehnt" in refused.value.text("de")
    assert sms.messages == []


def test_offline_or_a_wrong_token_is_unavailable(
    gateway: HttpSmsGateway, sms: SmsGatewaySink
) -> None:
    sms.offline = True
    with pytest.raises(SmsUnavailable) as failed:
        gateway.send(to="0171 3920016", text="x")
    assert "erneut versucht" in failed.value.text("de")
    sms.offline = False
    wrong = HttpSmsGateway(sms.base_url, "not-the-token", sender="Buergeramt")
    with pytest.raises(SmsUnavailable):
        wrong.send(to="0171 3920016", text="x")
    assert sms.messages == []


def test_the_gateway_refuses_what_the_specification_does(sms: SmsGatewaySink) -> None:
    assert sms.take("key-00000001", {"to": "01713920014", "sender": "B", "text": "x"})[0] == 400
    assert sms.take("key-00000002", {"to": "+491713920014", "sender": "B", "text": ""})[0] == 400
    long_text = "x" * (153 * 10 + 1)
    too_long = {"to": "+491713920014", "sender": "B", "text": long_text}
    assert sms.take("key-00000003", too_long)[0] == 400
    assert parts_of("x" * 160) == (1, "gsm7") and parts_of("x" * 161) == (2, "gsm7")
    assert parts_of("Łódź") == (1, "ucs2") and parts_of("Ł" * 71) == (2, "ucs2")
