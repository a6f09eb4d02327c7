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
- company users and invites: :mod:`workflows.members` (the owner rule, decided without I/O),
  :mod:`workflows.member_watch` (changes the site made, reverted when they break the rule),
  :mod:`workflows.invites` (the invite state machine), :mod:`workflows.invitations` (tokens,
  mails, expiry, the operator's actions), :mod:`workflows.accept` (accepting, exactly once);
  the periodic steps in :mod:`workflows.sweeps`;
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
from ._invite_rows import InviteRows
from ._member_rows import MemberRows
from ._moves import MoveReport, apply_moves
from ._people_ports import Claim, Claimed, InviteStore, MemberCursor, MemberStore, Report
from ._ports import Clock, Delivery, Fact, OutboxStats, Outcome, WatchState, WorkflowStore
from .accept import Acceptance, Accepted, Busy, NewUser, PasswordRefused, UserExists
from .approval import Act, Actor, ApprovalConfig, approvers, classify
from .documents import Download, authorize_download
from .facts import CREDIT_BLOCKED, DOCUMENT_READY, KINDS, FactSource
from .inbox import prune_read, unread
from .invitations import Invitations, accept_link, clean_email, invite_key
from .invites import Invite, Revoked, acceptance, token_hash, transition
from .member_watch import MEMBERS_WATCH, MemberPoll, MemberWatch, MemberWatchConfig
from .members import Change, Membership, decide, owner_losses
from .notifications import TYPES, Channel, Notification, NotificationType, Recipient, dedup_key
from .reminders import ReminderReport, remind_pending
from .service import ServiceConfig, Wakeups, WorkflowService
from .sweeps import INVITE_EXPIRY, SWEEP_ORDER, Sweep
from .watchers import (
    FACTS,
    INVITES,
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
    "INVITES",
    "INVITE_EXPIRY",
    "KINDS",
    "MEMBERS_WATCH",
    "NOTIFICATIONS_BLOCK",
    "ORDER_COMMENTS",
    "ORDER_EVENTS",
    "REJECT",
    "REMIND",
    "SECTION",
    "SWEEP_ORDER",
    "TYPES",
    "WAKES",
    "WATCH_ORDER",
    "Acceptance",
    "Accepted",
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
    "Busy",
    "Change",
    "Channel",
    "Claim",
    "Claimed",
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
    "Invitations",
    "Invite",
    "InviteRows",
    "InviteStore",
    "Item",
    "LinkInvalid",
    "Member",
    "MemberCursor",
    "MemberPoll",
    "MemberRows",
    "MemberStore",
    "MemberWatch",
    "MemberWatchConfig",
    "Membership",
    "Move",
    "MoveKind",
    "MoveReport",
    "MoveState",
    "NewUser",
    "NotAllowed",
    "NotFound",
    "Notification",
    "NotificationType",
    "Order",
    "OutboxStats",
    "Outcome",
    "PasswordRefused",
    "Policy",
    "PolicyContext",
    "PollResult",
    "Recipient",
    "Refused",
    "ReminderReport",
    "Report",
    "Revoked",
    "ServiceConfig",
    "Source",
    "Sweep",
    "Unavailable",
    "UserExists",
    "Wakeups",
    "WatchConfig",
    "WatchState",
    "Watcher",
    "WorkflowError",
    "WorkflowService",
    "WorkflowStore",
    "accept_link",
    "acceptance",
    "apply_moves",
    "approvers",
    "authorize_download",
    "backoff",
    "bell_row",
    "build_watchers",
    "classify",
    "clean_email",
    "decide",
    "dedup_key",
    "invite_key",
    "mail_params",
    "money_text",
    "owner_losses",
    "plan_groups",
    "poll",
    "prune_read",
    "remind_pending",
    "settled",
    "token_hash",
    "transition",
    "unread",
    "verify_approval_link",
]
