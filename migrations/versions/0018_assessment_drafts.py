"""needs assessments saved as drafts, page by page

Revision ID: 0018_assessment
Revises: 0014_screens
Create Date: 2026-11-24 14:05:00

Assessments recorded before this revision were recorded whole: they become completed assessments,
started and completed at the moment they were recorded. Each safeguarding flag joins the assessment
it was recorded with (same case, same instant).
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_assessment"
down_revision = "0014_screens"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("started_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("started_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("last_section", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("flags_reviewed_at", sa.DateTime(), nullable=True))
    op.execute(
        "UPDATE assessments SET status = 'completed', started_at = assessed_at, "
        "started_by_id = assessed_by_id, flags_reviewed_at = assessed_at"
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.alter_column("status", existing_type=sa.String(length=10), nullable=False)
        batch_op.alter_column("started_at", existing_type=sa.DateTime(), nullable=False)
        batch_op.alter_column("started_by_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("assessed_at", existing_type=sa.DateTime(), nullable=True)
        batch_op.alter_column("assessed_by_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_assessments_started_by_id_users"), "users", ["started_by_id"], ["id"]
        )
        batch_op.create_check_constraint(batch_op.f("ck_assessments_known_status"), "status IN ('draft', 'completed')")
        batch_op.create_check_constraint(
            batch_op.f("ck_assessments_completed_is_whole"),
            "status = 'draft' OR (assessed_at IS NOT NULL AND assessed_by_id IS NOT NULL "
            "AND flags_reviewed_at IS NOT NULL)",
        )

    with op.batch_alter_table("safeguarding_flags", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assessment_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE safeguarding_flags SET assessment_id = ("
        "SELECT a.id FROM assessments a WHERE a.case_id = safeguarding_flags.case_id "
        "AND a.assessed_at <= safeguarding_flags.recorded_at ORDER BY a.assessed_at DESC LIMIT 1)"
    )
    with op.batch_alter_table("safeguarding_flags", schema=None) as batch_op:
        batch_op.alter_column("assessment_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f("ix_safeguarding_flags_assessment_id"), ["assessment_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_safeguarding_flags_assessment_id_assessments"),
            "assessments",
            ["assessment_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_unique_constraint("flag_once_per_assessment", ["assessment_id", "flag"])


def downgrade() -> None:
    # Drafts have no place in the older schema: only completed assessments survive a downgrade.
    op.execute(
        "DELETE FROM safeguarding_flags WHERE assessment_id IN (SELECT id FROM assessments WHERE status = 'draft')"
    )
    op.execute(
        "DELETE FROM assessment_domains WHERE assessment_id IN (SELECT id FROM assessments WHERE status = 'draft')"
    )
    op.execute("DELETE FROM assessments WHERE status = 'draft'")
    with op.batch_alter_table("safeguarding_flags", schema=None) as batch_op:
        batch_op.drop_constraint("flag_once_per_assessment", type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_safeguarding_flags_assessment_id_assessments"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_safeguarding_flags_assessment_id"))
        batch_op.drop_column("assessment_id")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_assessments_completed_is_whole"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_assessments_known_status"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_assessments_started_by_id_users"), type_="foreignkey")
        batch_op.alter_column("assessed_by_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("assessed_at", existing_type=sa.DateTime(), nullable=False)
        batch_op.drop_column("flags_reviewed_at")
        batch_op.drop_column("last_section")
        batch_op.drop_column("started_by_id")
        batch_op.drop_column("started_at")
        batch_op.drop_column("status")
