"""The error hierarchy, split by what the caller should do next.

- :class:`RetryableError`: try again later (the client already retried what it safely could).
- :class:`FatalError`: stop; configuration, credentials, scopes or a protocol mismatch.
- :class:`SkippableError`: this one record or call was rejected; carry on with the others.
- :class:`WriteOutcomeUnknownError`: a non-idempotent write may or may not have happened; look the
  record up by its idempotency key before writing it again.
"""

from __future__ import annotations


class BitrixError(Exception):
    """Root of every error raised by :mod:`bitrix_client`."""

    def __init__(
        self,
        message: str,
        *,
        code: str | int | None = None,
        description: str = "",
        status: int | None = None,
        method: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.description = description
        self.status = status
        self.method = method


class RetryableError(BitrixError):
    """A transient failure: the same call may succeed later."""


class TransportError(RetryableError):
    """The HTTP exchange failed. ``sent`` is False when the server provably never got the request
    (connection refused, connect timeout, body not fully written) and None when unknown."""

    def __init__(self, message: str, *, sent: bool | None, method: str | None = None) -> None:
        super().__init__(message, method=method)
        self.sent = sent


class ServerError(RetryableError):
    """HTTP 5xx or INTERNAL_SERVER_ERROR: the server may have done part of the work."""


class RateLimitedError(RetryableError):
    """503 QUERY_LIMIT_EXCEEDED: the leaky bucket rejected the request before processing it."""


class OperationTimeLimitError(RetryableError):
    """429 OPERATION_TIME_LIMIT: the method's time budget is spent until ``reset_at`` (unix s)."""

    def __init__(
        self,
        message: str,
        *,
        reset_at: float | None = None,
        code: str | int | None = None,
        description: str = "",
        status: int | None = None,
        method: str | None = None,
    ) -> None:
        super().__init__(message, code=code, description=description, status=status, method=method)
        self.reset_at = reset_at


class OverloadError(RetryableError):
    """OVERLOAD_LIMIT: the portal blocked REST for a while because of overload."""


class FatalError(BitrixError):
    """Retrying will not help: fix configuration, credentials or code."""


class AuthenticationError(FatalError):
    """The webhook secret or OAuth token is wrong (INVALID_CREDENTIALS, NO_AUTH_FOUND…)."""


class TokenExpiredError(AuthenticationError):
    """expired_token: an OAuth access token must be refreshed."""


class InsufficientScopeError(FatalError):
    """The webhook or application was not granted the scope this method needs."""


class AccessDeniedError(FatalError):
    """ACCESS_DENIED / WRONG_AUTH_TYPE: this credential type or user may not call the method."""


class MethodNotFoundError(FatalError):
    """ERROR_METHOD_NOT_FOUND: the method does not exist here (module not installed?)."""


class ProtocolError(FatalError):
    """The answer does not follow the REST protocol (HTML page, broken JSON, paging loop…)."""


class BridgeIncompatibleError(FatalError):
    """The b2bsync.bridge module on the site speaks an API major version we do not support."""


class SkippableError(BitrixError):
    """The server rejected this call's input; other calls are unaffected."""


class NotFoundError(SkippableError):
    """The addressed object does not exist (``sale.*`` "… is not exists", ERROR_NOT_FOUND)."""


class RejectedError(SkippableError):
    """Invalid or conflicting input: a missing parameter, a duplicate, a failed validation."""


class WriteOutcomeUnknownError(BitrixError):
    """A non-idempotent write was sent but no answer came back; it may have been applied."""
