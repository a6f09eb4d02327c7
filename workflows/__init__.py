"""The workflows: what b2bsync does about what happens on the site, and the notification
outbox that tells people.

Beside ``jobs`` (the sync), never importing it nor the application. Its parts:

- :mod:`workflows.notifications` — notification types as data, dedup keys from business facts;
- :mod:`workflows._delivery` — the outbox's delivery: batches of 50, backoff, parking;
- :mod:`workflows.watchers` — the watched sources, in :data:`WATCH_ORDER`
  (``order_events``, ``order_comments``, ``facts``), each run by the one cursor loop
  :func:`poll`;
- policies, one module per concern: :mod:`workflows.orders` (status changes),
  :mod:`workflows.comments`, :mod:`workflows.documents` (document ready, download access),
  :mod:`workflows.credit` (ordering blocked); :mod:`workflows.facts` is the seam through which
  the sync jobs hand facts over;
- :mod:`workflows.roles` — the role table; :mod:`workflows.inbox` — the bell's counter and
  pruning;
- :class:`WorkflowService` — all of it as the daemon's long-running service.

The state lives behind :class:`WorkflowStore` (rules in its docstring);
:mod:`workflows.testing` has an in-memory one.
"""

from ._context import PolicyContext, WatchConfig, money_text
from ._cursor import GAP_GRACE, SECTION, Item, Policy, PollResult, Source, Watcher, poll, settled
from ._delivery import (
    NOTIFICATIONS_BLOCK,
    Deliverer,
    DeliveryConfig,
    DeliveryReport,
    backoff,
    bell_row,
    mail_params,
    plan_groups,
)
from ._directory import Company, Directory, Member, Order
from ._errors import (
    AlreadyUsed,
    Expired,
    LinkInvalid,
    NotAllowed,
    NotFound,
    Refused,
    Unavailable,
    WorkflowError,
)
from ._ports import Clock, Delivery, Fact, OutboxStats, Outcome, WatchState, WorkflowStore
from .documents import Download, authorize_download
from .facts import CREDIT_BLOCKED, DOCUMENT_READY, KINDS, FactSource
from .inbox import prune_read, unread
from .notifications import TYPES, Channel, Notification, NotificationType, Recipient, dedup_key
from .service import ServiceConfig, Wakeups, WorkflowService
from .watchers import (
    FACTS,
    ORDER_COMMENTS,
    ORDER_EVENTS,
    WAKES,
    WATCH_ORDER,
    HlSource,
    build_watchers,
)

__all__ = [
    "CREDIT_BLOCKED",
    "DOCUMENT_READY",
    "FACTS",
    "GAP_GRACE",
    "KINDS",
    "NOTIFICATIONS_BLOCK",
    "ORDER_COMMENTS",
    "ORDER_EVENTS",
    "SECTION",
    "TYPES",
    "WAKES",
    "WATCH_ORDER",
    "AlreadyUsed",
    "Channel",
    "Clock",
    "Company",
    "Deliverer",
    "Delivery",
    "DeliveryConfig",
    "DeliveryReport",
    "Directory",
    "Download",
    "Expired",
    "Fact",
    "FactSource",
    "HlSource",
    "Item",
    "LinkInvalid",
    "Member",
    "NotAllowed",
    "NotFound",
    "Notification",
    "NotificationType",
    "Order",
    "OutboxStats",
    "Outcome",
    "Policy",
    "PolicyContext",
    "PollResult",
    "Recipient",
    "Refused",
    "ServiceConfig",
    "Source",
    "Unavailable",
    "Wakeups",
    "WatchConfig",
    "WatchState",
    "Watcher",
    "WorkflowError",
    "WorkflowService",
    "WorkflowStore",
    "authorize_download",
    "backoff",
    "bell_row",
    "build_watchers",
    "dedup_key",
    "mail_params",
    "money_text",
    "plan_groups",
    "poll",
    "prune_read",
    "settled",
    "unread",
]
