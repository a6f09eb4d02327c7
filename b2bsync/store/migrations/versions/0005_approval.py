"""The approval workflow's state: the status changes b2bsync makes (recorded before they are
made, matched with their status-log row afterwards), pending episodes with their reminder and
escalation marks, and the one-click links already used.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "approval_moves",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("from_status", sa.String(length=8), nullable=False),
        sa.Column("to_status", sa.String(length=8), nullable=False),
        sa.Column("cause_event", sa.BigInteger(), nullable=False),
        sa.Column("actor", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seen_event", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_moves")),
        sa.UniqueConstraint("cause_event", name=op.f("uq_approval_moves_cause_event")),
        comment="Status changes b2bsync makes for the approval workflow, recorded before made.",
    )
    op.create_index(
        op.f("ix_approval_moves_state_id"), "approval_moves", ["state", "id"], unique=False
    )
    op.create_index(
        op.f("ix_approval_moves_order_id_state"),
        "approval_moves",
        ["order_id", "state"],
        unique=False,
    )
    op.create_table(
        "approval_episodes",
        sa.Column("order_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cause_event", sa.BigInteger(), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_approval_episodes")),
        comment="Orders in the pending status since when; reminded and escalated once each.",
    )
    op.create_table(
        "approval_links",
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("nonce", name=op.f("pk_approval_links")),
        comment="One-click approval links used (a nonce once: a link works once).",
    )


def downgrade() -> None:
    op.drop_table("approval_links")
    op.drop_table("approval_episodes")
    op.drop_index(op.f("ix_approval_moves_order_id_state"), table_name="approval_moves")
    op.drop_index(op.f("ix_approval_moves_state_id"), table_name="approval_moves")
    op.drop_table("approval_moves")
