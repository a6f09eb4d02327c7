"""What each contending process runs (imported by name in spawned processes)."""

from __future__ import annotations

import os
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

from b2bsync.store import Store
from jobs import JobResult


def contend(
    url: str,
    holder: str,
    jobs: list[str],
    wins_wanted: int,
    marker: str,
    start: Barrier,
    results: Queue[tuple[str, dict[str, int]]],
) -> None:
    """Take the leases of ``jobs`` ``wins_wanted`` times; while holding them, own ``marker``.

    The marker file is created with O_EXCL: if two holders were ever inside at once, the
    second creation fails and is counted as an overlap. Opening the store migrates it, so
    processes started on a fresh database also race through the migration.
    """
    store = Store.open(url)
    wins = overlaps = busy = 0
    try:
        start.wait(timeout=60)  # contend only once every process has the store open
        for _ in range(200_000):
            if wins == wins_wanted:
                break
            leases = store.acquire_leases(jobs, holder, ttl=60)
            if leases is None:
                busy += 1
                continue
            try:
                fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                overlaps += 1
                store.release_leases(jobs, holder)
                continue
            run_id = store.start_run("+".join(jobs), holder)
            store.finish_run(run_id, JobResult("+".join(jobs), counts={"wins": 1}))
            os.close(fd)
            Path(marker).unlink()
            if store.release_leases(jobs, holder) != len(jobs):
                overlaps += 1
            wins += 1
    finally:
        store.close()
    results.put((holder, {"wins": wins, "overlaps": overlaps, "busy": busy}))
