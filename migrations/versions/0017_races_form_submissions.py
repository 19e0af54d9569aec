"""one-time tokens of create forms

Revision ID: 0017_races
Revises: 0018_assessment
Create Date: 2026-11-26 02:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_races"
down_revision = "0018_assessment"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_submissions",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_form_submissions_user_id_users")),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_form_submissions")),
    )


def downgrade() -> None:
    op.drop_table("form_submissions")
