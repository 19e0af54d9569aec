"""offer sheets are stored as handed over, keyed by what they were made from

Revision ID: 0036_stored_offer_sheets
Revises: 0035_caseload_indexes
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0036_stored_offer_sheets"
down_revision = "0035_caseload_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "offer_sheet_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("made_from", sa.String(length=64), nullable=False),
        sa.Column("template_version", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_offer_sheet_documents_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offer_sheet_documents")),
        sa.UniqueConstraint("case_id", "made_from", name="one_per_content"),
    )


def downgrade() -> None:
    op.drop_table("offer_sheet_documents")
