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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[bitrix]\nrate_limt = "off"\n',
            "unknown key bitrix.rate_limt in {path}; did you mean bitrix.rate_limit?",
        ),
        (
            '[sync]\nfile_mdoe = "attach"\n',
            "unknown key sync.file_mdoe in {path}; did you mean sync.file_mode?",
        ),
        (
            "[shedule]\norders = 10\n",
            "unknown section [shedule] in {path}; did you mean [schedule]?",
        ),
        (
            '[sync]\nrate_limit = "off"\n',
            "unknown key sync.rate_limit in {path}; did you mean bitrix.rate_limit?",
        ),
        (
            "[onec.mapping.file]\nbase64_field = 1\n",
            "unknown key onec.mapping.file.base64_field in {path}",
        ),
        (
            "[bitrix]\nzzz = 1\nyyy = 2\n[log]\nlevle = 'debug'\n",
            "unknown key bitrix.zzz in {path} (and 2 more unknown)",
        ),
    ],
)
def test_unknown_keys_in_the_file_are_refused(tmp_path: Path, text: str, message: str, capsys):
    """They used to be ignored, their defaults used, and doctor showed ✓."""
    path = tmp_path / "b2bsync.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(caught.value) == message.format(path=path)
    assert main(["--config", str(path), "doctor"]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {message.format(path=path)}\n"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "B2BSYNC_BITRIX__RATE_LIMT",
            "unknown setting B2BSYNC_BITRIX__RATE_LIMT (environment); "
            "did you mean B2BSYNC_BITRIX__RATE_LIMIT?",
        ),
        (
            "B2BSYNC_SHEDULE__ORDERS",
            "unknown setting B2BSYNC_SHEDULE__ORDERS (environment); did you mean B2BSYNC_SCHEDULE?",
        ),
        (
            "B2BSYNC_STATE_URL",
            "unknown setting B2BSYNC_STATE_URL (environment); did you mean B2BSYNC_STATE?",
        ),
        ("b2bsync_sync__file_mdoe", "did you mean B2BSYNC_SYNC__FILE_MODE?"),
    ],
)
def test_unknown_environment_variables_are_refused(
    monkeypatch: pytest.MonkeyPatch, name: str, message: str, capsys
):
    monkeypatch.setenv(name, "x")
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_settings()
    assert main(["doctor"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_unknown_keys_in_dotenv_are_refused(tmp_path: Path):
    (tmp_path / ".env").write_text(
        "OTHER_TOOL=1\nB2BSYNC_BITRIX__RATE_LIMIT=off\nB2BSYNC_SYNC__LOOK_BACK_MINUTS=5\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value) == (
        "unknown setting B2BSYNC_SYNC__LOOK_BACK_MINUTS (.env); "
        "did you mean B2BSYNC_SYNC__LOOK_BACK_MINUTES?"
    )


def test_every_declared_key_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Keys come from the models: nested models, mappings and the process's own variables."""
    path = tmp_path / "b2bsync.toml"
    path.write_text(
        "[onec]\nkind = 'http'\nurl = 'https://1c.example.ru/hs/b2b/v1'\n"
        "[onec.mapping.doc_types]\n'Счет на оплату' = 'invoice'\n"
        "[state]\nlease_ttl = 120\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("B2BSYNC_CONFIG", str(path))
    monkeypatch.setenv("B2BSYNC_DEBUG", "1")
    monkeypatch.setenv("B2BSYNC_SCHEDULE__ORDERS", "3")
    monkeypatch.setenv("B2BSYNC_LOG", '{"level": "error"}')
    settings = load_settings()
    assert settings.schedule.orders == 3
    assert settings.log.level == "error"
    assert settings.onec.mapping.doc_types["Счет на оплату"] == "invoice"


def test_a_new_section_needs_nothing_to_be_checked():
    from pydantic import BaseModel, Field

    from b2bsync.settings import Settings
    from b2bsync.settings._keys import check_keys

    class WebSettings(BaseModel):
        listen: str = "127.0.0.1:8080"

    class Extended(Settings):
        web: WebSettings = Field(default_factory=WebSettings)

    check_keys(Extended, toml=None, environ={"B2BSYNC_WEB__LISTEN": "x"}, env_file=None)
    with pytest.raises(ConfigError, match="did you mean B2BSYNC_WEB__LISTEN"):
        check_keys(Extended, toml=None, environ={"B2BSYNC_WEB__LISTN": "x"}, env_file=None)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"B2BSYNC_BITRIX__WEBHOOK_URL": "http://shop.example.ru/rest/1/s3cr3tpath/"},
            "bitrix.webhook_url is plain http:// to shop.example.ru: use https://",
        ),
        (
            {"B2BSYNC_ONEC__KIND": "http", "B2BSYNC_ONEC__URL": "http://1c.local/ut/hs/b2b/v1"},
            "onec.url is plain http:// to 1c.local",
        ),
        (
            {"B2BSYNC_ONEC__KIND": "soap", "B2BSYNC_ONEC__WSDL_URL": "HTTP://10.0.0.5/ws?wsdl"},
            "onec.wsdl_url is plain http:// to 10.0.0.5",
        ),
        (
            {"B2BSYNC_BITRIX__PORTAL_URL": "http://shop.example.ru"},
            "bitrix.portal_url is plain http:// to shop.example.ru",
        ),
    ],
)
def test_plain_http_to_another_machine_is_refused(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], message: str, capsys
):
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message.replace(".", r"\.").replace("/", "/")):
        load_settings()
    assert main(["doctor"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "s3cr3tpath" not in err  # the webhook's path is its secret


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8765/rest/1/abc/",
        "http://127.5.0.1/rest/1/abc/",
        "http://localhost:8080/rest/1/abc/",
        "http://[::1]:8080/rest/1/abc/",
        "https://shop.example.ru/rest/1/abc/",
    ],
)
def test_loopback_and_https_are_fine(monkeypatch: pytest.MonkeyPatch, url: str):
    monkeypatch.setenv("B2BSYNC_BITRIX__WEBHOOK_URL", url)
    monkeypatch.setenv("B2BSYNC_ONEC__KIND", "http")
    monkeypatch.setenv("B2BSYNC_ONEC__URL", url.replace("/rest/1/abc/", "/hs/b2b/v1"))
    assert load_settings().bitrix.webhook_url is not None


def test_allow_insecure_accepts_a_trusted_network(tmp_path: Path):
    path = tmp_path / "b2bsync.toml"
    path.write_text(
        "[bitrix]\nwebhook_url = 'http://shop.lan/rest/1/abc/'\nallow_insecure = true\n"
        "[onec]\nkind = 'http'\nurl = 'http://1c.lan/hs/b2b/v1'\nallow_insecure = true\n",
        encoding="utf-8",
    )
    settings = load_settings(path)
    assert settings.bitrix.allow_insecure
    assert settings.onec.allow_insecure
