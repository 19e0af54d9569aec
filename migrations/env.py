"""Alembic environment: runs against the engine handed over by casework.migrate."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import text

from casework.db import make_engine
from casework.models import Base

config = context.config
target_metadata = Base.metadata

# Several web workers may start at once; on PostgreSQL they queue for this lock so the
# migrations run exactly once. (SQLite's BEGIN IMMEDIATE serialises them already.)
MIGRATION_LOCK_KEY = 7_211_000_001


def _note_applied(ctx, step, heads, run_args) -> None:
    """Collect each revision applied, so `db-upgrade` and start-up can say what they did."""
    applied = config.attributes.get("applied")
    if applied is not None and step.is_upgrade and not step.is_stamp:
        applied.append(f"{step.up_revision_id} {step.up_revision.doc}")


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or make_engine(os.environ["CASEWORK_DATABASE_URL"])
    with engine.connect() as connection:
        postgres = connection.dialect.name == "postgresql"
        sqlite = connection.dialect.name == "sqlite"
        if postgres:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            connection.commit()
        if sqlite:
            # Batch mode rebuilds a table by dropping the old one, and with foreign keys on that drop
            # deletes every row that references it with ON DELETE CASCADE. SQLite's own recipe for
            # schema changes: keys off outside the transaction, checked before commit, on again after.
            # The pragma is sent on the driver's connection, which is in autocommit, before BEGIN.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=sqlite,
                compare_type=True,
                on_version_apply=_note_applied,
            )
            with context.begin_transaction():
                context.run_migrations()
            if sqlite and (broken := connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()):
                raise RuntimeError(f"a migration left rows with missing references: {broken[:5]}")
        finally:
            if postgres:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
                connection.commit()
            if sqlite:
                connection.rollback()  # inside a transaction the pragma would be ignored
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


run_migrations_online()
