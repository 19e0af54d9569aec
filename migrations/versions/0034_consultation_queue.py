"""case views are queued for the audit chain instead of waiting on its head: a queued consultation
cannot be changed, and cannot be deleted until its exact copy is on the chain

Revision ID: 0034_consultation_queue
Revises: 0033_session_resume
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0034_consultation_queue"
down_revision = "0033_session_resume"
branch_labels = None
depends_on = None

UNSEALED_MESSAGE = "a queued consultation is deleted only once its copy is on the audit chain"
UPDATE_MESSAGE = "queued consultations cannot be changed"
# The copy must say what the queued row said, so a forged stand-in does not release it either.
SAME_AS_QUEUED = """
    SELECT 1 FROM audit_events e
    WHERE e.consultation_id = OLD.id AND e.occurred_at = OLD.occurred_at AND e.action = OLD.action
      AND e.actor_id {same} OLD.actor_id AND e.team_id {same} OLD.team_id AND e.case_id {same} OLD.case_id
      AND {detail_equal}
"""


def upgrade() -> None:
    op.create_table(
        "pending_consultations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_pending_consultations_actor_id_users")),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_pending_consultations_team_id_teams")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_consultations")),
        sqlite_autoincrement=True,
    )
    # Not batch mode: rebuilding audit_events would copy it through its append-only triggers' reach.
    op.add_column("audit_events", sa.Column("consultation_id", sa.Integer(), nullable=True))
    op.create_index(
        "uq_audit_events_consultation_id",
        "audit_events",
        ["consultation_id"],
        unique=True,
        postgresql_where=sa.text("consultation_id IS NOT NULL"),
        sqlite_where=sa.text("consultation_id IS NOT NULL"),
    )
    if op.get_bind().dialect.name == "postgresql":
        _protect_on_postgresql()
    else:
        _protect_on_sqlite()


def _protect_on_postgresql() -> None:
    sealed = SAME_AS_QUEUED.format(same="IS NOT DISTINCT FROM", detail_equal="e.detail::jsonb = OLD.detail::jsonb")
    op.execute(
        f"""
        CREATE FUNCTION pending_consultations_guard() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'UPDATE' THEN
                RAISE EXCEPTION '{UPDATE_MESSAGE}';
            END IF;
            IF NOT EXISTS ({sealed}) THEN
                RAISE EXCEPTION '{UNSEALED_MESSAGE}';
            END IF;
            RETURN OLD;
        END;
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        "CREATE TRIGGER pending_consultations_guarded BEFORE UPDATE OR DELETE ON pending_consultations "
        "FOR EACH ROW EXECUTE FUNCTION pending_consultations_guard()"
    )
    # Made by 0031 for the trail: row triggers do not fire for TRUNCATE.
    op.execute(
        "CREATE TRIGGER pending_consultations_no_truncate BEFORE TRUNCATE ON pending_consultations "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate()"
    )


def _protect_on_sqlite() -> None:
    # SQLite has no TRUNCATE: its DELETE without WHERE fires the row trigger for every row.
    sealed = SAME_AS_QUEUED.format(same="IS", detail_equal="json(e.detail) = json(OLD.detail)")
    op.execute(
        f"""
        CREATE TRIGGER pending_consultations_sealed_only BEFORE DELETE ON pending_consultations
        WHEN NOT EXISTS ({sealed})
        BEGIN SELECT RAISE(ABORT, '{UNSEALED_MESSAGE}'); END
        """
    )
    op.execute(
        "CREATE TRIGGER pending_consultations_no_update BEFORE UPDATE ON pending_consultations "
        f"BEGIN SELECT RAISE(ABORT, '{UPDATE_MESSAGE}'); END"
    )


def downgrade() -> None:
    # Consultations still queued would be lost with the table: they must be chained first.
    waiting = op.get_bind().execute(sa.text("SELECT count(*) FROM pending_consultations")).scalar_one()
    if waiting:
        raise RuntimeError(f"{waiting} consultations are still queued: run audit-verify to chain them first")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER pending_consultations_no_truncate ON pending_consultations")
        op.execute("DROP TRIGGER pending_consultations_guarded ON pending_consultations")
        op.execute("DROP FUNCTION pending_consultations_guard()")
    else:
        op.execute("DROP TRIGGER pending_consultations_sealed_only")
        op.execute("DROP TRIGGER pending_consultations_no_update")
    op.drop_index("uq_audit_events_consultation_id", table_name="audit_events")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_column("audit_events", "consultation_id")
    else:
        op.execute("ALTER TABLE audit_events DROP COLUMN consultation_id")
    op.drop_table("pending_consultations")
