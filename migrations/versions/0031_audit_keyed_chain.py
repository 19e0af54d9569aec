"""the audit chain keyed by a secret outside the database: each event names its key; TRUNCATE of
the trail is refused, and its head record can only move forward onto a stored event

Revision ID: 0031_audit_keyed_chain
Revises: 0030_breach_decisions
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0031_audit_keyed_chain"
down_revision = "0030_breach_decisions"
branch_labels = None
depends_on = None

TRUNCATE_MESSAGE = "the audit trail cannot be truncated"
HEAD_MESSAGE = "audit_chain_head moves only forward, one stored event at a time"
HEAD_ROW_MESSAGE = "audit_chain_head keeps the one row the migrations made"


def upgrade() -> None:
    # Existing events keep a NULL key id and verify as plain SHA-256; new ones are keyed.
    op.add_column("audit_events", sa.Column("key_id", sa.String(length=16), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        _protect_on_postgresql()
    else:
        _protect_on_sqlite()


def _protect_on_postgresql() -> None:
    # Row triggers do not fire for TRUNCATE: it needs a statement trigger of its own.
    op.execute(
        f"""
        CREATE FUNCTION audit_refuse_truncate() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION '{TRUNCATE_MESSAGE}';
        END;
        $$ LANGUAGE plpgsql
        """
    )
    for table in ("audit_events", "audit_chain_head"):
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate()"
        )
    # The writer inserts the event before it moves the head, so the event is there to check against.
    op.execute(
        f"""
        CREATE FUNCTION audit_chain_head_guard() RETURNS trigger AS $$
        DECLARE
            event_hash text;
            event_previous text;
        BEGIN
            IF TG_OP <> 'UPDATE' THEN
                RAISE EXCEPTION '{HEAD_ROW_MESSAGE}';
            END IF;
            SELECT hash, previous_hash INTO event_hash, event_previous
                FROM audit_events WHERE sequence = NEW.last_sequence;
            IF NEW.id <> OLD.id OR NEW.last_sequence <> OLD.last_sequence + 1
                    OR event_hash IS DISTINCT FROM NEW.last_hash
                    OR event_previous IS DISTINCT FROM OLD.last_hash THEN
                RAISE EXCEPTION '{HEAD_MESSAGE}';
            END IF;
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        "CREATE TRIGGER audit_chain_head_guarded BEFORE INSERT OR UPDATE OR DELETE ON audit_chain_head "
        "FOR EACH ROW EXECUTE FUNCTION audit_chain_head_guard()"
    )


def _protect_on_sqlite() -> None:
    # SQLite has no TRUNCATE: its DELETE, refused on audit_events since 0001, is refused here too.
    for verb in ("INSERT", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_chain_head_no_{verb.lower()} BEFORE {verb} ON audit_chain_head "
            f"BEGIN SELECT RAISE(ABORT, '{HEAD_ROW_MESSAGE}'); END"
        )
    op.execute(
        f"""
        CREATE TRIGGER audit_chain_head_forward_only BEFORE UPDATE ON audit_chain_head
        WHEN NEW.id <> OLD.id OR NEW.last_sequence <> OLD.last_sequence + 1
            OR NEW.last_hash IS NOT (SELECT hash FROM audit_events WHERE sequence = NEW.last_sequence)
            OR OLD.last_hash IS NOT (SELECT previous_hash FROM audit_events WHERE sequence = NEW.last_sequence)
        BEGIN SELECT RAISE(ABORT, '{HEAD_MESSAGE}'); END
        """
    )


def downgrade() -> None:
    # Events written under a key will not verify as plain SHA-256 after this: downgrading gives that up.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_chain_head_guarded ON audit_chain_head")
        op.execute("DROP FUNCTION audit_chain_head_guard()")
        for table in ("audit_events", "audit_chain_head"):
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION audit_refuse_truncate()")
        op.drop_column("audit_events", "key_id")
    else:
        for trigger in ("audit_chain_head_no_insert", "audit_chain_head_no_delete", "audit_chain_head_forward_only"):
            op.execute(f"DROP TRIGGER {trigger}")
        # Not batch mode: rebuilding the table would copy it through its append-only triggers' reach.
        op.execute("ALTER TABLE audit_events DROP COLUMN key_id")
