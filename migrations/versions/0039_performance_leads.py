"""a performance lead role: every team's reports, no case content; the scheme's suppression threshold

Revision ID: 0039_performance_leads
Revises: 0038_sweep_indexes
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0039_performance_leads"
down_revision = "0038_sweep_indexes"
branch_labels = None
depends_on = None

BEFORE = "role IN ('custody_sergeant', 'navigator', 'supervisor', 'administrator')"
AFTER = "role IN ('custody_sergeant', 'navigator', 'supervisor', 'administrator', 'performance_lead')"


def upgrade() -> None:
    op.add_column(
        "scheme_settings", sa.Column("suppression_threshold", sa.Integer(), nullable=False, server_default="5")
    )
    with op.batch_alter_table("user_roles") as batch:
        batch.drop_constraint(op.f("ck_user_roles_known_role"), type_="check")
        batch.create_check_constraint("known_role", AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM user_roles WHERE role = 'performance_lead'")
    with op.batch_alter_table("user_roles") as batch:
        batch.drop_constraint(op.f("ck_user_roles_known_role"), type_="check")
        batch.create_check_constraint("known_role", BEFORE)
    with op.batch_alter_table("scheme_settings") as batch:
        batch.drop_column("suppression_threshold")
