"""Alembic environment: runs on the connection :func:`b2bsync.store._migrate.upgrade` passes in.

Offline mode (``--sql``) renders the DDL for the URL in the config's ``sqlalchemy.url``.
"""

from __future__ import annotations

from alembic import context

from b2bsync.store._models import metadata

config = context.config

if context.is_offline_mode():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    context.configure(
        connection=config.attributes["connection"],
        target_metadata=metadata,
        compare_type=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()
