"""The real client against the wire-faithful fake; assertions on the fake's state and counters."""

from datetime import timedelta, timezone

import pytest

from bitrix_client import (
    Command,
    NotFoundError,
    RateLimit,
    Ref,
    WriteOutcomeUnknownError,
)
from bitrix_client.fake import Fault, Faults, Limits
from bitrix_client.fake._seed import seed_recordings_dataset
from bitrix_client.fake._seed_store import seed_store

from .fakesite import harness

MSK = timezone(timedelta(hours=3))


@pytest.fixture
async def recorded():
    h = harness()
    seed_recordings_dataset(h.site)
    async with h.client:
        yield h


@pytest.fixture
async def store():
    h = harness()
    seed = seed_store(h.site, orders=5000, companies=30, seed=7)
    h.seed = seed
    async with h.client:
        yield h


async def test_batch_is_chunked_by_50_and_keeps_input_order(recorded):
    commands = [Command("sale.order.get", {"id": i}) for i in range(1, 121)]
    items = await recorded.client.batch(commands)
    assert recorded.app.stats.http_requests == 3
    assert [item.result["order"]["id"] for item in items] == list(range(1, 121))
    assert all(item.ok for item in items)


async def test_per_command_errors_come_back_in_place(recorded):
    items = await recorded.client.batch(
        [
            ("sale.status.get", {"id": "N"}),
            ("sale.status.get", {"id": "ZZ"}),
            ("sale.status.get", {"id": "PA"}),
        ]
    )
    assert items[0].result["status"]["id"] == "N"
    assert isinstance(items[1].error, NotFoundError)
    assert items[2].result["status"]["xmlId"] == "APPROVAL_PENDING"


async def test_halt_stops_at_the_first_error_even_across_chunks(recorded):
    commands = [Command("sale.order.get", {"id": i}) for i in range(1, 60)]
    commands[10] = Command("sale.order.get", {"id": 999999})
    items = await recorded.client.batch(commands, halt=True)
    assert [i.ok for i in items[:10]] == [True] * 10
    assert isinstance(items[10].error, NotFoundError)
    assert all(i.skipped for i in items[11:])
    assert recorded.app.stats.http_requests == 1  # the second chunk was never sent


async def test_references_within_and_across_chunks(recorded):
    commands = [
        Command(
            "sale.order.list",
            {"select": ["id"], "order": {"id": "asc"}, "filter": {">id": 100}, "start": -1},
            name="first",
        )
    ]
    commands += [Command("server.time", {}, name=f"t{i}") for i in range(55)]
    commands.append(
        Command("sale.order.get", {"id": Ref("first", ("orders", 0, "id"))}, name="across")
    )
    commands.insert(
        1, Command("sale.order.get", {"id": Ref("first", ("orders", 1, "id"))}, name="within")
    )
    items = {item.name: item for item in await recorded.client.batch(commands)}
    assert items["within"].result["order"]["id"] == 102
    assert items["across"].result["order"]["id"] == 101
    assert recorded.app.stats.http_requests == 2


async def test_reference_to_a_later_command_is_refused(recorded):
    with pytest.raises(ValueError, match="does not precede"):
        await recorded.client.batch(
            [Command("sale.order.get", {"id": Ref("later", ("x",))}), Command("server.time")]
        )


async def test_keyset_listing_reads_everything_in_three_requests(store):
    ids = [row["id"] async for row in store.client.sale.orders(select=["id", "statusId"])]
    assert ids == sorted(store.seed.order_ids)
    assert len(ids) == 5000
    # 1 counted page, then 50 chained pages (2,500 rows) per request
    assert store.app.stats.http_requests == 3


async def test_keyset_listing_without_count_grows_the_chain(store):
    rows = [r async for r in store.client.sale.orders(select=["id"], count_first=False)]
    assert len(rows) == 5000
    # one page, then chains of 2, 4, 8, 16, 32 pages (3,150 rows), then 50 for the rest
    assert store.app.stats.http_requests == 7


async def test_keyset_listing_with_filter_and_start_after(store):
    since = store.clock().astimezone(MSK) - timedelta(days=30)
    recent = [r async for r in store.client.sale.orders({">=dateInsert": since}, ["id"])]
    expected = sorted(i for i, o in store.site.sale.orders.items() if o["dateInsert"] >= since)
    assert [r["id"] for r in recent] == expected
    assert 0 < len(recent) < 5000


async def test_small_lists_cost_one_request(recorded):
    rows = [r async for r in recorded.client.sale.orders({"statusId": "F"}, ["id"])]
    assert len(rows) == 12
    assert recorded.app.stats.http_requests == 1


async def test_offset_listing(recorded):
    langs = await recorded.client.sale.status_langs()
    assert {(lang["statusId"], lang["lid"]) for lang in langs} >= {("PA", "ru"), ("PA", "en")}


