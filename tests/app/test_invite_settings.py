"""The [invites] section and what the wiring makes of it: defaults, validation, the unknown-key
check, the store's URL taken from the webhook, the accept link from web.public_url."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from b2bsync._errors import ConfigError
from b2bsync._wiring import invite_pages, service_config, web_config
from b2bsync.settings import InviteSettings, Settings, load_settings

SECRET = "s3cr3t-key-for-tests-0123456789abcdef"


def test_defaults() -> None:
    invites = InviteSettings()
    assert invites.ttl == timedelta(hours=72)
    assert invites.user_groups == []
    assert invites.store_url is None
    assert invites.handoff_path == "/bitrix/tools/b2bsync/handoff.php"
    assert invites.whoami_path == "/bitrix/tools/b2bsync/whoami.php"
    assert (invites.per_ip_burst, invites.per_token_burst) == (30, 10)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ttl", "0"),
        ("user_groups", [1, 6]),
        ("user_groups", [0]),
        ("store_url", "shop.example.ru"),
        ("handoff_path", "//evil.example/x"),
        ("whoami_path", "bitrix/tools/x.php"),
        ("per_token_burst", 0),
    ],
)
def test_bad_values_are_refused(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        InviteSettings.model_validate({field: value})


def test_read_from_the_file_and_misspellings_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "b2bsync.toml"
    path.write_text('[invites]\nttl = "86400"\nuser_groups = [6, 6]\n', encoding="utf-8")
    settings = load_settings(path)
    assert settings.invites.ttl == timedelta(days=1)
    assert settings.invites.user_groups == [6]
    path.write_text("[invites]\nuser_group = [6]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="user_group"):
        load_settings(path)


def _settings(**invites: object) -> Settings:
    return Settings.model_validate(
        {
            "bitrix": {"webhook_url": "https://shop.example.ru/rest/5/abcdefghijklmnop/"},
            "web": {"secret": SECRET, "public_url": "https://shop.example.ru/b2bsync/"},
            "watch": {"cabinet_url": "https://shop.example.ru/personal/b2b/"},
            "invites": invites,
        }
    )


def test_the_wiring() -> None:
    pages = invite_pages(_settings(user_groups=[6], per_ip_burst=5, per_ip_per_minute=2))
    assert pages.store_url == "https://shop.example.ru"  # the webhook's origin, never its secret
    assert pages.public_url == "https://shop.example.ru/b2bsync"
    assert pages.cookie_path == "/b2bsync/invites"
    assert pages.secure
    assert pages.cabinet_path == "/personal/b2b/"
    assert pages.user_groups == (6,)
    assert (pages.per_ip.burst, pages.per_ip.per_minute) == (5, 2)
    assert web_config(_settings()).invites.store_url == "https://shop.example.ru"
    own = invite_pages(_settings(store_url="https://www.shop.example.ru/"))
    assert own.store_url == "https://www.shop.example.ru"
    watch = service_config(_settings(ttl=3600)).watch
    assert watch.accept_url == "https://shop.example.ru/b2bsync/invites/accept"
    assert watch.invite_ttl == timedelta(hours=1)
    assert service_config(Settings()).watch.accept_url == ""
