"""the conditions-not-met sweep reads conditions past their due date from an index of those neither
met nor waived

Revision ID: 0038_sweep_indexes
Revises: 0036_stored_offer_sheets
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0038_sweep_indexes"
down_revision = "0036_stored_offer_sheets"
branch_labels = None
depends_on = None

# As casework.models.contracts spells it when this was written (a migration must not follow later code).
UNSETTLED_DUE_SQL = "status NOT IN ('met', 'waived') AND due_on IS NOT NULL"


def upgrade() -> None:
    op.create_index(
        "ix_conditions_unsettled_due",
        "contract_conditions",
        ["due_on"],
        sqlite_where=sa.text(UNSETTLED_DUE_SQL),
        postgresql_where=sa.text(UNSETTLED_DUE_SQL),
    )


def downgrade() -> None:
    op.drop_index("ix_conditions_unsettled_due", table_name="contract_conditions")
