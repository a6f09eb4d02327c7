"""The store's tables (SQLAlchemy Core). The migrations under ``migrations/versions`` create
exactly these; ``tests/store/test_migrations.py`` compares the two with Alembic's autogenerate."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from ._types import UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

FEED = 32
KEY = 255
JOB = 64

# Order numbers compare in code point order on both databases ("C" on PostgreSQL, BINARY on
# SQLite), so a prefix is one index range: number >= "123" AND number < "124".
NumberKey = String(100).with_variant(String(100, collation="C"), "postgresql")

sync_cursors = Table(
    "sync_cursors",
    metadata,
    Column("feed", String(FEED), primary_key=True),
    Column("scope", String(KEY), primary_key=True),
    Column("value", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    comment="Where each feed (per scope, e.g. one company's documents) resumes reading.",
)

sync_records = Table(
    "sync_records",
    metadata,
    Column("feed", String(FEED), primary_key=True),
    Column("key", String(KEY), primary_key=True),
    Column("hash", String(128), nullable=False),
    Column("bitrix_id", BigInteger(), nullable=True),
    Column("scope", String(KEY), nullable=False),
    Column("deleted", Boolean(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index(None, "feed", "scope"),
    comment="What was last written to Bitrix per record: content hash and Bitrix row id.",
)

sync_quarantine = Table(
    "sync_quarantine",
    metadata,
    Column("id", Integer(), primary_key=True, autoincrement=True),
    Column("feed", String(FEED), nullable=False),
    # The key, or a digest of the raw record for records that have no readable key.
    Column("ident", String(KEY + 2), nullable=False),
    Column("key", String(KEY), nullable=True),
    Column("scope", String(KEY), nullable=False),
    Column("reason", Text(), nullable=False),
    Column("raw", JSON(none_as_null=True), nullable=True),
    Column("changed_at", UTCDateTime(), nullable=True),
    Column("attempts", Integer(), nullable=False),
    Column("first_seen", UTCDateTime(), nullable=False),
    Column("last_seen", UTCDateTime(), nullable=False),
    Column("retry", Boolean(), nullable=False),
    UniqueConstraint("feed", "ident"),
    comment="Records that could not be processed, until processed or retried.",
)

credit_freshness = Table(
    "credit_freshness",
    metadata,
    Column("company_key", String(KEY), primary_key=True),
    Column("source_at", UTCDateTime(), nullable=False),
    Column("synced_at", UTCDateTime(), nullable=False),
    Column("blocked", Boolean(), nullable=False),
    comment="Per company: when 1C computed its credit position and when b2bsync wrote it.",
)

job_runs = Table(
    "job_runs",
    metadata,
    Column("id", Integer(), primary_key=True, autoincrement=True),
    Column("job", String(JOB), nullable=False),
    Column("holder", String(KEY), nullable=False),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("ended_at", UTCDateTime(), nullable=True),
    Column("status", String(16), nullable=False),
    Column("counts", JSON(), nullable=False),
    Column("errors", JSON(), nullable=False),
    Column("notes", JSON(), nullable=False),
    Index(None, "job", "id"),
    comment="One row per job run: ok, failed, stopped, or running until finished.",
)

job_leases = Table(
    "job_leases",
    metadata,
    Column("job", String(JOB), primary_key=True),
    Column("holder", String(KEY), nullable=False),
    Column("acquired_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    # The fencing number: +1 whenever the lease passes to a new run. A run's writes carry the
    # number it was given and are refused once the lease has moved on.
    Column("generation", BigInteger(), nullable=False, server_default=text("0")),
    comment="Who runs a job until when; two runs of a job never overlap.",
)

order_index = Table(
    "order_index",
    metadata,
    Column("order_id", BigInteger(), primary_key=True, autoincrement=False),
    Column("account_number", String(100), nullable=False),
    Column("number_key", NumberKey, nullable=False),
    Column("company_id", BigInteger(), nullable=True),
    Column("status_id", String(8), nullable=False),
    Column("date_insert", UTCDateTime(), nullable=False),
    Column("date_update", UTCDateTime(), nullable=False),
    Column("price", String(40), nullable=False),
    Column("currency", String(8), nullable=False),
    Column("user_id", BigInteger(), nullable=True),
    Column("responsible_id", BigInteger(), nullable=True),
    Column("canceled", Boolean(), nullable=False),
    Column("indexed_at", UTCDateTime(), nullable=False),
    Index(None, "date_insert", "order_id"),
    Index(None, "company_id", "date_insert", "order_id"),
    Index(None, "status_id", "date_insert", "order_id"),
    Index(None, "responsible_id", "date_insert", "order_id"),
    Index(None, "number_key"),
    comment="Bitrix orders for `b2bsync orders search`; price is decimal text.",
)

order_index_items = Table(
    "order_index_items",
    metadata,
    Column(
        "order_id",
        BigInteger(),
        ForeignKey("order_index.order_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("kind", String(8), primary_key=True),
    Column("position", Integer(), primary_key=True),
    Column("value", Text(), nullable=False),
    # casefolded article (kind "article"); NULL for product names, which are shown, not searched
    Column("value_key", String(KEY), nullable=True),
    Index(None, "kind", "value_key", "order_id"),
    comment="Basket lines of indexed orders: articles (searchable) and product names.",
)

ARTICLE = "article"
PRODUCT_NAME = "name"

# -- the workflows' state (migration 0003): the notification outbox, watcher cursors, the facts
# the sync jobs hand over, and wake requests between processes.

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer(), primary_key=True, autoincrement=True),
    Column("dedup_key", String(KEY), nullable=False),
    Column("type", String(JOB), nullable=False),
    Column("user_id", BigInteger(), nullable=False),
    Column("email", String(KEY), nullable=False),
    Column("name", String(KEY), nullable=False),
    Column("language", String(8), nullable=False),
    Column("fields", JSON(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("dedup_key"),
    comment="Notifications to deliver, one per dedup key (the business fact and recipient).",
)

outbox_deliveries = Table(
    "outbox_deliveries",
    metadata,
    Column(
        "notification_id",
        Integer(),
        ForeignKey("outbox.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("channel", String(16), primary_key=True),
    Column("state", String(16), nullable=False),  # pending | done | parked
    Column("attempts", Integer(), nullable=False),
    Column("due_at", UTCDateTime(), nullable=False),
    Column("last_error", Text(), nullable=False),
    Column("delivered_at", UTCDateTime(), nullable=True),
    Column("parked_at", UTCDateTime(), nullable=True),
    Index(None, "state", "due_at"),
    comment="One row per channel of a notification: pending until the site confirmed it.",
)

watch_cursors = Table(
    "watch_cursors",
    metadata,
    Column("watcher", String(JOB), primary_key=True),
    Column("last_id", BigInteger(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("polled_at", UTCDateTime(), nullable=False),
    comment="The last row id each watcher acted on (moved with its outbox rows).",
)

sync_facts = Table(
    "sync_facts",
    metadata,
    Column("id", Integer(), primary_key=True, autoincrement=True),
    Column("kind", String(FEED), nullable=False),
    Column("key", String(KEY), nullable=False),
    Column("data", JSON(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("key"),
    comment="Facts the sync jobs recorded for the workflows (document ready, blocked).",
)

watch_wakeups = Table(
    "watch_wakeups",
    metadata,
    Column("watcher", String(JOB), primary_key=True),
    Column("requested_at", UTCDateTime(), nullable=False),
    comment="Pings taken by a process without watchers, for the process that runs them.",
)

# -- the approval workflow's state (migration 0005): the status changes b2bsync makes, pending
# episodes (reminders, escalation) and the one-click links already used.

approval_moves = Table(
    "approval_moves",
    metadata,
    Column("id", Integer(), primary_key=True, autoincrement=True),
    Column("order_id", BigInteger(), nullable=False),
    Column("kind", String(16), nullable=False),  # move_on | revert | cancel
    Column("from_status", String(8), nullable=False),
    Column("to_status", String(8), nullable=False),
    # the status-log row that called for the move: one move per row
    Column("cause_event", BigInteger(), nullable=False),
    Column("actor", BigInteger(), nullable=True),
    Column("reason", Text(), nullable=False),
    Column("state", String(16), nullable=False),  # pending | done | skipped | failed
    Column("attempts", Integer(), nullable=False),
    Column("last_error", Text(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("done_at", UTCDateTime(), nullable=True),
    # the status-log row of b2bsync's own change, once recognised
    Column("seen_event", BigInteger(), nullable=True),
    UniqueConstraint("cause_event"),
    Index(None, "state", "id"),
    Index(None, "order_id", "state"),
    comment="Status changes b2bsync makes for the approval workflow, recorded before made.",
)

approval_episodes = Table(
    "approval_episodes",
    metadata,
    Column("order_id", BigInteger(), primary_key=True, autoincrement=False),
    Column("since", UTCDateTime(), nullable=False),
    Column("cause_event", BigInteger(), nullable=True),
    Column("reminded_at", UTCDateTime(), nullable=True),
    Column("escalated_at", UTCDateTime(), nullable=True),
    comment="Orders in the pending status since when; reminded and escalated once each.",
)

approval_links = Table(
    "approval_links",
    metadata,
    Column("nonce", String(32), primary_key=True),
    Column("order_id", BigInteger(), nullable=False),
    Column("user_id", BigInteger(), nullable=False),
    Column("action", String(16), nullable=False),
    Column("used_at", UTCDateTime(), nullable=False),
    comment="One-click approval links used (a nonce once: a link works once).",
)

# -- company users and invites (migration 0004): the members watcher's snapshot and cursor, what
# the watchers reported, and the claims that make an invite's acceptance happen once.

member_snapshot = Table(
    "member_snapshot",
    metadata,
    Column("company_id", BigInteger(), primary_key=True, autoincrement=False),
    Column("user_id", BigInteger(), primary_key=True, autoincrement=False),
    Column("row_id", BigInteger(), nullable=False),
    Column("role", String(FEED), nullable=False),
    Column("active", Boolean(), nullable=False),
    Column("order_limit", String(40), nullable=True),  # decimal text
    Column("updated_at", UTCDateTime(), nullable=True),
    comment="b2b_company_users as the members watcher last saw it (to diff the site's changes).",
)

member_watch = Table(
    "member_watch",
    metadata,
    Column("name", String(JOB), primary_key=True),
    Column("since", UTCDateTime(), nullable=True),
    Column("full_at", UTCDateTime(), nullable=True),
    Column("polled_at", UTCDateTime(), nullable=False),
    comment="The members watcher's cursor: newest UF_UPDATED_AT seen, last full scan.",
)

workflow_reports = Table(
    "workflow_reports",
    metadata,
    Column("id", Integer(), primary_key=True, autoincrement=True),
    Column("kind", String(FEED), nullable=False),
    Column("subject", String(KEY), nullable=False),
    Column("message", Text(), nullable=False),
    Column("data", JSON(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("kind", "subject"),
    Index(None, "created_at"),
    comment="What the watchers enforced or found wrong (a reverted change), for `status`.",
)

invite_claims = Table(
    "invite_claims",
    metadata,
    Column("invite_id", BigInteger(), primary_key=True, autoincrement=False),
    Column("token_hash", String(64), nullable=False),
    Column("holder", String(JOB), nullable=False),
    Column("claimed_at", UTCDateTime(), nullable=False),
    Column("user_id", BigInteger(), nullable=True),
    Column("completed_at", UTCDateTime(), nullable=True),
    comment="Who is accepting an invite; one claim per invite makes acceptance happen once.",
)
