"""The workflows' state: the notification outbox and its deliveries, watcher cursors, the facts
journal of the sync jobs, and wake requests.

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-04 15:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("dedup_key", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("dedup_key", name=op.f("uq_outbox_dedup_key")),
        comment="Notifications to deliver, one per dedup key (the business fact and recipient).",
    )
    op.create_table(
        "outbox_deliveries",
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("parked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["outbox.id"],
            name=op.f("fk_outbox_deliveries_notification_id_outbox"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("notification_id", "channel", name=op.f("pk_outbox_deliveries")),
        comment="One row per channel of a notification: pending until the site confirmed it.",
    )
    op.create_index(
        op.f("ix_outbox_deliveries_state_due_at"),
        "outbox_deliveries",
        ["state", "due_at"],
        unique=False,
    )
    op.create_table(
        "watch_cursors",
        sa.Column("watcher", sa.String(length=64), nullable=False),
        sa.Column("last_id", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("polled_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("watcher", name=op.f("pk_watch_cursors")),
        comment="The last row id each watcher acted on (moved with its outbox rows).",
    )
    op.create_table(
        "sync_facts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_facts")),
        sa.UniqueConstraint("key", name=op.f("uq_sync_facts_key")),
        comment="Facts the sync jobs recorded for the workflows (document ready, blocked).",
    )
    op.create_table(
        "watch_wakeups",
        sa.Column("watcher", sa.String(length=64), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("watcher", name=op.f("pk_watch_wakeups")),
        comment="Pings taken by a process without watchers, for the process that runs them.",
    )


def downgrade() -> None:
    op.drop_table("watch_wakeups")
    op.drop_table("sync_facts")
    op.drop_table("watch_cursors")
    op.drop_index(op.f("ix_outbox_deliveries_state_due_at"), table_name="outbox_deliveries")
    op.drop_table("outbox_deliveries")
    op.drop_table("outbox")
