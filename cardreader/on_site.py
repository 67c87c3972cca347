"""On-site reading of a German ID card at the counter (§ 18a PAuswG) as the identity flow uses
it: configured where the seat names the city's eID service (eid_tc_token_url), else not, and
then the CAN check applies. The CAN the clerk typed answers AusweisApp's ENTER_CAN once; a wrong
one is the chip's refusal (PasswordRejected), as with the CAN check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from cardreader.ausweisapp import AusweisAppSdk, AuthFailed, OnSiteData, on_site_data
from cardreader.errors import PasswordRejected


class OnSite(Protocol):
    def configured(self) -> bool: ...

    def read(self, reader: str, can: str) -> OnSiteData: ...


@dataclass
class SettingsOnSite:
    """The seat's settings say whether and where (card-reader lane: reads them lazily)."""

    settings: Callable[[], Any] | None = None

    def _settings(self) -> Any:
        if self.settings is not None:
            return self.settings()
        from app.integrations.settings import load_settings

        return load_settings()

    def configured(self) -> bool:
        return bool(self._settings().eid_tc_token_url)

    def read(self, reader: str, can: str) -> OnSiteData:
        import requests

        settings = self._settings()
        asked: list[dict[str, Any]] = []

        def answer(message: dict[str, Any]) -> str | None:
            asked.append(message)
            return None if "error" in message else can  # a wrong CAN: back to the clerk

        try:
            with AusweisAppSdk(settings.ausweisapp_url) as sdk:
                result = sdk.authenticate(settings.eid_tc_token_url, can=answer)
        except AuthFailed:
            if any("error" in message for message in asked):
                raise PasswordRejected(0x6300) from None
            raise
        return on_site_data(result, lambda url: requests.get(url, timeout=30).json())
