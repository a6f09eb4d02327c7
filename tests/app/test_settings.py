"""Settings come from TOML, .env and the environment, in that order of strength; mistakes exit 2."""

from pathlib import Path

import pytest

from b2bsync import ConfigError
from b2bsync.cli._main import main
from b2bsync.settings import RateLimitProfile, load_settings

TOML = """
[bitrix]
webhook_url = "https://shop.example.ru/rest/1/t0mls3cr3t/"
rate_limit = "enterprise"
person_type_ids = [2, 3]

[sync]
file_mode = "upload"
upload_dir = "/var/www/shop/upload/b2b/docs"
overdue_limit = "50000.50"

[schedule]
orders = 10
"""


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    for key in list(__import__("os").environ):
        if key.startswith("B2BSYNC_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_toml_file(tmp_path: Path):
    path = tmp_path / "b2bsync.toml"
    path.write_text(TOML, encoding="utf-8")
    settings = load_settings(path)
    assert settings.bitrix.rate_limit is RateLimitProfile.enterprise
    assert settings.bitrix.person_type_ids == [2, 3]
    assert str(settings.sync.overdue_limit) == "50000.50"
    assert settings.schedule.orders == 10
    assert settings.schedule.documents == 180


def test_environment_beats_dotenv_beats_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "b2bsync.toml"
    path.write_text(TOML, encoding="utf-8")
    (tmp_path / ".env").write_text(
        "B2BSYNC_BITRIX__RATE_LIMIT=off\nB2BSYNC_SCHEDULE__ORDERS=7\n", encoding="utf-8"
    )
    monkeypatch.setenv("B2BSYNC_CONFIG", str(path))
    monkeypatch.setenv("B2BSYNC_SCHEDULE__ORDERS", "3")
    settings = load_settings()
    assert settings.bitrix.rate_limit is RateLimitProfile.off  # .env over TOML
    assert settings.schedule.orders == 3  # environment over .env
    assert settings.bitrix.webhook_url is not None  # TOML still fills the rest


def test_secrets_never_print(tmp_path: Path):
    path = tmp_path / "b2bsync.toml"
    path.write_text(TOML, encoding="utf-8")
    settings = load_settings(path)
    assert "t0mls3cr3t" not in repr(settings)
    assert "t0mls3cr3t" not in str(settings.model_dump())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[bitrix]\nrate_limit = "turbo"\n', "bitrix.rate_limit"),
        ('[bitrix]\nwebhook_url = "https://shop/api/"\n', "bitrix.webhook_url"),
        ('[sync]\nfile_mode = "upload"\n', "sync.file_mode=upload needs sync.upload_dir"),
        ("[bitrix\n", "cannot read config"),
    ],
)
def test_bad_configuration_is_one_line_and_exit_2(tmp_path: Path, text: str, message: str, capsys):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace(".", r"\.")):
        load_settings(path)
    assert main(["--config", str(path), "doctor"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("error: ")


def test_missing_config_file_exit_2(capsys):
    assert main(["--config", "/nonexistent/b2bsync.toml", "doctor"]) == 2
    assert "config file not found" in capsys.readouterr().err


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("b2bsync ")


def test_the_web_secret_has_a_minimum_length(monkeypatch):
    from b2bsync._errors import ConfigError
    from b2bsync.settings import load_settings

    monkeypatch.setenv("B2BSYNC_WEB__SECRET", "too-short")
    with pytest.raises(ConfigError, match=r"web\.secret: .*at least 32 characters"):
        load_settings()
    monkeypatch.setenv("B2BSYNC_WEB__SECRET", "x" * 32)
    monkeypatch.setenv("B2BSYNC_WATCH__INTERVAL", "5")
    monkeypatch.setenv("B2BSYNC_OUTBOX__KEEP_DELIVERED", "P7D")
    loaded = load_settings()
    assert loaded.web.secret is not None
    assert loaded.web.host == "127.0.0.1"
    assert loaded.watch.interval.total_seconds() == 5
    assert loaded.outbox.keep_delivered.days == 7
    monkeypatch.setenv("B2BSYNC_WATCH__INTERVAL", "0")
    with pytest.raises(ConfigError, match=r"watch\.interval"):
        load_settings()
