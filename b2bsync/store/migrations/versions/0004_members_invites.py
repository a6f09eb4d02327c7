"""Company users and invites: the members watcher's snapshot and cursor, the watchers' reports,
and the invite claims.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "member_snapshot",
        sa.Column("company_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("row_id", sa.BigInteger(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("order_limit", sa.String(length=40), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("company_id", "user_id", name=op.f("pk_member_snapshot")),
        comment="b2b_company_users as the members watcher last saw it (to diff the site's "
        "changes).",
    )
    op.create_table(
        "member_watch",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("full_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("polled_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_member_watch")),
        comment="The members watcher's cursor: newest UF_UPDATED_AT seen, last full scan.",
    )
    op.create_table(
        "workflow_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_reports")),
        sa.UniqueConstraint("kind", "subject", name=op.f("uq_workflow_reports_kind_subject")),
        comment="What the watchers enforced or found wrong (a reverted change), for `status`.",
    )
    op.create_index(
        op.f("ix_workflow_reports_created_at"), "workflow_reports", ["created_at"], unique=False
    )
    op.create_table(
        "invite_claims",
        sa.Column("invite_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("invite_id", name=op.f("pk_invite_claims")),
        comment="Who is accepting an invite; one claim per invite makes acceptance happen once.",
    )


def downgrade() -> None:
    op.drop_table("invite_claims")
    op.drop_index(op.f("ix_workflow_reports_created_at"), table_name="workflow_reports")
    op.drop_table("workflow_reports")
    op.drop_table("member_watch")
    op.drop_table("member_snapshot")
