"""completion: who waived a condition, when and why; completion reviews with who asked for each and
why the exit needs assessment was not done

Revision ID: 0028_completion
Revises: 0024_breaches
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0028_completion"
down_revision = "0025_breach_recording"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contract_conditions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("waived_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("waived_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("waiver_reason", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_contract_conditions_waived_by_id_users"), "users", ["waived_by_id"], ["id"]
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_contract_conditions_waiver_has_author_and_reason"),
            "(waived_at IS NULL) = (waived_by_id IS NULL) AND (waived_at IS NULL) = (waiver_reason IS NULL)",
        )

    op.create_table(
        "completion_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("exit_not_done_reason", sa.Text(), nullable=True),
        sa.Column("exit_not_done_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(exit_not_done_reason IS NULL) = (exit_not_done_by_id IS NULL)",
            name=op.f("ck_completion_reviews_exit_reason_has_author"),
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_completion_reviews_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_completion_reviews_contract_id_contracts")
        ),
        sa.ForeignKeyConstraint(
            ["exit_not_done_by_id"], ["users.id"], name=op.f("fk_completion_reviews_exit_not_done_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_completion_reviews_requested_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_completion_reviews")),
    )
    op.create_index(op.f("ix_completion_reviews_case_id"), "completion_reviews", ["case_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_completion_reviews_case_id"), table_name="completion_reviews")
    op.drop_table("completion_reviews")
    with op.batch_alter_table("contract_conditions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_contract_conditions_waiver_has_author_and_reason"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_contract_conditions_waived_by_id_users"), type_="foreignkey")
        batch_op.drop_column("waiver_reason")
        batch_op.drop_column("waived_at")
        batch_op.drop_column("waived_by_id")
