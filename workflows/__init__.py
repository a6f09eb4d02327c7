"""The workflows: what b2bsync does about what happens on the site, and the notification
outbox that tells people.

Beside ``jobs`` (the sync), never importing it nor the application. Its parts:

- :mod:`workflows.notifications` — notification types as data, dedup keys from business facts;
- :mod:`workflows._delivery` — the outbox's delivery: batches of 50, backoff, parking;
- :mod:`workflows.watchers` — the watched sources, in :data:`WATCH_ORDER`
  (``order_events``, ``order_comments``, ``facts``), each run by the one cursor loop
  :func:`poll`;
- policies, one module per concern: :mod:`workflows.orders` (the status log: new orders,
  approval decisions, status changes), :mod:`workflows.approval` (who may decide a pending
  order, as one table), :mod:`workflows._moves` (the status changes b2bsync makes),
  :mod:`workflows.reminders` (undecided orders), :mod:`workflows.comments`,
  :mod:`workflows.documents` (document ready, download access),
  :mod:`workflows.credit` (ordering blocked); :mod:`workflows.facts` is the seam through which
  the sync jobs hand facts over;
- :mod:`workflows.roles` — the role table; :mod:`workflows.inbox` — the bell's counter and
  pruning;
- :class:`WorkflowService` — all of it as the daemon's long-running service.

The state lives behind :class:`WorkflowStore` and :class:`ApprovalStore` (rules in their
docstrings);
:mod:`workflows.testing` has an in-memory one.
"""

from ._approval_links import (
    ACTIONS,
    APPROVE,
    REJECT,
    ApprovalLink,
    ApprovalLinks,
    verify_approval_link,
)
from ._approval_ports import (
    ESCALATE,
    REMIND,
    ApprovalEffects,
    ApprovalStats,
    ApprovalStore,
    Episode,
    Move,
    MoveKind,
    MoveState,
)
from ._context import PolicyContext, WatchConfig, money_text
from ._cursor import (
    GAP_GRACE,
    SECTION,
    Effects,
    Item,
    Policy,
    PollResult,
    Source,
    Watcher,
    poll,
    settled,
)
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
from ._directory import BasketLine, Company, Directory, Member, Order
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
from ._moves import MoveReport, apply_moves
from ._ports import Clock, Delivery, Fact, OutboxStats, Outcome, WatchState, WorkflowStore
from .approval import Act, Actor, ApprovalConfig, Change, approvers, classify, decide
from .documents import Download, authorize_download
from .facts import CREDIT_BLOCKED, DOCUMENT_READY, KINDS, FactSource
from .inbox import prune_read, unread
from .notifications import TYPES, Channel, Notification, NotificationType, Recipient, dedup_key
from .reminders import ReminderReport, remind_pending
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
    "ACTIONS",
    "APPROVE",
    "CREDIT_BLOCKED",
    "DOCUMENT_READY",
    "ESCALATE",
    "FACTS",
    "GAP_GRACE",
    "KINDS",
    "NOTIFICATIONS_BLOCK",
    "ORDER_COMMENTS",
    "ORDER_EVENTS",
    "REJECT",
    "REMIND",
    "SECTION",
    "TYPES",
    "WAKES",
    "WATCH_ORDER",
    "Act",
    "Actor",
    "AlreadyUsed",
    "ApprovalConfig",
    "ApprovalEffects",
    "ApprovalLink",
    "ApprovalLinks",
    "ApprovalStats",
    "ApprovalStore",
    "BasketLine",
    "Change",
    "Channel",
    "Clock",
    "Company",
    "Deliverer",
    "Delivery",
    "DeliveryConfig",
    "DeliveryReport",
    "Directory",
    "Download",
    "Effects",
    "Episode",
    "Expired",
    "Fact",
    "FactSource",
    "HlSource",
    "Item",
    "LinkInvalid",
    "Member",
    "Move",
    "MoveKind",
    "MoveReport",
    "MoveState",
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
    "ReminderReport",
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
    "apply_moves",
    "approvers",
    "authorize_download",
    "backoff",
    "bell_row",
    "build_watchers",
    "classify",
    "decide",
    "dedup_key",
    "mail_params",
    "money_text",
    "plan_groups",
    "poll",
    "prune_read",
    "remind_pending",
    "settled",
    "unread",
    "verify_approval_link",
]
