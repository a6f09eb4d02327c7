"""Clients built from settings share one rate-limit bucket per site within a process."""

from b2bsync._wiring import bitrix_client
from b2bsync.settings import BitrixSettings


async def test_clients_of_one_site_share_a_limiter():
    one = BitrixSettings(webhook_url="https://shop.example.ru/rest/1/aaaa1111/")
    other = BitrixSettings(webhook_url="https://other.example.ru/rest/1/bbbb2222/")
    async with (
        bitrix_client(one) as a,
        bitrix_client(one) as b,
        bitrix_client(other) as c,
    ):
        assert a.limiter is b.limiter
        assert a.limiter is not c.limiter


def test_each_event_loop_gets_its_own_limiter():
    """asyncio primitives belong to one loop; a later asyncio.run must not inherit them."""
    import asyncio

    settings = BitrixSettings(webhook_url="https://shop.example.ru/rest/1/aaaa1111/")

    async def limiter_of_a_fresh_client():
        async with bitrix_client(settings) as client:
            return client.limiter

    first = asyncio.run(limiter_of_a_fresh_client())
    second = asyncio.run(limiter_of_a_fresh_client())
    assert first is not second
