"""Settings layering and the keyring-only secret store."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from app.integrations.secrets import KeyringSecretStore, NoSecureKeyring
from app.integrations.settings import Settings, SettingsError, load_settings
from app.wiring import DATABASE_PASSWORD_SECRET, database_url
from tests.conftest import MemoryKeyring


def test_defaults_then_file_then_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_file = tmp_path / "settings.toml"
    monkeypatch.setenv("BUERGERBUERO_SETTINGS_FILE", str(settings_file))
    assert load_settings({}) == Settings()
    settings_file.write_text('language = "en"\npage_size = 50\nunknown_key = 1\n', "utf-8")
    assert load_settings({}).language == "en"
    assert load_settings({}).page_size == 50
    overridden = load_settings({"BUERGERBUERO_LANGUAGE": "de", "BUERGERBUERO_PAGE_SIZE": "75"})
    assert (overridden.language, overridden.page_size) == ("de", 75)


def test_wrong_types_name_their_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings_file = tmp_path / "settings.toml"
    monkeypatch.setenv("BUERGERBUERO_SETTINGS_FILE", str(settings_file))
    settings_file.write_text("page_size = 'many'\n", "utf-8")
    with pytest.raises(SettingsError, match=r"settings\.toml: page_size"):
        load_settings({})
    settings_file.write_text("language = \n", "utf-8")
    with pytest.raises(SettingsError, match=r"settings\.toml"):
        load_settings({})


def test_default_database_is_sqlite_in_the_data_folder(tmp_path: Path) -> None:
    url = database_url(Settings(data_dir=str(tmp_path / "data")))
    assert url == f"sqlite:///{tmp_path / 'data' / 'buergerbuero.sqlite3'}"
    assert (tmp_path / "data").is_dir()


def test_server_password_comes_from_the_keyring(
    memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    ca = tmp_path / "stadt-ca.pem"  # a central server: only with its CA (TLS, verify-full)
    ca.write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    settings = Settings(
        database_url="postgresql+psycopg://desk@db.example/buergerbuero",
        database_ca_file=str(ca),
    )
    assert ":geheim@" not in database_url(settings)
    KeyringSecretStore().set(DATABASE_PASSWORD_SECRET, "geheim")
    url = database_url(settings)
    assert "desk:geheim@db.example" in url and "sslmode=verify-full" in url


def test_no_secure_keyring_fails_loudly() -> None:
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(NoSecureKeyring):
        KeyringSecretStore()
