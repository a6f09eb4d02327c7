"""The state store: cursors, records, quarantine, credit freshness, runs, leases, order index.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-24 02:26:44.304598
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "credit_freshness",
        sa.Column("company_key", sa.String(length=255), nullable=False),
        sa.Column("source_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("company_key", name=op.f("pk_credit_freshness")),
        comment="Per company: when 1C computed its credit position and when b2bsync wrote it.",
    )
    op.create_table(
        "job_leases",
        sa.Column("job", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=255), nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("job", name=op.f("pk_job_leases")),
        comment="Who runs a job until when; two runs of a job never overlap.",
    )
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("job", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=255), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
        comment="One row per job run: ok, failed, stopped, or running until finished.",
    )
    op.create_index(op.f("ix_job_runs_job_id"), "job_runs", ["job", "id"], unique=False)
    op.create_table(
        "order_index",
        sa.Column("order_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_number", sa.String(length=100), nullable=False),
        sa.Column(
            "number_key",
            sa.String(length=100).with_variant(sa.String(length=100, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("company_id", sa.BigInteger(), nullable=True),
        sa.Column("status_id", sa.String(length=8), nullable=False),
        sa.Column("date_insert", sa.DateTime(timezone=True), nullable=False),
        sa.Column("date_update", sa.DateTime(timezone=True), nullable=False),
        sa.Column("price", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=8), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("responsible_id", sa.BigInteger(), nullable=True),
        sa.Column("canceled", sa.Boolean(), nullable=False),
        sa.Column("indexed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_order_index")),
        comment="Bitrix orders for `b2bsync orders search`; price is decimal text.",
    )
    op.create_index(
        op.f("ix_order_index_company_id_date_insert_order_id"),
        "order_index",
        ["company_id", "date_insert", "order_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_order_index_date_insert_order_id"),
        "order_index",
        ["date_insert", "order_id"],
        unique=False,
    )
    op.create_index(op.f("ix_order_index_number_key"), "order_index", ["number_key"], unique=False)
    op.create_index(
        op.f("ix_order_index_responsible_id_date_insert_order_id"),
        "order_index",
        ["responsible_id", "date_insert", "order_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_order_index_status_id_date_insert_order_id"),
        "order_index",
        ["status_id", "date_insert", "order_id"],
        unique=False,
    )
    op.create_table(
        "sync_cursors",
        sa.Column("feed", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.String(length=255), nullable=False),
        sa.Column("value", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("feed", "scope", name=op.f("pk_sync_cursors")),
        comment="Where each feed (per scope, e.g. one company's documents) resumes reading.",
    )
    op.create_table(
        "sync_quarantine",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("feed", sa.String(length=32), nullable=False),
        sa.Column("ident", sa.String(length=257), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=True),
        sa.Column("scope", sa.String(length=255), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("raw", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retry", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_quarantine")),
        sa.UniqueConstraint("feed", "ident", name=op.f("uq_sync_quarantine_feed_ident")),
        comment="Records that could not be processed, until processed or retried.",
    )
    op.create_table(
        "sync_records",
        sa.Column("feed", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("hash", sa.String(length=128), nullable=False),
        sa.Column("bitrix_id", sa.BigInteger(), nullable=True),
        sa.Column("scope", sa.String(length=255), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("feed", "key", name=op.f("pk_sync_records")),
        comment="What was last written to Bitrix per record: content hash and Bitrix row id.",
    )
    op.create_index(
        op.f("ix_sync_records_feed_scope"), "sync_records", ["feed", "scope"], unique=False
    )
    op.create_table(
        "order_index_items",
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("value_key", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["order_index.order_id"],
            name=op.f("fk_order_index_items_order_id_order_index"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("order_id", "kind", "position", name=op.f("pk_order_index_items")),
        comment="Basket lines of indexed orders: articles (searchable) and product names.",
    )
    op.create_index(
        op.f("ix_order_index_items_kind_value_key_order_id"),
        "order_index_items",
        ["kind", "value_key", "order_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_order_index_items_kind_value_key_order_id"), table_name="order_index_items"
    )

    op.drop_table("order_index_items")
    op.drop_index(op.f("ix_sync_records_feed_scope"), table_name="sync_records")

    op.drop_table("sync_records")
    op.drop_table("sync_quarantine")
    op.drop_table("sync_cursors")
    op.drop_index(op.f("ix_order_index_status_id_date_insert_order_id"), table_name="order_index")
    op.drop_index(
        op.f("ix_order_index_responsible_id_date_insert_order_id"), table_name="order_index"
    )
    op.drop_index(op.f("ix_order_index_number_key"), table_name="order_index")
    op.drop_index(op.f("ix_order_index_date_insert_order_id"), table_name="order_index")
    op.drop_index(op.f("ix_order_index_company_id_date_insert_order_id"), table_name="order_index")

    op.drop_table("order_index")
    op.drop_index(op.f("ix_job_runs_job_id"), table_name="job_runs")

    op.drop_table("job_runs")
    op.drop_table("job_leases")
    op.drop_table("credit_freshness")
