"""Each doctor check against the in-process fake: what a broken installation looks like."""

import httpx
import pytest

from b2bsync.doctor import run_doctor
from b2bsync.settings import Settings
from bitrix_client.fake import FakeSite, ManualClock, create_app

SECRET = "d0ct0rs3cr3t"


def settings(secret: str = SECRET, **bitrix: object) -> Settings:
    return Settings(
        bitrix={
            "webhook_url": f"https://shop.example.ru/rest/1/{secret}/",
            "max_retries": 0,
            **bitrix,
        }
    )


def site(scopes: set[str], *, bridge: bool = True) -> FakeSite:
    built = FakeSite(clock=ManualClock(), bridge_installed=bridge)
    built.add_webhook(1, SECRET, scopes)
    return built


async def lines(fake: FakeSite, config: Settings) -> dict[str, str]:
    checks = await run_doctor(config, transport=httpx.ASGITransport(app=create_app(fake)))
    return {check.name: check.line() for check in checks}


async def test_wrong_secret():
    out = await lines(site({"sale", "b2bsync"}), settings("wr0ngs3cr3t"))
    assert out["webhook accepted"].startswith("✗ webhook accepted: INVALID_CREDENTIALS")
    assert "scopes" not in out


async def test_missing_scope_names_it():
    out = await lines(site({"sale"}), settings())
    assert out["scopes"].startswith("✗ scopes: missing b2bsync")
    assert "bridge module" not in out  # meaningless without the scope


async def test_bridge_not_installed():
    out = await lines(site({"sale", "b2bsync"}, bridge=False), settings())
    assert out["bridge module"].startswith("✗ bridge module: the b2bsync.bridge module is not")
    assert "/local/modules/" in out["bridge module"]


async def test_a_bridge_older_than_1_2_is_refused(monkeypatch):
    """1.2 ships the order guard, b2bsync.order.status.set and the cabinet components."""
    from bitrix_client.fake import _bridge_info

    monkeypatch.setattr(_bridge_info, "VERSION", "1.1.0")
    out = await lines(site({"sale", "b2bsync"}), settings())
    assert out["bridge module"].startswith(
        "✗ bridge module: version 1.1.0 (API 1): b2bsync needs 1.2.0 or later (the order guard"
    )
    assert "install this version's bridge/b2bsync.bridge" in out["bridge module"]
    monkeypatch.setattr(_bridge_info, "VERSION", "1.10.0")  # numbers, not text
    out = await lines(site({"sale", "b2bsync"}), settings())
    assert out["bridge module"] == "✓ bridge module: version 1.10.0 (API 1)"


async def test_unknown_payer_type_and_bad_status_codes():
    fake = site({"sale", "b2bsync"})
    out = await lines(fake, settings(person_type_ids=[42], status_pending="PEN"))
    assert out["payer types"].startswith("✗ payer types: configured ids [42] do not exist")
    assert out["status codes"].startswith("✗ status codes: status_pending")


async def test_unreachable_site():
    config = Settings(
        bitrix={"webhook_url": "http://127.0.0.1:9/rest/1/x1x1x1/", "max_retries": 0, "timeout": 2}
    )
    checks = await run_doctor(config)
    failed = [c for c in checks if not c.ok]
    assert [c.name for c in failed] == ["site reachable"]
    assert "check bitrix.webhook_url" in failed[0].line()


@pytest.mark.parametrize("scopes", [{"sale", "b2bsync"}])
async def test_healthy_site_without_schema(scopes):
    out = await lines(site(scopes), settings())
    assert out["site reachable, webhook accepted"].startswith("✓")
    assert out["bridge module"].startswith("✓ bridge module: version")
    assert out["languages"] == "✓ languages: active: en, ru"
    assert out["schema in sync"].startswith("✗ schema in sync")


async def test_files_others_can_read_are_warned_about(tmp_path, monkeypatch):
    """A world-readable env file hands the webhook secret to every local account."""
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "b2bsync.toml"
    config.write_text("[log]\nlevel = 'error'\n", encoding="utf-8")
    env = tmp_path / ".env"
    env.write_text("B2BSYNC_LOG__LEVEL=error\n", encoding="utf-8")
    token = tmp_path / "token.json"
    token.write_text("{}", encoding="utf-8")
    state = tmp_path / "state.sqlite3"
    state.write_bytes(b"")
    for path, mode in ((config, 0o640), (env, 0o644), (token, 0o600), (state, 0o606)):
        path.chmod(mode)
    checks = await run_doctor(
        settings(token_file=str(token)).model_copy(
            update={"state": Settings().state.model_copy(update={"url": _url(state)})}
        ),
        transport=httpx.ASGITransport(app=create_app(site({"sale", "b2bsync"}))),
        config_file=config,
        env_file=env,
    )
    warnings = [c.line() for c in checks if c.name == "file permissions"]
    assert warnings == [
        f"⚠ file permissions: {config} is readable by others (0640) — chmod 600 {config} "
        "(and run b2bsync as its owner)",
        f"⚠ file permissions: {env} is readable by others (0644) — chmod 600 {env} "
        "(and run b2bsync as its owner)",
        f"⚠ file permissions: {state} is readable by others (0606) — chmod 600 {state} "
        "(and run b2bsync as its owner)",
    ]
    assert all(c.ok for c in checks if c.name == "file permissions")  # warnings, not failures
    for path in (config, env, state):
        path.chmod(0o600)
    checks = await run_doctor(
        settings(token_file=str(token)).model_copy(
            update={"state": Settings().state.model_copy(update={"url": _url(state)})}
        ),
        transport=httpx.ASGITransport(app=create_app(site({"sale", "b2bsync"}))),
        config_file=config,
        env_file=env,
    )
    assert [c.line() for c in checks if c.name == "file permissions"] == [
        "✓ file permissions: owner only (4 files)"
    ]


