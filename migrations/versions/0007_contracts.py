"""support contracts and conditions

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 12:54:27.932111
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'awaiting_approval', 'signed', 'superseded')", name=op.f("ck_contracts_known_status")
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_contracts_case_id_cases")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_contracts_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contracts")),
        sa.UniqueConstraint("case_id", "version_number", name="one_row_per_version"),
    )
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contracts_case_id"), ["case_id"], unique=False)

    op.create_table(
        "contract_conditions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("rule", sa.String(length=20), nullable=False),
        sa.Column("target", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("partner_service_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.CheckConstraint("target IS NULL OR target > 0", name=op.f("ck_contract_conditions_positive_target")),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_contract_conditions_contract_id_contracts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partner_service_id"],
            ["partner_services.id"],
            name=op.f("fk_contract_conditions_partner_service_id_partner_services"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_conditions")),
    )
    with op.batch_alter_table("contract_conditions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contract_conditions_contract_id"), ["contract_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("contract_conditions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_conditions_contract_id"))

    op.drop_table("contract_conditions")
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contracts_case_id"))

    op.drop_table("contracts")
