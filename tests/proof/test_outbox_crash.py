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
import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from b2bsync.store import SqlWorkflowStore, Store
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


class _KillAfterFirstBatch:
    """An observer of the fake: kills the child the moment the fake has applied its first batch,
    before the answer leaves — between the Bitrix write and the store's commit."""

    def __init__(self) -> None:
        self.child: subprocess.Popen[bytes] | None = None
        self.killed = False
        self._lock = threading.Lock()

    def arm(self, child: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self.child = child

    def __call__(self, method: str, params: Any, moment: str) -> None:
        with self._lock:
            if method != "batch" or moment != "after" or self.child is None or self.killed:
                return
            self.child.send_signal(signal.SIGKILL)
            self.child.wait()  # dead before the answer goes any further
            self.killed = True


def _kill_between_write_and_commit(world: World, env: dict[str, str], store: Store) -> bool:
    """Let the fake apply one batch and kill the child before it hears the answer."""
    _free_dead_leases(store)
    killer = _KillAfterFirstBatch()
    world.app.observers.append(killer)
    try:
        child = _deliver(env)
        killer.arm(child)
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=60)
        _reap(child)
    finally:
        world.app.observers.remove(killer)
    return killer.killed


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
