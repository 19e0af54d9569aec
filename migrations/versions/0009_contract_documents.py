"""issued contract documents

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24 13:14:47.150107
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contract_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("template_version", sa.String(length=40), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_contract_documents_contract_id_contracts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_documents")),
        sa.UniqueConstraint("contract_id", "language", name="one_per_language"),
    )
    with op.batch_alter_table("contract_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contract_documents_contract_id"), ["contract_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("contract_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_documents_contract_id"))

    op.drop_table("contract_documents")
