"""contract agreement, approval and signing

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 13:09:18.717138
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agreement", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("agreement_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("approved_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("approved_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("signed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("signed_by_navigator_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("signing_place", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("signing_language", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("interpreter_present", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("appropriate_adult_present", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("solicitor_present", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("person_signature", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("signature_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("copy_given", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("starts_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("ends_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("time_limit_risk_accepted", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("risk_accepted_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_contracts_signed_by_navigator_id_users"), "users", ["signed_by_navigator_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_contracts_approved_by_id_users"), "users", ["approved_by_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_contracts_risk_accepted_by_id_users"), "users", ["risk_accepted_by_id"], ["id"]
        )
        batch_op.create_check_constraint(
            op.f("ck_contracts_signed_has_signature_and_term"),
            "status NOT IN ('signed', 'superseded') OR (signed_at IS NOT NULL AND starts_on IS NOT NULL "
            "AND ends_on IS NOT NULL AND agreement = 'agrees')",
        )


def downgrade() -> None:
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_contracts_signed_has_signature_and_term"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_contracts_risk_accepted_by_id_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_contracts_approved_by_id_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_contracts_signed_by_navigator_id_users"), type_="foreignkey")
        batch_op.drop_column("risk_accepted_by_id")
        batch_op.drop_column("time_limit_risk_accepted")
        batch_op.drop_column("ends_on")
        batch_op.drop_column("starts_on")
        batch_op.drop_column("copy_given")
        batch_op.drop_column("signature_name")
        batch_op.drop_column("person_signature")
        batch_op.drop_column("solicitor_present")
        batch_op.drop_column("appropriate_adult_present")
        batch_op.drop_column("interpreter_present")
        batch_op.drop_column("signing_language")
        batch_op.drop_column("signing_place")
        batch_op.drop_column("signed_by_navigator_id")
        batch_op.drop_column("signed_at")
        batch_op.drop_column("approved_at")
        batch_op.drop_column("approved_by_id")
        batch_op.drop_column("agreement_reason")
        batch_op.drop_column("agreement")
