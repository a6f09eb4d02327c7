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
            "webhook_url": f"http://shop.example.ru/rest/1/{secret}/",
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
