"""One function decides what every answer means: the HTTP status plus the ``error`` field.

The ``error`` string wins over the status (a real site answers 401 for ``insufficient_scope``
although the docs say 403). ``sale.*`` errors carry integer codes and are always HTTP 400; the
middle group of their digits tells "not found" (…404…) from everything else.
"""

from __future__ import annotations

from typing import Any

from ._errors import (
    AccessDeniedError,
    AuthenticationError,
    BitrixError,
    FatalError,
    InsufficientScopeError,
    MethodNotFoundError,
    NotFoundError,
    OperationTimeLimitError,
    OverloadError,
    ProtocolError,
    RateLimitedError,
    RejectedError,
    ServerError,
    TokenExpiredError,
)

_BY_CODE: dict[str, type[BitrixError]] = {
    "ERROR_METHOD_NOT_FOUND": MethodNotFoundError,
    "NO_AUTH_FOUND": AuthenticationError,
    "INVALID_CREDENTIALS": AuthenticationError,
    "INVALID_TOKEN": AuthenticationError,
    "INVALID_GRANT": AuthenticationError,
    "INVALID_CLIENT": AuthenticationError,
    "EXPIRED_TOKEN": TokenExpiredError,
    "INSUFFICIENT_SCOPE": InsufficientScopeError,
    "ACCESS_DENIED": AccessDeniedError,
    "WRONG_AUTH_TYPE": AccessDeniedError,
    "USER_ACCESS_ERROR": AccessDeniedError,
    "ALLOWED_ONLY_INTRANET_USER": AccessDeniedError,
    "PAYMENT_REQUIRED": AccessDeniedError,
    "QUERY_LIMIT_EXCEEDED": RateLimitedError,
    "OPERATION_TIME_LIMIT": OperationTimeLimitError,
    "OVERLOAD_LIMIT": OverloadError,
    "INTERNAL_SERVER_ERROR": ServerError,
    "ERROR_BUSY": ServerError,  # the bridge: a concurrent write on the same key; retry
    "ERROR_UNEXPECTED_ANSWER": ServerError,
    "PORTAL_DELETED": FatalError,
    "ERROR_BATCH_LENGTH_EXCEEDED": FatalError,
    "ERROR_BATCH_METHOD_NOT_ALLOWED": FatalError,
    "INVALID_REQUEST": FatalError,
    "ERROR_MANIFEST_IS_NOT_AVAILABLE": MethodNotFoundError,
    "ERROR_NOT_FOUND": NotFoundError,
    "NOT_FOUND": NotFoundError,
    "ERROR_ENTITY_NOT_FOUND": NotFoundError,
    "ERROR_ARGUMENT": RejectedError,
    "ERROR_CORE": RejectedError,
    "ERROR_VALIDATION": RejectedError,
    # the bridge's least privilege: the webhook's user, the block, the group or the mail event is
    # not b2bsync's to use (fix the module settings); an unsafe template is rejected input
    "ERROR_ACCESS_DENIED": AccessDeniedError,
    "ERROR_TEMPLATE_UNSAFE": RejectedError,
}

_BY_STATUS: dict[int, type[BitrixError]] = {
    400: RejectedError,
    401: AuthenticationError,
    403: AccessDeniedError,
    404: NotFoundError,
    405: FatalError,
    429: OperationTimeLimitError,
}


def _sale_error(code: int) -> type[BitrixError]:
    digits = str(code)
    if len(digits) >= 9 and digits[4:7] == "404":
        return NotFoundError
    return RejectedError


def error_class(code: str | int | None, status: int | None) -> type[BitrixError]:
    if isinstance(code, bool):
        code = None
    if isinstance(code, int) or (isinstance(code, str) and code.isdigit()):
        return _sale_error(int(code))
    if isinstance(code, str) and code:
        known = _BY_CODE.get(code.upper())
        if known is not None:
            return known
    if status is not None:
        if status >= 500:
            return ServerError
        return _BY_STATUS.get(status, ProtocolError if status < 400 else RejectedError)
    return RejectedError


def build_error(
    code: str | int | None,
    description: str,
    *,
    status: int | None,
    method: str | None,
    time_info: Any = None,
) -> BitrixError:
    cls = error_class(code, status)
    where = f"{method}: " if method else ""
    text = f"{where}{code}" if code not in (None, "") else f"{where}HTTP {status}"
    if description:
        text += f" ({description})"
    common: dict[str, Any] = {
        "code": code,
        "description": description,
        "status": status,
        "method": method,
    }
    if cls is OperationTimeLimitError:
        reset_at = time_info.get("operating_reset_at") if isinstance(time_info, dict) else None
        return OperationTimeLimitError(
            text, reset_at=float(reset_at) if reset_at is not None else None, **common
        )
    return cls(text, **common)


def classify(status: int, body: Any, *, method: str | None = None) -> BitrixError | None:
    """Return the error an answer stands for, or None when it is a success envelope."""
    if isinstance(body, dict) and "error" in body:
        description = body.get("error_description")
        return build_error(
            body["error"],
            description if isinstance(description, str) else "",
            status=status,
            method=method,
            time_info=body.get("time"),
        )
    if 200 <= status < 300:
        if isinstance(body, dict) and "result" in body:
            return None
        return ProtocolError(
            f"{method or 'call'}: HTTP {status} without a REST envelope",
            status=status,
            method=method,
        )
    return build_error(None, "", status=status, method=method)


def classify_batch_entry(entry: Any, *, method: str | None) -> BitrixError:
    """A ``result_error`` value of a batch: same codes, no HTTP status of its own."""
    if isinstance(entry, dict):
        description = entry.get("error_description")
        return build_error(
            entry.get("error"),
            description if isinstance(description, str) else "",
            status=None,
            method=method,
        )
    return RejectedError(f"{method}: {entry!r}", method=method)
