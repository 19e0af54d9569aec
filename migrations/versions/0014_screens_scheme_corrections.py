"""corrections to scheme settings and offence rules not yet in force before today

Revision ID: 0014_screens
Revises: 0011
Create Date: 2026-11-24 15:00:00

A correction is a new row naming the one it corrects; the corrected row is kept, marked
superseded. "One per day" now holds for live rows only, so it becomes a partial unique index.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_screens"
down_revision = "0011"
branch_labels = None
depends_on = None

LIVE_ONLY = {"sqlite_where": sa.text("superseded_at IS NULL"), "postgresql_where": sa.text("superseded_at IS NULL")}


def upgrade() -> None:
    with op.batch_alter_table("scheme_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("superseded_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("corrects_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_scheme_settings_corrects_id_scheme_settings"), "scheme_settings", ["corrects_id"], ["id"]
        )
        batch_op.drop_constraint("one_version_per_day", type_="unique")
    op.create_index("one_version_per_day", "scheme_settings", ["effective_from"], unique=True, **LIVE_ONLY)

    with op.batch_alter_table("offence_inclusions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("superseded_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("corrects_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_offence_inclusions_corrects_id_offence_inclusions"),
            "offence_inclusions",
            ["corrects_id"],
            ["id"],
        )
        batch_op.drop_constraint("one_rule_per_offence_per_day", type_="unique")
    op.create_index(
        "one_rule_per_offence_per_day",
        "offence_inclusions",
        ["offence_id", "effective_from"],
        unique=True,
        **LIVE_ONLY,
    )


def downgrade() -> None:
    # Corrected (superseded) rows would break "one per day": they go, their corrections stay.
    op.execute("UPDATE offence_inclusions SET corrects_id = NULL")
    op.execute("DELETE FROM offence_inclusions WHERE superseded_at IS NOT NULL")
    op.drop_index("one_rule_per_offence_per_day", table_name="offence_inclusions")
    with op.batch_alter_table("offence_inclusions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_offence_inclusions_corrects_id_offence_inclusions"), type_="foreignkey")
        batch_op.drop_column("corrects_id")
        batch_op.drop_column("superseded_at")
        batch_op.create_unique_constraint("one_rule_per_offence_per_day", ["offence_id", "effective_from"])

    op.execute("UPDATE scheme_settings SET corrects_id = NULL")
    op.execute(
        "UPDATE cases SET scheme_settings_id = (SELECT c.id FROM scheme_settings c "
        "WHERE c.effective_from = (SELECT s.effective_from FROM scheme_settings s "
        "WHERE s.id = cases.scheme_settings_id) AND c.superseded_at IS NULL) "
        "WHERE scheme_settings_id IN (SELECT id FROM scheme_settings WHERE superseded_at IS NOT NULL)"
    )
    op.execute("DELETE FROM scheme_settings WHERE superseded_at IS NOT NULL")
    op.drop_index("one_version_per_day", table_name="scheme_settings")
    with op.batch_alter_table("scheme_settings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_scheme_settings_corrects_id_scheme_settings"), type_="foreignkey")
        batch_op.drop_column("corrects_id")
        batch_op.drop_column("superseded_at")
        batch_op.create_unique_constraint("one_version_per_day", ["effective_from"])
