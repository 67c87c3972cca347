"""The probes of the seat's health board: how to try each remote system this seat has set up
(the clients the core builds report their own calls, `app.wiring.watched`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.domain.health import System
from app.lanes import OnLane, in_place
from app.services.health import HealthProbes, Probe
from app.wiring.core import Core, mailer


def health_probes(core: Core, *, database: OnLane = in_place) -> HealthProbes:
    """A probe for each system this seat has set up; the database's on `database` (its lane in
    the window). Clients are made when a probe runs, on the network lane: secrets come from
    the keyring there, never on the window's thread."""
    settings = core.settings
    probes: dict[System, Probe] = {System.DATABASE: lambda: _ping(core, database)}
    if settings.fitconnect_api_url:
        probes[System.PORTAL] = lambda: _portal(core)
    if settings.payment_platform_url:
        probes[System.PAYMENT] = lambda: _payment(core)
    if settings.pickup_boxes:
        probes[System.BOX] = lambda: _boxes(core)
    if settings.sms_gateway_url:
        probes[System.SMS] = lambda: _sms(core)
    if settings.smtp_host:
        probes[System.MAIL] = lambda: _mail(core)
    if settings.seal_timestamp_url:
        probes[System.TSA] = lambda: _tsa(core)
    return HealthProbes(core.health, probes)


def _ping(core: Core, database: OnLane) -> None:
    from app.store.database import ping

    database(ping, core.database)


def _portal(core: Core) -> None:
    from app.integrations.fitconnect.client import FitConnectClient
    from app.wiring.secret_store import CLIENT_SECRET

    settings = core.settings
    client = FitConnectClient(
        token_url=settings.fitconnect_token_url,
        api_url=settings.fitconnect_api_url,
        client_id=settings.fitconnect_client_id,
        client_secret=core.secrets.get(CLIENT_SECRET) or "",
        scope=f"subscribe:destination:{settings.fitconnect_destination_id}",
    )
    client.destination(settings.fitconnect_destination_id)


def _payment(core: Core) -> None:
    from app.wiring.payments import payment_platform

    platform = payment_platform(core, watch=False)
    if platform is not None:
        _closing(platform, platform.probe)


def _boxes(core: Core) -> None:
    """Every configured box; the first that does not answer is the reason."""
    from app.integrations.pickup_box import HttpPickupBox
    from app.integrations.secrets import BOX_TOKEN_PREFIX
    from app.integrations.settings import setting_pairs

    for office, url in setting_pairs(core.settings.pickup_boxes).items():
        token = core.secrets.get(f"{BOX_TOKEN_PREFIX}{office.lower()}") or ""
        box = HttpPickupBox(url, token, retries=0)
        _closing(box, box.probe)


def _sms(core: Core) -> None:
    from app.wiring.core import sms_gateway

    gateway = sms_gateway(core.settings, core.secrets)
    if gateway is not None:
        _closing(gateway, gateway.probe)


def _mail(core: Core) -> None:
    relay = mailer(core.settings, core.secrets)
    if relay is not None:
        relay.probe()


def _tsa(core: Core) -> None:
    from app.integrations.timestamps import RfcTimestamper

    RfcTimestamper(core.settings.seal_timestamp_url).probe()


def _closing(client: Any, probe: Callable[[], None]) -> None:
    try:
        probe()
    finally:
        client.close()
