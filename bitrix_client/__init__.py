"""Async client for the 1C-Bitrix REST API, and its wire-faithful fake (``bitrix_client.fake``).

Errors are split by what the caller does next: :class:`RetryableError`, :class:`FatalError`,
:class:`SkippableError`, and :class:`WriteOutcomeUnknownError` for a write that may have happened.
"""

from ._auth import Auth, OAuthAuth, OAuthTokens, SharedTokens, WebhookAuth
from ._bridge import (
    SUPPORTED_API,
    BridgeAPI,
    UpsertResult,
    bridge_not_installed,
    check_bridge_info,
    row_outcomes,
)
from ._classify import classify, classify_batch_entry
from ._client import BitrixClient, ClientStats
from ._errors import (
    AccessDeniedError,
    AuthenticationError,
    BitrixError,
    BridgeIncompatibleError,
    FatalError,
    InsufficientScopeError,
    MethodNotFoundError,
    NotFoundError,
    OperationTimeLimitError,
    OverloadError,
    ProtocolError,
    RateLimitedError,
    RejectedError,
    RetryableError,
    ServerError,
    SkippableError,
    TokenExpiredError,
    TransportError,
    WriteOutcomeUnknownError,
)
from ._filters import build_filter
from ._guard import is_write, write_guard
from ._limiter import BOXED_CONCURRENCY, PROFILES, Gate, ProcessingWatch, RateLimit, RateLimiter
from ._retry import RetryPolicy, is_idempotent, is_read
from ._sale import SYSTEM_STATUSES, SaleAPI, status_id_problem
from ._types import BatchItem, Command, Response
from ._wire import Ref, encode_command, encode_form, iso_datetime

__all__ = [
    "BOXED_CONCURRENCY",
    "PROFILES",
    "SUPPORTED_API",
    "SYSTEM_STATUSES",
    "AccessDeniedError",
    "Auth",
    "AuthenticationError",
    "BatchItem",
    "BitrixClient",
    "BitrixError",
    "BridgeAPI",
    "BridgeIncompatibleError",
    "ClientStats",
    "Command",
    "FatalError",
    "Gate",
    "InsufficientScopeError",
    "MethodNotFoundError",
    "NotFoundError",
    "OAuthAuth",
    "OAuthTokens",
    "OperationTimeLimitError",
    "OverloadError",
    "ProcessingWatch",
    "ProtocolError",
    "RateLimit",
    "RateLimitedError",
    "RateLimiter",
    "Ref",
    "RejectedError",
    "Response",
    "RetryPolicy",
    "RetryableError",
    "SaleAPI",
    "ServerError",
    "SharedTokens",
    "SkippableError",
    "TokenExpiredError",
    "TransportError",
    "UpsertResult",
    "WebhookAuth",
    "WriteOutcomeUnknownError",
    "bridge_not_installed",
    "build_filter",
    "check_bridge_info",
    "classify",
    "classify_batch_entry",
    "encode_command",
    "encode_form",
    "is_idempotent",
    "is_read",
    "is_write",
    "iso_datetime",
    "row_outcomes",
    "status_id_problem",
    "write_guard",
]
