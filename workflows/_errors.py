"""What a workflow failure means for the caller, one class per next step.

- :class:`Refused` — a rule says no (the last owner cannot leave, an unknown role); show the
  reason, nothing to retry. :class:`NotAllowed` narrows it: the actor's role lacks the
  capability (a buyer downloading an invoice, a stranger following someone else's link).
- :class:`LinkInvalid` — a signed link or ping does not verify (tampered, malformed, another
  secret); answer 403 and log, never explain which part failed.
- :class:`Expired` — it was valid once (a link past its ``exp``); ask for a fresh one.
- :class:`AlreadyUsed` — single-use, and used (a replayed ping, an accepted invite).
- :class:`NotFound` — the thing is not there (a document removed or marked deleted); 404.
- :class:`Unavailable` — an outside system (Bitrix, 1C) failed for now; retry later (503 with
  ``Retry-After`` on the web, the next poll for a watcher).

Foreign exceptions (``BitrixError``, ``OneCError``) are translated where the workflows call out,
chained with ``from``.
"""

from __future__ import annotations


class WorkflowError(Exception):
    """Root of every error the workflows raise."""


class Refused(WorkflowError):
    """A rule refuses the action; the message is the reason shown to the user."""


class NotAllowed(Refused):
    """The actor is not an active member with a role that grants the capability."""


class LinkInvalid(WorkflowError):
    """A signature, or a field it covers, does not verify."""


class Expired(WorkflowError):
    """A link or token was valid but its time is over."""


class AlreadyUsed(WorkflowError):
    """A single-use thing was used already (a replayed ping)."""


class NotFound(WorkflowError):
    """What the request names does not exist (or is marked deleted)."""


class Unavailable(WorkflowError):
    """Bitrix or 1C cannot answer now; the same request may succeed later."""

    def __init__(self, message: str, *, retry_after: int = 30) -> None:
        super().__init__(message)
        self.retry_after = retry_after


__all__ = [
    "AlreadyUsed",
    "Expired",
    "LinkInvalid",
    "NotAllowed",
    "NotFound",
    "Refused",
    "Unavailable",
    "WorkflowError",
]
