"""``POST /events``: the bridge's wake-up pings (``bridge/contract/events.json``).

A ping says "a row was added to this block"; it carries no data worth trusting and is only a
nudge: the matching watcher polls now instead of at its next interval, and reads the rows back
from Bitrix like any poll. So the checks are cheap and the answer comes in milliseconds:

- the body is at most 4 KiB; the signature and the timestamp headers verify with the shared
  secret (401 otherwise) and the timestamp lies within ``event_window`` of now (401);
- a signature already accepted within the window is a replay (409);
- the body names a block: a watched one wakes its watcher (202 ``{"woke": watcher}``), another
  is accepted and ignored (202 ``{"woke": null}`` — a newer module may watch more blocks);
  malformed JSON is 400.

Waking is in-process when this process runs the watchers (``b2bsync run --serve``); otherwise
the request is left in the state store, where the daemon takes it within ``watch.wake_check``.
"""

from __future__ import annotations

import asyncio
import json

import structlog
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from workflows import WAKES, Expired, LinkInvalid

from ._signing import verify_event
from ._state import AppState, app_state

log = structlog.get_logger("b2bsync.web")

MAX_BODY = 4096


def _answer(state: AppState, status: int, payload: dict[str, object], outcome: str) -> Response:
    state.counters.pings[outcome] += 1
    return JSONResponse(payload, status_code=status, headers={"Cache-Control": "no-store"})


async def _read(request: Request) -> bytes | None:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        return None
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None
    return body


async def events(request: Request) -> Response:
    state = app_state(request)
    body = await _read(request)
    if body is None:
        return _answer(state, 413, {"error": "body too large"}, "too_large")
    now = state.deps.clock().timestamp()
    signature = request.headers.get("x-b2bsync-signature")
    try:
        timestamp = verify_event(
            state.config.secret,
            request.headers.get("x-b2bsync-timestamp"),
            body,
            signature,
            now,
            state.config.event_window,
        )
    except Expired:
        return _answer(state, 401, {"error": "timestamp outside the window"}, "stale")
    except LinkInvalid:
        log.warning("http.events.refused", reason="bad signature")
        return _answer(state, 401, {"error": "bad signature"}, "bad_signature")
    assert signature is not None
    if not state.replays.first_time(signature, timestamp, now):
        return _answer(state, 409, {"error": "replayed"}, "replay")
    try:
        payload = json.loads(body)
        block = payload["block"]
        row_id = payload["id"]
        if not isinstance(block, str) or not isinstance(row_id, int):
            raise TypeError("block must be a string and id an integer")
    except (ValueError, KeyError, TypeError) as exc:
        return _answer(state, 400, {"error": f"malformed ping: {exc}"}, "malformed")
    watcher = WAKES.get(block)
    if watcher is not None:
        await _wake(state, watcher)
    log.info("http.events.ping", block=block, id=row_id, woke=watcher)
    return _answer(state, 202, {"woke": watcher}, "woke" if watcher else "ignored")


async def _wake(state: AppState, watcher: str) -> None:
    deps = state.deps
    if deps.wake is not None and deps.wake(watcher):
        return
    if deps.workflows is not None:
        await asyncio.to_thread(deps.workflows.request_wake, watcher, deps.clock())


__all__ = ["MAX_BODY", "events"]
