"""reports read the cases whose gate was started in a range of dates, for every team or one: indexes
on when a case was opened, alone and within its team

Revision ID: 0042_report_indexes
Revises: 0041_evaluator_export_keys
Create Date: 2026-12-05
"""

from alembic import op

revision = "0042_report_indexes"
down_revision = "0041_evaluator_export_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_cases_opened_at", "cases", ["opened_at"])
    op.create_index("ix_cases_team_opened_at", "cases", ["team_id", "opened_at"])


def downgrade() -> None:
    op.drop_index("ix_cases_team_opened_at", table_name="cases")
    op.drop_index("ix_cases_opened_at", table_name="cases")
