"""seal_mode says where the seal key is; a mode without its parts is refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.integrations.settings import Settings
from printing.seal_keys import SealKeyError
from printing.wiring import load_seal_key


class NoSecrets:
    def get(self, name: str) -> str | None:
        return None

    def set(self, name: str, value: str) -> None:
        raise AssertionError(name)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (Settings(seal_mode="pkcs11"), "seal_pkcs11_library"),
        (Settings(seal_mode="hsm"), "seal_mode 'hsm'"),
        (Settings(), "Kein Siegelschlüssel"),
        (Settings(seal_mode="pkcs11", seal_pkcs11_library="/lib/x.so"), "PIN"),
        (Settings(seal_pkcs11_library="/lib/x.so"), "PIN"),  # empty: the library decides
    ],
)
def test_a_seal_mode_without_its_parts_is_refused(settings: Settings, message: str) -> None:
    with pytest.raises(SealKeyError, match=message):
        load_seal_key(settings, NoSecrets())


def test_pkcs12_mode_ignores_a_configured_token_library(tmp_path: Path) -> None:
    settings = Settings(
        seal_mode="pkcs12",
        seal_pkcs11_library="/lib/x.so",
        seal_pkcs12_file=str(tmp_path / "missing.p12"),
    )
    with pytest.raises((SealKeyError, OSError)) as raised:
        load_seal_key(settings, NoSecrets())
    assert "PIN" not in str(raised.value)
