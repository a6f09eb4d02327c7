"""Every documented and recorded error answer maps to the class that says what to do next."""

import json
from pathlib import Path

import pytest

from bitrix_client import (
    AccessDeniedError,
    AuthenticationError,
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
    classify,
    classify_batch_entry,
)

RECORDINGS = Path(__file__).parents[1] / "data" / "bitrix-recordings" / "real-25.550.jsonl"


def err(code, description="x"):
    return {"error": code, "error_description": description}


TABLE = [
    # (HTTP status, body, expected class) — one row per documented or recorded error
    (404, err("ERROR_METHOD_NOT_FOUND", "Method not found!"), MethodNotFoundError),
    (401, err("NO_AUTH_FOUND", "Wrong authorization data"), AuthenticationError),
    (401, err("INVALID_CREDENTIALS", "Invalid request credentials"), AuthenticationError),
    (403, err("INVALID_CREDENTIALS"), AuthenticationError),  # the docs' status; code wins
    (401, err("invalid_token"), AuthenticationError),
    (401, err("expired_token", "The access token provided has expired."), TokenExpiredError),
    (401, err("insufficient_scope"), InsufficientScopeError),  # recorded: 401, docs say 403
    (403, err("insufficient_scope"), InsufficientScopeError),
    (403, err("ACCESS_DENIED"), AccessDeniedError),
    (403, err("WRONG_AUTH_TYPE", "Current authorization type is denied"), AccessDeniedError),
    (403, err("user_access_error"), AccessDeniedError),
    (403, err("ALLOWED_ONLY_INTRANET_USER"), AccessDeniedError),
    (503, err("QUERY_LIMIT_EXCEEDED", "Too many requests"), RateLimitedError),
    (429, err("OPERATION_TIME_LIMIT", "Method is blocked"), OperationTimeLimitError),
    (403, err("OVERLOAD_LIMIT"), OverloadError),
    (500, err("INTERNAL_SERVER_ERROR", "Internal server error"), ServerError),
    (500, err("ERROR_UNEXPECTED_ANSWER"), ServerError),
    (500, err("PORTAL_DELETED"), FatalError),
    (400, err("ERROR_BATCH_LENGTH_EXCEEDED"), FatalError),
    (405, err("ERROR_BATCH_METHOD_NOT_ALLOWED"), FatalError),
    (400, err("INVALID_REQUEST", "Https required."), FatalError),
    (404, err("ERROR_NOT_FOUND"), NotFoundError),
    (503, err("ERROR_BUSY"), ServerError),
    (400, err("ERROR_ARGUMENT"), RejectedError),
    (400, err("ERROR_CORE"), RejectedError),
    # sale.* errors: integer codes, always HTTP 400, "not found" included
    (400, err(200540400001, "order is not exists"), NotFoundError),
    (400, err(201340400001, "status is not exists"), NotFoundError),
    (400, err(201350000005, "Превышено ограничение длинны идентификатора"), RejectedError),
    (400, err(201350000001, "Duplicate entry for key [id]"), RejectedError),
    (400, err(201750000004, "lid out of range"), RejectedError),
    (400, err(100, "Could not find value for parameter {id}"), RejectedError),
    (400, err(0, "Required fields: type"), RejectedError),
    # no envelope at all
    (500, None, ServerError),
    (502, None, ServerError),
    (200, None, ProtocolError),  # an HTML page with status 200
    (200, {"unexpected": True}, ProtocolError),
    (418, None, RejectedError),
    (400, err("SOMETHING_NEW"), RejectedError),
    (503, None, ServerError),  # a proxy page, not the REST limiter
]


@pytest.mark.parametrize(("status", "body", "expected"), TABLE)
def test_classification_table(status, body, expected):
    error = classify(status, body, method="m")
    assert type(error) is expected


def test_success_is_not_an_error():
    assert classify(200, {"result": [], "time": {}}, method="m") is None
    assert classify(200, {"result": None}, method="m") is None


def test_categories_say_what_to_do_next():
    assert issubclass(RateLimitedError, RetryableError)
    assert issubclass(ServerError, RetryableError)
    assert issubclass(TokenExpiredError, FatalError)
    assert issubclass(NotFoundError, SkippableError)
    assert issubclass(RejectedError, SkippableError)


def test_operation_time_limit_carries_reset_time():
    body = {**err("OPERATION_TIME_LIMIT"), "time": {"operating_reset_at": 1795483200}}
    error = classify(429, body, method="sale.order.list")
    assert isinstance(error, OperationTimeLimitError)
    assert error.reset_at == 1795483200.0
    assert error.method == "sale.order.list"


def test_message_keeps_code_and_description():
    error = classify(400, err(201340400001, "status is not exists"), method="sale.status.get")
    assert error is not None
    assert error.code == 201340400001
    assert "sale.status.get" in str(error)
    assert "status is not exists" in str(error)


def test_batch_entries_classify_without_a_status():
    assert isinstance(
        classify_batch_entry(err("insufficient_scope", ""), method="entity.get"),
        InsufficientScopeError,
    )
    assert isinstance(
        classify_batch_entry(err(201340400001), method="sale.status.get"), NotFoundError
    )
    assert isinstance(classify_batch_entry("garbage", method="x"), RejectedError)


def _recorded_errors():
    out = []
    for line in RECORDINGS.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        body = case["response"]["body"]
        if isinstance(body, dict) and "error" in body:
            out.append(pytest.param(case["response"]["status"], body, id=f"seq{case['seq']}"))
    return out


EXPECTED_BY_CODE = {
    "ERROR_METHOD_NOT_FOUND": MethodNotFoundError,
    "INVALID_CREDENTIALS": AuthenticationError,
    "NO_AUTH_FOUND": AuthenticationError,
    "insufficient_scope": InsufficientScopeError,
    "WRONG_AUTH_TYPE": AccessDeniedError,
}


RECORDED_ERRORS = _recorded_errors()


def test_the_recordings_hold_errors_of_every_family():
    """The parametrized test below must never run empty (it once did, silently)."""
    codes = {param.values[1]["error"] for param in RECORDED_ERRORS}
    assert len(RECORDED_ERRORS) >= 20
    assert set(EXPECTED_BY_CODE) <= codes
    assert any(isinstance(code, int) for code in codes)


@pytest.mark.parametrize(("status", "body"), RECORDED_ERRORS)
def test_every_recorded_error_classifies(status, body):
    error = classify(status, body, method="m")
    code = body["error"]
    if isinstance(code, int):
        expected = NotFoundError if str(code)[4:7] == "404" else RejectedError
    else:
        expected = EXPECTED_BY_CODE[code]
    assert type(error) is expected
