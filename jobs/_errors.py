"""What a failure means for a job: the record waits in quarantine, the scope is retried on the
next run, or the whole job stops.

Jobs return a :class:`~jobs.JobResult` instead of raising; :class:`JobFailed` carries a fatal
condition (bad configuration, missing schema, refused credentials) from deep inside a job to
its top, where it becomes one line in ``JobResult.errors``.
"""

from __future__ import annotations

from typing import Literal

from bitrix_client import (
    BitrixError,
    FatalError,
    RetryableError,
    SkippableError,
    WriteOutcomeUnknownError,
)

from ._values import one_line

Fate = Literal["retry", "skip", "fatal"]

#: Bridge codes that mean "try again", although a batch entry carries no HTTP status to say so.
_RETRY_CODES = frozenset({"ERROR_BUSY"})


class JobFailed(Exception):
    """The job cannot go on; the message is the one-line reason."""


def fate(exc: BaseException) -> Fate:
    """What to do with a record whose write failed with ``exc``.

    ``ERROR_BUSY`` (the bridge's upsert lock timed out) arrives inside a batch without its 503,
    so the client reads it as a rejected input; it is a transient condition, retried next run.
    """
    if isinstance(exc, BitrixError) and str(exc.code).upper() in _RETRY_CODES:
        return "retry"
    if isinstance(exc, RetryableError | WriteOutcomeUnknownError):
        return "retry"
    if isinstance(exc, SkippableError):
        return "skip"
    if isinstance(exc, FatalError):
        return "fatal"
    return "retry"


def fatal_from(exc: BaseException, what: str) -> JobFailed:
    return JobFailed(f"{what}: {one_line(exc)}")
