"""sign-in failures counted per username, per username from an address and per address, under keyed
digests; the places each account usually signs in from

The old counters were keyed by the username as typed. They hold only transient back-off state,
so they are dropped rather than converted (a digest needs the app's secret key, which the
migration does not have): any back-off in force when this runs ends.

Revision ID: 0032_sign_in_throttle_scopes
Revises: 0031_audit_keyed_chain
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0032_sign_in_throttle_scopes"
down_revision = "0031_audit_keyed_chain"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("sign_in_throttles")
    op.create_table(
        "sign_in_throttles",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.String(length=24), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "scope IN ('account', 'account_from_address', 'address')", name=op.f("ck_sign_in_throttles_known_scope")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sign_in_throttles")),
    )
    op.create_index(
        op.f("ix_sign_in_throttles_last_failure_at"), "sign_in_throttles", ["last_failure_at"], unique=False
    )
    op.create_table(
        "usual_sign_in_places",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("place_key", sa.String(length=64), nullable=False),
        sa.Column("last_signed_in_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_usual_sign_in_places_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "place_key", name=op.f("pk_usual_sign_in_places")),
    )


def downgrade() -> None:
    op.drop_table("usual_sign_in_places")
    op.drop_index(op.f("ix_sign_in_throttles_last_failure_at"), table_name="sign_in_throttles")
    op.drop_table("sign_in_throttles")
    op.create_table(
        "sign_in_throttles",
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_sign_in_throttles")),
    )
