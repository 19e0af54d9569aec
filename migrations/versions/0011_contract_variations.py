"""contract variations

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24 13:23:15.425609
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("variation_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("planned_ends_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.drop_column("planned_ends_on")
        batch_op.drop_column("variation_reason")
