"""The OAuth token file: one renewal for every process that finds the token expired, the file
written 0600 from the start, durably.

The Bitrix fake's token endpoint rotates refresh tokens and answers a used one with
``invalid_grant``, as oauth.bitrix.info does.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import stat
from pathlib import Path
from typing import Any

import httpx
import pytest

from b2bsync._tokens import TokenFile, write_private
from b2bsync._wiring import bitrix_client
from b2bsync.settings import BitrixSettings
from bitrix_client.fake import FakeBitrixApp, FakeSite, LoopbackServer, create_app

from ._oauth_worker import call_with_expired_token

CLIENT_ID, CLIENT_SECRET = "local.b2bsync", "app-secret-42"


def expired_site() -> tuple[FakeSite, FakeBitrixApp, str, str]:
    site = FakeSite()
    site.add_oauth_app(CLIENT_ID, CLIENT_SECRET, {"sale", "b2bsync"})
    token = site.issue_token(CLIENT_ID)
    site.expire_token(token.access_token)
    return site, create_app(site), token.access_token, token.refresh_token


def settings(portal: str, token_file: Path, access: str, refresh: str) -> dict[str, Any]:
    return {
        "portal_url": portal,
        "oauth_server": portal,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "access_token": access,
        "refresh_token": refresh,
        "token_file": str(token_file),
        "rate_limit": "off",
    }


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_three_processes_with_an_expired_token_renew_it_once(tmp_path: Path):
    """Three timers start at once with an expired access token (each process its own client and
    in-process lock): before the file lock, two of them got invalid_grant."""
    site, app, access, refresh = expired_site()
    token_file = tmp_path / "bitrix-token.json"
    write_private(
        token_file, json.dumps({"access_token": access, "refresh_token": refresh}).encode()
    )
    server = LoopbackServer(app)
    base = server.start()
    spawn = multiprocessing.get_context("spawn")
    try:
        start = spawn.Barrier(3)
        results = spawn.Queue()
        # the configured tokens are the expired pair too: the file is what counts
        config = settings(base, token_file, access, refresh)
        workers = [
            spawn.Process(target=call_with_expired_token, args=(config, start, results))
            for _ in range(3)
        ]
        for worker in workers:
            worker.start()
        answers = sorted(results.get(timeout=120)[1] for _ in workers)
        for worker in workers:
            worker.join(timeout=60)
            assert worker.exitcode == 0
    finally:
        server.stop()
    # one renewed at the token endpoint, two picked up the pair it stored; each replayed once
    assert answers == ["ok, 1 refresh(es)"] * 3
    assert app.stats.token_requests == 1
    assert app.stats.statuses[400] == 0  # no invalid_grant
    stored = json.loads(token_file.read_text(encoding="utf-8"))
    live = site.oauth.lookup(stored["access_token"])
    assert live is not None
    assert live.refresh_token == stored["refresh_token"]
    assert mode(token_file) == 0o600
    assert mode(token_file.with_name("bitrix-token.json.lock")) == 0o600


async def test_independent_clients_in_one_process_renew_once(tmp_path: Path):
    _site, app, access, refresh = expired_site()
    token_file = tmp_path / "token.json"
    config = BitrixSettings(**settings("https://shop.example.ru", token_file, access, refresh))
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    clients = [bitrix_client(config, transport=transport) for _ in range(4)]
    try:
        answers = await asyncio.gather(*(c.call("server.time") for c in clients))
    finally:
        for client in clients:
            await client.aclose()
    assert len(answers) == 4
    assert app.stats.token_requests == 1
    assert app.stats.statuses[400] == 0
    assert sum(c.stats.token_refreshes for c in clients) == 4  # each replayed its call once
    assert mode(token_file) == 0o600
    # a client built now starts from the file's pair, not the configuration's used one
    again = bitrix_client(config, transport=transport)
    async with again:
        await again.call("server.time")
    assert app.stats.token_requests == 1


def test_the_file_is_private_from_its_first_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """It used to be written with the umask's mode and chmodded afterwards."""
    created: list[tuple[str, int]] = []
    real_open = __import__("os").open

    def spy(path: Any, flags: int, mode: int = 0o777, *args: Any) -> int:
        if flags & __import__("os").O_CREAT:
            created.append((Path(path).name, mode))
        return real_open(path, flags, mode, *args)

    monkeypatch.setattr("b2bsync._tokens.os.open", spy)
    stale = tmp_path / ".token.json.tmp"
    stale.write_text("left over", encoding="utf-8")
    stale.chmod(0o644)
    write_private(tmp_path / "token.json", b'{"access_token": "a", "refresh_token": "r"}')
    assert created == [(".token.json.tmp", 0o600)]
    assert mode(tmp_path / "token.json") == 0o600
    assert not stale.exists()


async def test_a_broken_token_file_is_a_configuration_error(tmp_path: Path):
    from b2bsync import ConfigError

    path = tmp_path / "token.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid JSON"):
        TokenFile(path).read()
    path.write_text('{"access_token": "a"}', encoding="utf-8")
    with pytest.raises(ConfigError, match="lacks access_token or refresh_token"):
        TokenFile(path).read()
