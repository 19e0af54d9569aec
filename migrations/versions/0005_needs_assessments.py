"""needs assessments and safeguarding flags

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 12:40:13.250367
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=10), nullable=False),
        sa.Column("assessed_at", sa.DateTime(), nullable=False),
        sa.Column("assessed_by_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("stage IN ('entry', 'midpoint', 'exit')", name=op.f("ck_assessments_known_stage")),
        sa.ForeignKeyConstraint(["assessed_by_id"], ["users.id"], name=op.f("fk_assessments_assessed_by_id_users")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_assessments_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        sa.UniqueConstraint("case_id", "stage", name="one_per_stage"),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessments_case_id"), ["case_id"], unique=False)

    op.create_table(
        "safeguarding_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("flag", sa.String(length=30), nullable=False),
        sa.Column("action_taken", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("length(action_taken) > 0", name=op.f("ck_safeguarding_flags_action_recorded")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_safeguarding_flags_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_safeguarding_flags_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safeguarding_flags")),
    )
    with op.batch_alter_table("safeguarding_flags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_safeguarding_flags_case_id"), ["case_id"], unique=False)

    op.create_table(
        "assessment_domains",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(length=40), nullable=False),
        sa.Column("need_level", sa.Integer(), nullable=False),
        sa.Column("linked_to_offending", sa.Boolean(), nullable=False),
        sa.Column("person_priority", sa.Integer(), nullable=True),
        sa.Column("strengths", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("consent_to_refer", sa.Boolean(), nullable=False),
        sa.CheckConstraint("need_level BETWEEN 0 AND 3", name=op.f("ck_assessment_domains_need_level_range")),
        sa.CheckConstraint(
            "person_priority IS NULL OR person_priority BETWEEN 1 AND 15",
            name=op.f("ck_assessment_domains_priority_range"),
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_domains_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_domains")),
        sa.UniqueConstraint("assessment_id", "domain", name="domain_once_per_assessment"),
    )


def downgrade() -> None:
    op.drop_table("assessment_domains")
    with op.batch_alter_table("safeguarding_flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safeguarding_flags_case_id"))

    op.drop_table("safeguarding_flags")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessments_case_id"))

    op.drop_table("assessments")
