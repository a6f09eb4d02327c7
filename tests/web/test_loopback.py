"""The app under uvicorn on 127.0.0.1: in this process (``b2bsync.web.serve``), and as the
``b2bsync serve`` command in a child process against both fakes on loopback, stopped by SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from b2bsync.web import WebConfig, bind, create_app, link_url, serve

from ..workflows.conftest import Cabinet
from .conftest import BASE, SECRET, deps_for

ROOT = Path(__file__).parents[2]


async def test_served_on_loopback_in_process(synced: Cabinet, state_store):
    from b2bsync.store import SqlWorkflowStore

    state_store.clock = synced.world.now
    app = create_app(
        WebConfig(secret=SECRET), deps_for(synced, state_store, SqlWorkflowStore(state_store))
    )
    sock = bind("127.0.0.1", 0)
    host, port = sock.getsockname()[:2]
    stop = asyncio.Event()
    server = asyncio.create_task(serve(app, sock, stop))
    row = next(
        r
        for r in synced.world.rows("B2bDocuments")
        if synced.world.onec.data.documents[r["UF_XML_ID"]].has_file
    )
    expires = int(synced.world.now().timestamp()) + 600
    path = link_url(
        BASE, SECRET, str(row["ID"]), synced.user(row_index(synced, row), "owner"), expires
    )
    url = path.replace("http://b2b.test", f"http://{host}:{port}")
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            for _ in range(200):  # the server accepts as soon as its startup completes
                try:
                    health = await client.get(f"http://{host}:{port}/healthz?probe=live")
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.01)
            assert health.status_code == 200
            response = await client.get(url)
        assert response.status_code == 200
        doc = synced.world.onec.data.documents[row["UF_XML_ID"]]
        assert response.content == synced.world.onec.pdf(doc)
        assert response.headers.get("server") is None
    finally:
        stop.set()
        await server
    assert server.done()
    sock.close()


def row_index(cab: Cabinet, row: dict) -> int:
    ids = [cab.company_id(i) for i in range(len(cab.world.guids))]
    return ids.index(row["UF_COMPANY_ID"])


def test_the_serve_command(synced: Cabinet, tmp_path: Path):
    """``b2bsync serve`` as an operator runs it: settings from the environment, both fakes on
    loopback, a download, then SIGTERM and exit 0; a missing secret is exit 2."""
    world = synced.world
    with world.serve() as ends:
        env = dict(os.environ)
        env.update(
            {
                "B2BSYNC_BITRIX__WEBHOOK_URL": ends.webhook_url,
                "B2BSYNC_BITRIX__RATE_LIMIT": "off",
                "B2BSYNC_ONEC__KIND": "http",
                "B2BSYNC_ONEC__URL": ends.onec_url,
                "B2BSYNC_ONEC__USERNAME": ends.onec_user,
                "B2BSYNC_ONEC__PASSWORD": ends.onec_password,
                "B2BSYNC_STATE__URL": f"sqlite:///{tmp_path / 'state.sqlite3'}",
                "B2BSYNC_LOG__LEVEL": "warning",
            }
        )
        refused = subprocess.run(
            [sys.executable, "-m", "b2bsync", "serve", "--port", "0"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert refused.returncode == 2
        assert "web.secret is not set" in refused.stderr
        env["B2BSYNC_WEB__SECRET"] = "short"
        short = subprocess.run(
            [sys.executable, "-m", "b2bsync", "serve"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert short.returncode == 2
        assert "at least 32 characters" in short.stderr
        env["B2BSYNC_WEB__SECRET"] = SECRET
        child = subprocess.Popen(
            [sys.executable, "-m", "b2bsync", "serve", "--port", "0"],
            env=env,
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert child.stderr is not None
            first = child.stderr.readline()
            assert first.startswith("serving on http://127.0.0.1:"), first
            base = first.split("serving on ")[1].strip()
            row = next(
                r
                for r in world.rows("B2bDocuments")
                if world.onec.data.documents[r["UF_XML_ID"]].has_file
            )
            user = synced.user(row_index(synced, row), "owner")
            url = link_url(
                f"{base}/documents/download",
                SECRET,
                str(row["ID"]),
                user,
                int(time.time()) + 600,  # the child runs on the real clock
            )
            with httpx.Client(timeout=10) as client:
                for _ in range(500):
                    try:
                        ready = client.get(f"{base}/healthz")
                        break
                    except httpx.ConnectError:
                        continue
                assert ready.status_code == 200, ready.text
                response = client.get(url)
            assert response.status_code == 200
            assert response.content == world.onec.pdf(world.onec.data.documents[row["UF_XML_ID"]])
        finally:
            child.send_signal(signal.SIGTERM)
            code = child.wait(timeout=30)
            if child.stderr is not None:
                child.stderr.close()
        assert code == 0
