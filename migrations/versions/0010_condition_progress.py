"""condition progress

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24 13:19:55.625368
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "condition_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("condition_id", sa.Integer(), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.String(length=30), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("amount IS NULL OR amount > 0", name=op.f("ck_condition_progress_positive_amount")),
        sa.ForeignKeyConstraint(
            ["condition_id"],
            ["contract_conditions.id"],
            name=op.f("fk_condition_progress_condition_id_contract_conditions"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_condition_progress_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_condition_progress")),
    )
    with op.batch_alter_table("condition_progress", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_condition_progress_condition_id"), ["condition_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("condition_progress", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_condition_progress_condition_id"))

    op.drop_table("condition_progress")
