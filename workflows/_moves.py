"""Carrying out the approval workflow's moves on the site: on to the next status after an
approval, back to the pending status after a change nobody had the right to make, and the
cancellation of a rejected order.

The status-log watcher records a move before anything happens (:class:`~workflows.
ApprovalStore`); :func:`apply_moves` then reads the orders of the due moves (one request) and
makes each move only if the order is still where the move expects it — so a move made already
(the process was killed before it recorded so) is found done, and a move the site has overtaken
(someone moved the order on) is skipped:

==========  ====================================  ============================================
move        made when the order                   how
==========  ====================================  ============================================
move on     is still in the approved status        ``b2bsync.order.status.set`` → next status
revert      is anywhere but pending (not           ``b2bsync.order.status.set`` → pending, with
            cancelled)                             the reason (the cabinet's history shows it)
cancel      is rejected and not cancelled yet      ``sale.order.update`` ``canceled: Y`` and
                                                   ``reasonCanceled`` (the owner's reason)
==========  ====================================  ============================================

A move whose status-log row the watcher has seen was made — it is never made again, whatever
happened to the order since (the process died before recording it, then someone decided the
order afresh) — and a move a return to the pending status overtook is skipped by the watcher
before it is due.

Status moves go through the bridge as the service user with ``FROM_STATUS``, so a change made
in between is never overwritten; they appear in the status log as the service user's, where
the watcher recognises them. A failure is counted and the move tried again at the next round;
after ``max_attempts`` it is marked failed and reported by ``b2bsync status``. A fatal error
(credentials, scope) stops the round and leaves the moves due.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import structlog

from bitrix_client import BitrixClient, BitrixError, FatalError

from ._approval_ports import Move, MoveKind, MoveState
from ._ports import Clock, WorkflowStore
from .approval import ApprovalConfig

log = structlog.get_logger("workflows")

MAX_ATTEMPTS = 8


@dataclass
class MoveReport:
    done: int = 0
    skipped: int = 0
    retrying: int = 0
    failed: int = 0
    stopped: str = ""


def plan(move: Move, order: Mapping[str, Any] | None, config: ApprovalConfig) -> str:
    """What to do about ``move`` given the order as the site has it now: ``done`` (nothing
    left to do), ``skipped`` (overtaken), or ``make``. A move whose status-log row the watcher
    has seen was made (the process died before recording so): it is never made again, whatever
    happened to the order since."""
    if move.seen_event is not None:
        return MoveState.done
    if order is None:
        return MoveState.skipped
    status = str(order.get("statusId") or "")
    canceled = order.get("canceled") == "Y"
    if move.kind == MoveKind.cancel:
        if canceled:
            return MoveState.done
        return "make" if status == move.from_status else MoveState.skipped
    if status == move.to_status:
        return MoveState.done
    if canceled:
        return MoveState.skipped
    if move.kind == MoveKind.revert:
        return "make"
    return "make" if status == move.from_status else MoveState.skipped


async def _make(bitrix: BitrixClient, move: Move, order: Mapping[str, Any]) -> bool:
    """Make the move; False when the order changed under it (tried again next round)."""
    if move.kind == MoveKind.cancel:
        fields = {"canceled": "Y", "reasonCanceled": move.reason}
        await bitrix.sale.order_update(move.order_id, fields)
        return True
    answer = await bitrix.bridge.order_status_set(
        move.order_id,
        move.to_status,
        reason=move.reason,
        from_status=str(order.get("statusId") or ""),
    )
    return bool(answer.get("CHANGED")) or answer.get("STATUS_ID") == move.to_status


async def apply_moves(
    bitrix: BitrixClient,
    store: WorkflowStore,
    clock: Clock,
    config: ApprovalConfig,
    *,
    limit: int = 50,
    max_attempts: int = MAX_ATTEMPTS,
) -> MoveReport:
    report = MoveReport()
    due = store.due_moves(limit)
    if not due:
        return report
    try:
        rows = await bitrix.sale.orders_by_ids(
            sorted({m.order_id for m in due}), ["id", "statusId", "canceled"]
        )
    except BitrixError as exc:
        report.stopped = " ".join(str(exc).split())
        log.warning("approval.moves.failed", error=report.stopped)
        return report
    orders = {int(row["id"]): row for row in rows if "id" in row}
    for move in due:
        assert move.id is not None
        order = orders.get(move.order_id)
        step = plan(move, order, config)
        if step != "make":
            store.finish_move(move.id, step, clock())
            setattr(report, step, getattr(report, step) + 1)
            log.info("approval.move", order=move.order_id, kind=move.kind, outcome=step)
            continue
        assert order is not None
        try:
            made = await _make(bitrix, move, order)
        except FatalError as exc:
            report.stopped = " ".join(str(exc).split())
            log.error("approval.moves.stopped", reason=report.stopped)
            break
        except BitrixError as exc:
            made, error = False, " ".join(str(exc).split())[:500]
        else:
            error = "" if made else "the order changed meanwhile"
        if made:
            store.finish_move(move.id, MoveState.done, clock())
            report.done += 1
            log.info(
                "approval.move",
                order=move.order_id,
                kind=move.kind,
                to=move.to_status,
                outcome="made",
            )
        elif move.attempts + 1 >= max_attempts:
            store.finish_move(move.id, MoveState.failed, clock(), error)
            report.failed += 1
            log.error("approval.move_failed", order=move.order_id, kind=move.kind, error=error)
        else:
            store.finish_move(move.id, MoveState.pending, clock(), error)
            report.retrying += 1
            log.warning("approval.move_retry", order=move.order_id, kind=move.kind, error=error)
    return report


__all__ = ["MAX_ATTEMPTS", "MoveReport", "apply_moves", "plan"]