def _url(path):
    from pydantic import SecretStr

    return SecretStr(f"sqlite:///{path}")


def test_doctor_passes_the_files_in_use(tmp_path, monkeypatch, capsys):
    from b2bsync.cli._main import main

    for key in list(__import__("os").environ):
        if key.startswith("B2BSYNC_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "b2bsync.toml"
    config.write_text("[bitrix]\nrate_limit = 'off'\n", encoding="utf-8")
    config.chmod(0o644)
    assert main(["--format", "text", "--config", str(config), "doctor"]) == 1  # no Bitrix yet
    out = capsys.readouterr().out
    assert f"⚠ file permissions: {config} is readable by others (0644)" in out


WEB_SECRET = "shared-s3cr3t-0123456789abcdefghijkl"


def with_web(**web: object) -> Settings:
    base = settings()
    return Settings(bitrix=base.bitrix.model_dump(), web=web)


@pytest.mark.parametrize(
    ("module_secret", "ours", "line"),
    [
        (
            WEB_SECRET,
            WEB_SECRET,
            "✓ shared secret: the module signs links with web.secret; pings: off",
        ),
        (WEB_SECRET + "x", WEB_SECRET, "✗ shared secret: the module signs with another secret"),
        ("", WEB_SECRET, "✗ shared secret: the module has no secret"),
        (WEB_SECRET, None, "✗ shared secret: web.secret is not set"),
    ],
)
async def test_the_shared_secret_is_checked_by_a_signed_probe(
    module_secret: str, ours: str | None, line: str
):
    fake = site({"sale", "b2bsync"})
    fake.bridge.options["link_secret"] = module_secret
    config = with_web(secret=ours) if ours else settings()
    out = await lines(fake, config)
    assert out["shared secret"].startswith(line)
    assert WEB_SECRET not in "\n".join(out.values())


async def test_the_modules_addresses_against_public_url():
    fake = site({"sale", "b2bsync"})
    fake.bridge.options.update(link_secret=WEB_SECRET, sidecar_url="https://shop.example.ru/b2b")
    config = with_web(secret=WEB_SECRET, public_url="https://shop.example.ru/b2bsync/")
    out = await lines(fake, config)
    assert out["shared secret"].endswith("pings: https://shop.example.ru/b2b/events")
    assert out["module addresses"].startswith("✗ module addresses: BASE_URL is empty")
    assert "https://shop.example.ru/b2bsync/documents/download" in out["module addresses"]
    fake.bridge.options.update(
        link_base_url="https://shop.example.ru/b2bsync/documents/download",
        sidecar_url="https://shop.example.ru/b2bsync",
    )
    out = await lines(fake, config)
    assert out["module addresses"] == (
        "✓ module addresses: links and pings go to https://shop.example.ru/b2bsync"
    )


async def test_the_rate_limit_line_says_what_the_site_showed():
    from bitrix_client.fake import Limits

    boxed = await lines(site({"sale", "b2bsync"}), settings())
    assert boxed["rate limit"] == (
        "✓ rate limit: auto: the site's answers carry no time.operating (a boxed site, no REST "
        "limit): no bucket, up to 2 requests at once, fewer while time.processing grows"
    )
    fake = site({"sale", "b2bsync"})
    checks = await run_doctor(
        settings(), transport=httpx.ASGITransport(app=create_app(fake, limits=Limits.standard()))
    )
    cloud = {c.name: c.line() for c in checks}
    assert cloud["rate limit"].startswith(
        "✓ rate limit: auto: the site's answers carry time.operating (a cloud REST limit): "
        "bucket 50, 2/s"
    )
    fixed = await lines(site({"sale", "b2bsync"}), settings(rate_limit="standard"))
    assert 'rate_limit = "auto" would write at the site\'s speed' in fixed["rate limit"]


async def test_a_webhook_of_a_user_outside_the_service_group():
    fake = site({"sale", "b2bsync"})
    fake.users[1].group_ids = [6]
    fake.users[1].admin = False
    out = await lines(fake, settings())
    assert out["bridge module"].startswith("✗ bridge module: b2bsync.info: ERROR_ACCESS_DENIED")
    assert "settings page creates" in out["bridge module"]
