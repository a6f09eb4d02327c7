"""Killing the sync at any point and starting again converges: no duplicate, none lost.

Both fakes run on loopback in this process; ``b2bsync sync documents`` runs as a child process
with its state in a SQLite file. The child is SIGKILLed after a random delay (seeded), again and
again, and restarted until a run completes. Then the Bitrix fake must hold exactly one row per 1C
document with the right content, and the state store must agree with Bitrix (every remembered
id is the row's id; every company cursor covers only confirmed documents).

``B2BSYNC_CRASH_SEEDS`` sets how many seeds run (default 3; the closing note reports a longer
run).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from b2bsync.store import Store
from jobs.testing import World

ROOT = Path(__file__).parents[2]
SEEDS = int(os.environ.get("B2BSYNC_CRASH_SEEDS", "3"))
COMPANIES = 100
DOCUMENTS = 20  # per company: 2,000 documents
MAX_KILLS = (3, 7)

pytestmark = pytest.mark.slow


def _env(world_ends, state_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "B2BSYNC_BITRIX__WEBHOOK_URL": world_ends.webhook_url,
            "B2BSYNC_BITRIX__RATE_LIMIT": "off",
            "B2BSYNC_ONEC__KIND": "http",
            "B2BSYNC_ONEC__URL": world_ends.onec_url,
            "B2BSYNC_ONEC__USERNAME": world_ends.onec_user,
            "B2BSYNC_ONEC__PASSWORD": world_ends.onec_password,
            "B2BSYNC_STATE__URL": state_url,
            "B2BSYNC_LOG__LEVEL": "error",
        }
    )
    return env


def _sync(env: dict[str, str], job: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "b2bsync", "sync", job],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _free_dead_leases(store: Store) -> None:
    """A SIGKILLed run keeps its lease until the TTL passes and the restart would be skipped.
    The test has just reaped that process, so it releases the lease at once (lease expiry and
    takeover are proven in tests/store)."""
    for lease in store.leases():
        store.release_lease(lease.job, lease.holder)


def _run_with_kills(env: dict[str, str], store: Store, rng: random.Random) -> int:
    """SIGKILL the run a seeded number of times at random moments (from start-up to past the
    end of a clean run's 7 s); return how many kills landed on a live process."""
    kills = 0
    for _ in range(rng.randint(*MAX_KILLS)):
        _free_dead_leases(store)
        child = _sync(env, "documents")
        try:
            code = child.wait(timeout=rng.uniform(0.2, 6.0))
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait()
            kills += 1
        else:
            assert code == 0, f"sync documents exited {code}"
        finally:
            if child.stderr is not None:
                child.stderr.close()
    return kills


@pytest.mark.parametrize("seed", range(SEEDS))
def test_sigkill_at_random_points_converges(seed: int, tmp_path: Path) -> None:
    world = World.build(seed=seed, companies=COMPANIES, documents=DOCUMENTS, orders=200)
    asyncio.run(world.apply_schema())
    state_url = f"sqlite:///{tmp_path / 'state.sqlite3'}"
    rng = random.Random(seed)
    with world.serve() as ends:
        env = _env(ends, state_url)
        companies = subprocess.run(
            [sys.executable, "-m", "b2bsync", "sync", "companies"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            timeout=120,
            check=False,
        )
        assert companies.returncode == 0, companies.stderr.decode()
        store = Store.open(state_url)
        try:
            kills = _run_with_kills(env, store, rng)
            _free_dead_leases(store)
            finish = _sync(env, "documents")  # the restart that is left alone
            _, err = finish.communicate(timeout=120)
            assert finish.returncode == 0, err.decode()
            assert store.last_runs()["documents"].status == "ok"
            # and once converged, another run finds nothing to write
            upserts_before = world.app.stats.calls["b2bsync.item.upsert"]
            again = _sync(env, "documents")
            _, err = again.communicate(timeout=120)
            assert again.returncode == 0, err.decode()
            assert world.app.stats.calls["b2bsync.item.upsert"] == upserts_before

            rows = world.rows("B2bDocuments")
            expected = world.onec.data.documents
            keys = Counter(row["UF_XML_ID"] for row in rows)
            assert not [k for k, n in keys.items() if n > 1], "duplicate rows"
            assert set(keys) == set(expected), "lost or foreign rows"
            companies_by_guid = {row["UF_XML_ID"]: row["ID"] for row in world.rows("B2bCompanies")}
            for row in rows:
                doc = expected[row["UF_XML_ID"]]
                assert row["UF_COMPANY_ID"] == companies_by_guid[doc.counterparty]
                assert row["UF_NUMBER"] == doc.number.strip()
            known = store.known("documents", list(expected))
            assert {k: v.bitrix_id for k, v in known.items()} == {
                row["UF_XML_ID"]: row["ID"] for row in rows
            }
            cursors = store.cursors("documents")
            assert {scope for _, scope in cursors} == set(world.guids)
            assert store.leases() == []
        finally:
            store.close()
    assert kills >= 1, "no run was ever killed: the delays are too long to test anything"
