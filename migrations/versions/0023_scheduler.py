"""the scheduler process: its lease (SQLite), each job's heartbeat, and the flags its sweeps raise
on cases; indexes for the sweeps' range queries

Revision ID: 0023_scheduler
Revises: 0022_calendar_feeds
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0023_scheduler"
down_revision = "0022_calendar_feeds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scheduler_leases",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("holder", sa.String(length=120), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduler_leases")),
    )
    op.create_table(
        "scheduler_heartbeats",
        sa.Column("job", sa.String(length=60), nullable=False),
        sa.Column("last_started_at", sa.DateTime(), nullable=False),
        sa.Column("last_finished_at", sa.DateTime(), nullable=False),
        sa.Column("last_outcome", sa.String(length=10), nullable=False),
        sa.Column("handled", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint("last_outcome IN ('ok', 'failed')", name=op.f("ck_scheduler_heartbeats_known_outcome")),
        sa.PrimaryKeyConstraint("job", name=op.f("pk_scheduler_heartbeats")),
    )
    op.create_table(
        "case_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=40), nullable=False),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_flags_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_flags")),
        sa.UniqueConstraint("case_id", "kind", "subject", name="once_per_case_kind_subject"),
    )
    op.create_index(
        "ix_case_flags_open",
        "case_flags",
        ["case_id"],
        unique=False,
        sqlite_where=sa.text("resolved_at IS NULL"),
        postgresql_where=sa.text("resolved_at IS NULL"),
    )
    op.create_index("ix_cases_state_referred_at", "cases", ["state", "referred_at"], unique=False)
    op.create_index("ix_cases_state_decision_deadline_on", "cases", ["state", "decision_deadline_on"], unique=False)
    op.create_index("ix_contracts_status_ends_on", "contracts", ["status", "ends_on"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_contracts_status_ends_on", table_name="contracts")
    op.drop_index("ix_cases_state_decision_deadline_on", table_name="cases")
    op.drop_index("ix_cases_state_referred_at", table_name="cases")
    op.drop_index("ix_case_flags_open", table_name="case_flags")
    op.drop_table("case_flags")
    op.drop_table("scheduler_heartbeats")
    op.drop_table("scheduler_leases")
