"""Errors of the 1C adapters, split by what the caller does next.

* :class:`OneCRetryableError` — try again later (network, timeouts, 5xx, an HTML error page where
  data was expected, a slow first call that timed out).
* :class:`OneCFatalError` — a human must act (credentials, a wrong URL, a bad WSDL, config).
* :class:`OneCSkippableError` — this one object cannot be had (unknown counterparty, a document
  without a file); carry on with the others.

Each adapter translates httpx / zeep / lxml exceptions into these at one place and chains the
original with ``raise … from exc``.
"""

from __future__ import annotations


class OneCError(Exception):
    """Root of every error raised by :mod:`onec_client`."""

    retryable: bool = False
    skippable: bool = False

    def __init__(self, message: str, *, status: int | None = None, url: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.url = url


class OneCRetryableError(OneCError):
    """A transient failure; the same request may succeed later."""

    retryable = True


class OneCNetworkError(OneCRetryableError):
    """The connection failed or was dropped before a complete answer arrived."""


class OneCTimeoutError(OneCRetryableError):
    """1C did not answer within the configured timeout (1C's first call after idle is slow)."""


class OneCServerError(OneCRetryableError):
    """1C answered with a server error: HTTP 5xx text, an HTML page, or a SOAP server fault."""


class OneCFatalError(OneCError):
    """Retrying will not help until someone fixes configuration or credentials."""


class OneCAuthError(OneCFatalError):
    """1C refused the credentials (HTTP 401/403)."""


class OneCEndpointNotFound(OneCFatalError):
    """The service, or one of its URLs, is not published where the configuration says."""


class OneCProtocolError(OneCFatalError):
    """1C answered with something that does not follow the contract (bad WSDL, wrong shape)."""


class OneCConfigError(OneCFatalError):
    """The adapter's configuration is incomplete or contradictory."""


class OneCSkippableError(OneCError):
    """One object is unavailable; the rest of the work can go on."""

    skippable = True


class OneCNotFound(OneCSkippableError):
    """1C says the requested object (counterparty, document) does not exist."""


class OneCFileUnavailable(OneCSkippableError):
    """The document exists but 1C has no printable file for it."""


class ExportFileError(OneCSkippableError):
    """An export file cannot be read as a whole (syntax error, hostile DTD, wrong root).

    ``line`` is the 1-based line where the reader stopped, when known.
    """

    def __init__(self, message: str, *, path: str, line: int | None = None) -> None:
        where = f"line {line}: " if line is not None else ""
        super().__init__(f"{where}{message}", url=path)
        self.path = path
        self.line = line
        self.reason = message
