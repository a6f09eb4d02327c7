"""structlog setup: console renderer on a TTY, JSON lines otherwise, secrets always redacted."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable, MutableMapping
from typing import Any, TextIO

import structlog

REDACTED = "***"
_SECRET_KEYS = re.compile(r"(pass(word)?|secret|token|authorization|api_key|auth)$", re.I)
# The webhook secret is the path segment after the user id: /rest/<user_id>/<secret>/
_WEBHOOK_PATH = re.compile(r"(/rest/\d+/)[^/\s\"'?]+")
# ``sig=`` is a signed download link's signature: whoever holds the link holds the document
_TOKEN_PARAM = re.compile(
    r"((?:auth|access_token|refresh_token|client_secret|sig)=)[^&\s\"']+", re.I
)


class Redactor:
    """A structlog processor that scrubs secrets from every value of an event.

    It knows three kinds: values registered explicitly (passwords, tokens, the webhook secret),
    values under secret-looking keys, and secrets embedded in URLs (webhook path, ``auth=``).
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        self.add(*secrets)

    def add(self, *secrets: str) -> None:
        self._secrets.update(s for s in secrets if s and len(s) >= 4)

    def scrub(self, value: Any) -> Any:
        if isinstance(value, str):
            for secret in self._secrets:
                if secret in value:
                    value = value.replace(secret, REDACTED)
            value = _WEBHOOK_PATH.sub(rf"\g<1>{REDACTED}", value)
            return _TOKEN_PARAM.sub(rf"\g<1>{REDACTED}", value)
        if isinstance(value, dict):
            return {k: self._scrub_item(k, v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.scrub(v) for v in value)
        if isinstance(value, BaseException):
            return self.scrub(f"{type(value).__name__}: {value}")
        return value

    def _scrub_item(self, key: Any, value: Any) -> Any:
        if isinstance(key, str) and _SECRET_KEYS.search(key) and value not in (None, ""):
            return REDACTED
        return self.scrub(value)

    def __call__(
        self, _logger: Any, _name: str, event_dict: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        for key in list(event_dict):
            event_dict[key] = self._scrub_item(key, event_dict[key])
        return event_dict


REDACTOR = Redactor()


class _CurrentStderr:
    """Whatever ``sys.stderr`` is at write time (test runners and daemons swap it)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()

    def isatty(self) -> bool:
        return sys.stderr.isatty()


def configure_logging(
    level: str = "info",
    fmt: str = "auto",
    stream: TextIO | None = None,
    secrets: Iterable[str] = (),
) -> None:
    out: Any = stream or _CurrentStderr()
    REDACTOR.add(*secrets)
    json_lines = fmt == "json" or (fmt == "auto" and not out.isatty())
    processors: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        REDACTOR,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if json_lines
        else structlog.dev.ConsoleRenderer(colors=out.isatty())
    )
    structlog.configure(
        processors=[*processors, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping()[level.upper()]
        ),
        logger_factory=structlog.PrintLoggerFactory(out),
        cache_logger_on_first_use=False,
    )
