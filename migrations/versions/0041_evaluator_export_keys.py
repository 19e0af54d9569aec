"""keys for evaluators' pseudonymised exports: a name, a random secret, who made it and when

Revision ID: 0041_evaluator_export_keys
Revises: 0040_panel_samples
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0041_evaluator_export_keys"
down_revision = "0040_panel_samples"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evaluator_export_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_evaluator_export_keys_has_name")),
        sa.CheckConstraint("length(secret) = 64", name=op.f("ck_evaluator_export_keys_full_length_secret")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_evaluator_export_keys_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluator_export_keys")),
        sa.UniqueConstraint("name", name=op.f("uq_evaluator_export_keys_name")),
    )


def downgrade() -> None:
    op.drop_table("evaluator_export_keys")
