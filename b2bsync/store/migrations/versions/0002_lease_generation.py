"""Lease fencing: a generation number per job lease.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 10:00:00.000000

Every time a job's lease passes to a new run the number goes up; a run's checkpoints carry the
number it was given, so a run that was paused past its lease (and taken over) can no longer
write. Released leases now stay as rows (without a holder) so the number never restarts.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("job_leases") as batch:
        batch.add_column(
            sa.Column("generation", sa.BigInteger(), server_default=sa.text("0"), nullable=False)
        )


def downgrade() -> None:
    # Rows of released leases (no holder) meant "free" in 0002; 0001 keeps no such rows.
    op.execute(sa.text("DELETE FROM job_leases WHERE holder = ''"))
    with op.batch_alter_table("job_leases") as batch:
        batch.drop_column("generation")
