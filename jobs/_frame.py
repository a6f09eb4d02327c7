"""What every job does around its work: start and done events, and failures as one line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import structlog

from bitrix_client import BitrixError
from onec_client import OneCError

from ._context import JobContext
from ._errors import JobFailed
from ._ports import JobResult
from ._values import one_line

log = structlog.get_logger("jobs")


class _Runnable(Protocol):
    async def execute(self) -> None: ...


async def run_job(
    name: str,
    ctx: JobContext,
    make: Callable[[JobContext, JobResult], _Runnable],
    **start: Any,
) -> JobResult:
    """Run one job body; library errors end it with a one-line error in the result, which the
    runner records (anything else is a bug and propagates)."""
    result = JobResult(name)
    log.info(f"sync.{name}.start", **start)
    try:
        await make(ctx, result).execute()
    except JobFailed as exc:
        result.errors.append(str(exc))
    except (BitrixError, OneCError) as exc:
        result.errors.append(f"{name}: {one_line(exc)}")
    log.info(
        f"sync.{name}.done",
        ok=result.ok,
        stopped=result.stopped,
        errors=len(result.errors),
        **result.counts,
    )
    ctx.progress.event(f"sync.{name}.done", ok=result.ok, **result.counts)
    return result


__all__ = ["run_job"]
