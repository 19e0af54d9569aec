"""a form posted after the session timed out is kept on the ended session row, briefly, so its
author can save it after signing in again

Revision ID: 0033_session_resume
Revises: 0032_sign_in_throttle_scopes
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0033_session_resume"
down_revision = "0032_sign_in_throttle_scopes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sign_in_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kept_path", sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column("kept_fields", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("kept_at", sa.DateTime(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_sign_in_sessions_kept_form_complete"),
            "(kept_at IS NULL) = (kept_path IS NULL) AND (kept_at IS NULL) = (kept_fields IS NULL)",
        )


def downgrade() -> None:
    with op.batch_alter_table("sign_in_sessions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_sign_in_sessions_kept_form_complete"), type_="check")
        batch_op.drop_column("kept_at")
        batch_op.drop_column("kept_fields")
        batch_op.drop_column("kept_path")
