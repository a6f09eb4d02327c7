"""Killing the delivery at any point and starting again delivers every notification on every
channel exactly once.

The Bitrix fake runs on loopback in this process; ``b2bsync outbox deliver`` runs as a child with
its state in a SQLite file holding 1,500 notifications (bell row and mail each, 30 users). The
child is SIGKILLed again and again: at random moments (seeded), and once on purpose while the
fake holds a batch it has already applied without answering — the kill lands between the
site's write and the store's commit. A last run is left alone. Then the fake must hold exactly
one bell row and exactly one queued mail per notification, and the store must say every channel
was delivered.

``B2BSYNC_CRASH_SEEDS`` sets how many seeds run (default 3).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from b2bsync.store import SqlWorkflowStore, Store
from bitrix_client.fake import Fault
from jobs.testing import World
from workflows import Notification, Recipient, dedup_key

ROOT = Path(__file__).parents[2]
SEEDS = int(os.environ.get("B2BSYNC_CRASH_SEEDS", "3"))
NOTIFICATIONS = 1500
USERS = 30
KILLS = (3, 6)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def _notes(at) -> list[Notification]:
    out = []
    for i in range(NOTIFICATIONS):
        user = 500 + i % USERS
        out.append(
            Notification(
                key=dedup_key("B2B_DOCUMENT_READY", f"doc:proof-{i}", user),
                type="B2B_DOCUMENT_READY",
                recipient=Recipient(user, f"user{user}@example.ru", f"User {user}", "ru"),
                fields={"DOC_TYPE_NAME": "Счёт", "DOC_NUMBER": f"П-{i:05d}"},
                created_at=at,
            )
        )
    return out


def _deliver(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "b2bsync", "outbox", "deliver"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _free_dead_leases(store: Store) -> None:
    """A SIGKILLed run keeps its lease until the TTL passes; the test has reaped it."""
    for lease in store.leases():
        store.release_lease(lease.job, lease.holder)


def _reap(child: subprocess.Popen[bytes]) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait()
    if child.stderr is not None:
        child.stderr.close()


def _kill_between_write_and_commit(world: World, env: dict[str, str], store: Store) -> bool:
    """Let the fake apply one batch and hold its answer, and kill the child meanwhile."""
    _free_dead_leases(store)
    stalled = world.app.stats.faults[Fault.TIMEOUT_AFTER.value]
    world.app.faults.inject_next(Fault.TIMEOUT_AFTER, method="batch")
    child = _deliver(env)
    deadline = time.monotonic() + 60
    while world.app.stats.faults[Fault.TIMEOUT_AFTER.value] == stalled:
        if child.poll() is not None or time.monotonic() > deadline:
            _reap(child)
            return False
        time.sleep(0.005)
    _reap(child)
    return True


@pytest.mark.parametrize("seed", range(SEEDS))
def test_sigkill_during_delivery_sends_everything_exactly_once(seed: int, tmp_path: Path):
    world = World.build(seed=seed, companies=2, documents=1, orders=10, real_time=True)
    asyncio.run(world.apply_schema())
    state_url = f"sqlite:///{tmp_path / 'state.sqlite3'}"
    store = Store.open(state_url)
    tables = SqlWorkflowStore(store)
    assert tables.enqueue(_notes(store.now())) == NOTIFICATIONS
    rng = random.Random(seed)
    kills = 0
    with world.serve() as ends:
        env = dict(os.environ)
        env.update(
            {
                "B2BSYNC_BITRIX__WEBHOOK_URL": ends.webhook_url,
                "B2BSYNC_BITRIX__RATE_LIMIT": "off",
                "B2BSYNC_BITRIX__TIMEOUT": "60",
                "B2BSYNC_STATE__URL": state_url,
                "B2BSYNC_LOG__LEVEL": "error",
            }
        )
        try:
            in_between = _kill_between_write_and_commit(world, env, store)
            for _ in range(rng.randint(*KILLS)):
                _free_dead_leases(store)
                child = _deliver(env)
                try:
                    code = child.wait(timeout=rng.uniform(0.3, 2.5))
                except subprocess.TimeoutExpired:
                    _reap(child)
                    kills += 1
                else:
                    assert code == 0, child.stderr.read().decode() if child.stderr else code
                    if child.stderr is not None:
                        child.stderr.close()
            _free_dead_leases(store)
            last = _deliver(env)
            _, err = last.communicate(timeout=120)
            assert last.returncode == 0, err.decode()

            rows = world.rows("B2bNotifications")
            keys = Counter(row["UF_DEDUP_KEY"] for row in rows)
            expected = {n.key for n in _notes(store.now())}
            assert set(keys) == expected, "lost or foreign bell rows"
            assert max(keys.values()) == 1, "a bell row twice"
            mails = Counter(m.dedup_key for m in world.site.bridge.mails())
            assert set(mails) == expected, "lost or foreign mails"
            assert max(mails.values()) == 1, "a mail twice"
            stats = tables.outbox_stats()
            assert (stats.pending, stats.parked, stats.delivered) == (0, 0, 2 * NOTIFICATIONS)
        finally:
            store.close()
    assert in_between, "the kill between the site's write and the store's commit did not happen"
    assert kills + in_between >= 2
