"""calendar feeds: a navigator's private subscription address, stored only as a SHA-256 hash

Revision ID: 0022_calendar_feeds
Revises: 0021_messages
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_calendar_feeds"
down_revision = "0021_messages"
branch_labels = None
depends_on = None

ACTIVE_FEED = "revoked_at IS NULL"


def upgrade() -> None:
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_calendar_feeds_token_sha256")),
    )
    op.create_index(op.f("ix_calendar_feeds_user_id"), "calendar_feeds", ["user_id"])
    op.create_index(
        "ix_calendar_feeds_one_active",
        "calendar_feeds",
        ["user_id"],
        unique=True,
        sqlite_where=sa.text(ACTIVE_FEED),
        postgresql_where=sa.text(ACTIVE_FEED),
    )


def downgrade() -> None:
    op.drop_index("ix_calendar_feeds_one_active", table_name="calendar_feeds")
    op.drop_index("ix_calendar_feeds_user_id", table_name="calendar_feeds")
    op.drop_table("calendar_feeds")
