"""breach recording: how a warning letter was given, one breach per condition not met (a conduct
breach may name the same condition again), and the breach review notification

Revision ID: 0025_breach_recording
Revises: 0024_breaches
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0025_breach_recording"
down_revision = "0024_breaches"
branch_labels = None
depends_on = None

EVENTS_BEFORE = (
    "'check_in_missed', 'explanation_overdue', 'first_contact_overdue', 'completion_review_due', "
    "'charge_deadline_warning', 'reminder_failed'"
)
EVENTS_AFTER = EVENTS_BEFORE + ", 'breach_review'"
NOTIFICATION_TABLES = ("notification_preferences", "staff_notifications")


def _events(values: str) -> None:
    for table in NOTIFICATION_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"ck_{table}_known_event"), type_="check")
            batch_op.create_check_constraint(batch_op.f(f"ck_{table}_known_event"), f"event IN ({values})")


def upgrade() -> None:
    with op.batch_alter_table("breach_warnings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("delivery", sa.String(length=10), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f("ck_breach_warnings_known_delivery"),
            "delivery IS NULL OR delivery IN ('post', 'email', 'by_hand')",
        )
    with op.batch_alter_table("breaches", schema=None) as batch_op:
        batch_op.drop_constraint("once_per_condition_and_kind", type_="unique")
    op.create_index(
        "once_per_unmet_condition",
        "breaches",
        ["condition_id"],
        unique=True,
        sqlite_where=sa.text("kind = 'condition_not_met'"),
        postgresql_where=sa.text("kind = 'condition_not_met'"),
    )
    _events(EVENTS_AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM staff_notifications WHERE event = 'breach_review'")
    op.execute("DELETE FROM notification_preferences WHERE event = 'breach_review'")
    _events(EVENTS_BEFORE)
    op.drop_index("once_per_unmet_condition", table_name="breaches")
    with op.batch_alter_table("breaches", schema=None) as batch_op:
        batch_op.create_unique_constraint("once_per_condition_and_kind", ["kind", "condition_id"])
    with op.batch_alter_table("breach_warnings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_breach_warnings_known_delivery"), type_="check")
        batch_op.drop_column("delivery")
