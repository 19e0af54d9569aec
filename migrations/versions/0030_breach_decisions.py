"""the supervisor's decisions on breaches: suspensions of the term, follow-ups for the navigator,
and the notifications for a decision and a follow-up

Revision ID: 0030_breach_decisions
Revises: 0029_victims_followups
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0030_breach_decisions"
down_revision = "0029_victims_followups"
branch_labels = None
depends_on = None

EVENTS_BEFORE = (
    "check_in_missed",
    "explanation_overdue",
    "first_contact_overdue",
    "completion_review_due",
    "charge_deadline_warning",
    "reminder_failed",
    "breach_review",
)
EVENTS_AFTER = (*EVENTS_BEFORE, "breach_decided", "follow_up_asked", "follow_up_done")
NOTIFIED_TABLES = ("notification_preferences", "staff_notifications")


def _known_events(events) -> str:
    return "event IN ({})".format(", ".join(f"'{event}'" for event in events))


def _set_events(events) -> None:
    for table in NOTIFIED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"ck_{table}_known_event"), type_="check")
            batch_op.create_check_constraint("known_event", _known_events(events))


def upgrade() -> None:
    op.create_table(
        "case_suspensions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("breach_id", sa.Integer(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("suspended_by_id", sa.Integer(), nullable=False),
        sa.Column("suspended_at", sa.DateTime(), nullable=False),
        sa.Column("resumed_on", sa.Date(), nullable=True),
        sa.Column("paused_days", sa.Integer(), nullable=True),
        sa.Column("resumed_by_id", sa.Integer(), nullable=True),
        sa.Column("resumed_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(resumed_on IS NULL) = (paused_days IS NULL AND resumed_at IS NULL AND resumed_by_id IS NULL)",
            name=op.f("ck_case_suspensions_resumed_has_days_and_who"),
        ),
        sa.CheckConstraint(
            "resumed_on IS NULL OR resumed_on >= starts_on", name=op.f("ck_case_suspensions_resumes_after_start")
        ),
        sa.CheckConstraint(
            "paused_days IS NULL OR paused_days >= 0", name=op.f("ck_case_suspensions_paused_days_not_negative")
        ),
        sa.ForeignKeyConstraint(["breach_id"], ["breaches.id"], name=op.f("fk_case_suspensions_breach_id_breaches")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_suspensions_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_case_suspensions_contract_id_contracts")
        ),
        sa.ForeignKeyConstraint(["resumed_by_id"], ["users.id"], name=op.f("fk_case_suspensions_resumed_by_id_users")),
        sa.ForeignKeyConstraint(
            ["suspended_by_id"], ["users.id"], name=op.f("fk_case_suspensions_suspended_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_suspensions")),
    )
    op.create_index(op.f("ix_case_suspensions_case_id"), "case_suspensions", ["case_id"], unique=False)
    op.create_index(
        "one_open_suspension_per_case",
        "case_suspensions",
        ["case_id"],
        unique=True,
        sqlite_where=sa.text("resumed_on IS NULL"),
        postgresql_where=sa.text("resumed_on IS NULL"),
    )

    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("navigator_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=500), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("done_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(done_at IS NULL) = (done_by_id IS NULL AND done_note IS NULL)",
            name=op.f("ck_follow_ups_done_has_who_and_note"),
        ),
        sa.CheckConstraint("length(what) BETWEEN 1 AND 500", name=op.f("ck_follow_ups_what_length")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_follow_ups_case_id_cases")),
        sa.ForeignKeyConstraint(["done_by_id"], ["users.id"], name=op.f("fk_follow_ups_done_by_id_users")),
        sa.ForeignKeyConstraint(["navigator_id"], ["users.id"], name=op.f("fk_follow_ups_navigator_id_users")),
        sa.ForeignKeyConstraint(["set_by_id"], ["users.id"], name=op.f("fk_follow_ups_set_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
    )
    op.create_index(op.f("ix_follow_ups_case_id"), "follow_ups", ["case_id"], unique=False)
    op.create_index(
        "ix_follow_ups_open",
        "follow_ups",
        ["navigator_id", "due_on"],
        unique=False,
        sqlite_where=sa.text("done_at IS NULL"),
        postgresql_where=sa.text("done_at IS NULL"),
    )
    _set_events(EVENTS_AFTER)


def downgrade() -> None:
    removed = ", ".join(f"'{event}'" for event in EVENTS_AFTER if event not in EVENTS_BEFORE)
    op.execute(f"DELETE FROM staff_notifications WHERE event IN ({removed})")
    op.execute(f"DELETE FROM notification_preferences WHERE event IN ({removed})")
    _set_events(EVENTS_BEFORE)
    op.drop_index("ix_follow_ups_open", table_name="follow_ups")
    op.drop_index(op.f("ix_follow_ups_case_id"), table_name="follow_ups")
    op.drop_table("follow_ups")
    op.drop_index("one_open_suspension_per_case", table_name="case_suspensions")
    op.drop_index(op.f("ix_case_suspensions_case_id"), table_name="case_suspensions")
    op.drop_table("case_suspensions")