async def test_setting_one_property_keeps_the_others(recorded):
    sale = recorded.client.sale
    await sale.set_property_value(3, 1, "1002")
    values = await sale.property_values(3)
    assert [(v["orderPropsId"], v["value"]) for v in values] == [(1, "1002")]


async def test_client_limiter_avoids_503_under_the_standard_bucket(recorded):
    h = harness(limits=Limits.standard(), client_limit=RateLimit(50, 2.0))
    seed_recordings_dataset(h.site)
    async with h.client:
        start = h.clock()
        for _ in range(120):
            await h.client.call("server.time")
        elapsed = (h.clock() - start).total_seconds()
    assert h.app.stats.query_limit_sent == 0
    assert h.app.stats.http_requests == 120
    assert elapsed == pytest.approx((120 - 49) * 0.5, abs=0.01)


async def test_without_a_client_limiter_503s_are_absorbed_by_retries(recorded):
    h = harness(limits=Limits.standard(), client_limit=None, attempts=10)
    seed_recordings_dataset(h.site)
    async with h.client:
        for _ in range(60):
            await h.client.call("server.time")
    assert h.app.stats.query_limit_sent > 0
    assert h.client.stats.rate_limited == h.app.stats.query_limit_sent


async def test_timed_out_add_surfaces_as_unknown_outcome_and_was_applied(recorded):
    before = len(recorded.site.sale.orders)
    recorded.app.faults.inject_next(Fault.TIMEOUT_AFTER, method="sale.order.add")
    with pytest.raises(WriteOutcomeUnknownError):
        await recorded.client.call(
            "sale.order.add",
            {"fields": {"lid": "s1", "personTypeId": 1, "currency": "RUB", "userId": 1}},
        )
    assert recorded.app.stats.calls["sale.order.add"] == 1
    assert len(recorded.site.sale.orders) == before + 1


async def test_reads_survive_faults():
    h = harness(
        faults=Faults(
            seed=3,
            error_500_html=0.05,
            query_limit=0.05,
            timeout_after=0.05,
            drop_before=0.05,
        ),
        attempts=10,
    )
    seed_store(h.site, orders=1200, companies=5, seed=1)
    async with h.client:
        rows = [r async for r in h.client.sale.orders(select=["id"])]
        orders = [await h.client.sale.order_get(i) for i in range(1, 201)]
    assert len(rows) == 1200
    assert [o["id"] for o in orders] == list(range(1, 201))
    assert h.app.stats.faults_injected > 10


async def test_form_bodies_work_against_the_fake(recorded):
    h = harness(body="form")
    seed_recordings_dataset(h.site)
    async with h.client:
        rows = [r async for r in h.client.sale.orders({">=id": 110, "@statusId": ["N", "PA"]})]
    assert [r["id"] for r in rows] == [110, 111, 112, 114, 115, 116, 117, 118, 119, 120]


async def test_oauth_refresh_against_the_fakes_token_endpoint():
    """The app's access token expires; the client renews it at the site's /oauth/token/,
    persists the rotated pair through the callback, replays the call; the old refresh token
    is dead afterwards (Bitrix rotates it)."""
    import httpx

    from bitrix_client import BitrixClient, OAuthAuth, OAuthTokens, RetryPolicy
    from bitrix_client.fake import FakeSite, ManualClock, create_app

    site = FakeSite(clock=ManualClock())
    site.add_oauth_app("local.b2bsync", "app-secret-1", {"sale"})
    first = site.issue_token("local.b2bsync")
    app = create_app(site)
    saved: list[OAuthTokens] = []
    auth = OAuthAuth(
        "http://shop.example.ru",
        client_id="local.b2bsync",
        client_secret="app-secret-1",
        access_token=first.access_token,
        refresh_token=first.refresh_token,
        oauth_server="http://shop.example.ru",
        on_rotate=saved.append,
    )
    transport = httpx.ASGITransport(app=app)
    async with BitrixClient(auth, transport=transport, retry=RetryPolicy.no_wait()) as client:
        assert (await client.sale.statuses())[0]["id"]
        site.expire_token(first.access_token)
        statuses = await client.sale.statuses()
    assert {s["id"] for s in statuses} >= {"N", "F"}
    assert client.stats.token_refreshes == 1
    assert len(saved) == 1
    assert saved[0].refresh_token != first.refresh_token
    assert app.stats.token_requests == 1
    async with httpx.AsyncClient(transport=transport, base_url="http://shop.example.ru") as raw:
        stale = await raw.get(
            "/oauth/token/",
            params={
                "grant_type": "refresh_token",
                "client_id": "local.b2bsync",
                "client_secret": "app-secret-1",
                "refresh_token": first.refresh_token,
            },
        )
    assert stale.json()["error"] == "invalid_grant"
