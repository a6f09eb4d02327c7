"""What the crash proof needs besides the test: the kill plan, the killer that acts inside the
Bitrix fake at the moment of a write, and the final state to compare.

Writes are told apart by kind — company rows, order links, documents, credit positions — named
after the job that owns the feed (:data:`jobs.ALL_ORDER`); the companies job also writes order
links (a new company's earlier orders), so the job a kill interrupted is asked of the store.

The killer is an observer of the fake app (it runs in the loopback server's thread). It counts
the write requests of each job in the running child and, at the planned one, SIGKILLs the child
and reaps it — *before* the write is applied ("before"), or after it was applied and before the
answer leaves ("after"): exactly between a Bitrix write and the store commit that would have
recorded it.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bitrix_client import is_write
from bitrix_client.fake._decode import parse_str
from jobs import ALL_ORDER

BLOCK_JOBS = {"B2bCompanies": "companies", "B2bDocuments": "documents", "B2bCreditStatus": "credit"}
PHASES = ("before", "after")


@dataclass(frozen=True)
class Planned:
    job: str
    nth: int  # the job's nth write request in the child
    phase: str  # before | after (the write applied, the answer not sent)


@dataclass(frozen=True)
class Landed:
    planned: Planned
    child: int  # which child process (0-based)
    keys: tuple[str, ...]  # UF_XML_ID (companies, documents), UF_COMPANY_ID (credit), order id
    recorded: frozenset[str] = frozenset()  # of those keys, what the store had at the kill
    running: str = ""  # the job whose run the kill interrupted (the store's running run)


def plan_kills(rng: random.Random, writes: Mapping[str, int]) -> list[Planned]:
    """A kill per job, in job order, on any of the job's write requests of an uninterrupted run
    (``writes``); one time in four a second one, on the job's first write in the restarted
    child. At least one kill lands between a write and its commit."""
    plan: list[Planned] = []
    for job in ALL_ORDER:
        if not writes.get(job):
            continue
        plan.append(Planned(job, rng.randint(1, writes[job]), rng.choice(PHASES)))
        if rng.random() < 0.25:
            plan.append(Planned(job, 1, rng.choice(PHASES)))
    if all(p.phase == "before" for p in plan):
        plan[0] = Planned(plan[0].job, plan[0].nth, "after")
    return plan


def _commands(method: str, params: Mapping[Any, Any]) -> list[tuple[str, Mapping[Any, Any]]]:
    """The commands of a request with their parameters: a direct call's own, or each of a
    batch's ``cmd`` strings parsed as PHP would (``FIELDS[UF_XML_ID]`` → nested maps)."""
    if method.lower() != "batch":
        return [(method.lower(), params)]
    found = params.get("cmd")
    commands = found.values() if isinstance(found, Mapping) else []
    out: list[tuple[str, Mapping[Any, Any]]] = []
    for command in commands:
        name, _, query = str(command).partition("?")
        out.append((name.lower(), parse_str(query)))
    return out


def _rows(params: Mapping[Any, Any]) -> list[Mapping[Any, Any]]:
    """The rows an ``item.upsert`` carries: ``FIELDS`` (one) or ``ROWS`` (a bulk chunk)."""
    rows = params.get("ROWS")
    if isinstance(rows, Mapping):  # a PHP list decoded from a form body
        rows = list(rows.values())
    if isinstance(rows, list):
        return [row for row in rows if isinstance(row, Mapping)]
    fields = params.get("FIELDS")
    return [fields] if isinstance(fields, Mapping) else []


def _order_ids(params: Mapping[Any, Any]) -> list[str]:
    fields = params.get("fields")
    order = fields.get("order") if isinstance(fields, Mapping) else None
    found = order.get("id") if isinstance(order, Mapping) else None
    return [str(found)] if found is not None else []


def classify(method: str, params: Mapping[Any, Any]) -> tuple[str, tuple[str, ...]] | None:
    """(kind of write, keys) of a write request, or None for a read."""
    if not is_write(method, params):
        return None
    jobs: set[str] = set()
    keys: list[str] = []
    for name, query in _commands(method, params):
        if name == "b2bsync.item.upsert":
            job = BLOCK_JOBS.get(str(query.get("HLBLOCK", "")), "other")
            jobs.add(job)
            key = "UF_COMPANY_ID" if job == "credit" else "UF_XML_ID"
            keys += [str(row[key]) for row in _rows(query) if key in row]
        elif name == "sale.propertyvalue.modify":
            jobs.add("orders")
            keys += _order_ids(query)
        elif name not in ("batch",) and is_write(name, {}):
            jobs.add("other")
    job = jobs.pop() if len(jobs) == 1 else "other"
    return job, tuple(keys)


@dataclass
class Killer:
    """Kills the armed child at the planned write requests, in order."""

    plan: deque[Planned]
    #: what the store had recorded of a write's keys, asked right after the kill
    recorded: Callable[[str, tuple[str, ...]], frozenset[str]] = lambda job, keys: frozenset()
    #: the job of the run in progress, asked right after the kill: order links are written by
    #: the companies job too (a company's earlier orders), so a write's kind is not its job
    running: Callable[[], str] = lambda: ""
    landed: list[Landed] = field(default_factory=list)
    dropped: list[Planned] = field(default_factory=list)
    writes: Counter[str] = field(default_factory=Counter)  # of the armed child, per job
    child: subprocess.Popen[bytes] | None = None
    children: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def arm(self, child: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self.child = child
            self.writes = Counter()

    def disarm(self) -> None:
        with self._lock:
            self.child = None
            self.children += 1

    def __call__(self, method: str, params: Mapping[Any, Any], moment: str) -> None:
        found = classify(method, params)
        if found is None:
            return
        job, keys = found
        with self._lock:
            if self.child is None:
                return
            if moment == "before":
                self.writes[job] += 1
            order = {name: i for i, name in enumerate(ALL_ORDER)}
            while self.plan and job in order and order[self.plan[0].job] < order[job]:
                self.dropped.append(self.plan.popleft())  # that job had nothing left to write
            head = self.plan[0] if self.plan else None
            if head is None or head.job != job or head.phase != moment:
                return
            if self.writes[job] != head.nth:
                return
            os.kill(self.child.pid, signal.SIGKILL)
            self.child.wait()  # dead before the write (or its answer) goes any further
            recorded = self.recorded(job, keys)
            landed = Landed(self.plan.popleft(), self.children, keys, recorded, self.running())
            self.landed.append(landed)
            self.child = None


@dataclass
class WriteCounter:
    """Counts write requests while ``on`` (the write-free rerun)."""

    on: bool = False
    writes: Counter[str] = field(default_factory=Counter)

    def __call__(self, method: str, params: Mapping[Any, Any], moment: str) -> None:
        found = classify(method, params)
        if self.on and found is not None and moment == "before":
            self.writes[found[0]] += 1
