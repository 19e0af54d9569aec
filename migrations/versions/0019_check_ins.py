"""check-ins: the appointments of a running contract, their outcomes and how they were moved

Revision ID: 0019_check_ins
Revises: 0015_documents
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_check_ins"
down_revision = "0015_documents"
branch_labels = None
depends_on = None

OPEN_CHECK_IN = "outcome IS NULL AND cancelled_at IS NULL"
AWAITING = "outcome = 'pending_explanation'"
OUTCOMES = (
    "'attended_complied', 'attended_not_complied', 'late', 'pending_explanation', "
    "'acceptable_absence', 'unacceptable_absence', 'not_held_service_reason'"
)


def upgrade() -> None:
    op.create_table(
        "check_ins",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("contract_id", sa.Integer(), sa.ForeignKey("contracts.id"), nullable=True),
        sa.Column("scheduled_at", sa.DateTime(), nullable=False),
        sa.Column("mode", sa.String(10), nullable=False),
        sa.Column("place", sa.String(300), nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("outcome", sa.String(30), nullable=True),
        sa.Column("outcome_recorded_at", sa.DateTime(), nullable=True),
        sa.Column("outcome_recorded_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("late_minutes", sa.Integer(), nullable=True),
        sa.Column("late_reason", sa.Text(), nullable=True),
        sa.Column("absence_reason", sa.String(30), nullable=True),
        sa.Column("absence_detail", sa.Text(), nullable=True),
        sa.Column("evidence_seen", sa.Boolean(), nullable=True),
        sa.Column("service_reason", sa.Text(), nullable=True),
        sa.Column("engagement", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("safeguarding_concerns", sa.Text(), nullable=True),
        sa.Column("explanation_due_on", sa.Date(), nullable=True),
        sa.Column("missed_recorded_at", sa.DateTime(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("cancelled_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("requested_by", sa.String(10), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("mode IN ('in_person', 'phone', 'video')", name="known_mode"),
        sa.CheckConstraint(f"outcome IS NULL OR outcome IN ({OUTCOMES})", name="known_outcome"),
        sa.CheckConstraint("engagement IS NULL OR engagement BETWEEN 1 AND 5", name="engagement_in_range"),
        sa.CheckConstraint("outcome IS NULL OR cancelled_at IS NULL", name="cancelled_has_no_outcome"),
        sa.CheckConstraint(
            "cancelled_at IS NULL OR (cancel_reason IS NOT NULL AND requested_by IS NOT NULL)",
            name="cancelled_has_reason",
        ),
        sa.CheckConstraint("outcome IS NULL OR (outcome_recorded_at IS NOT NULL)", name="outcome_has_time"),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome <> 'late' OR (late_minutes > 0 AND late_reason IS NOT NULL)",
            name="late_has_minutes_and_reason",
        ),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome <> 'acceptable_absence' OR absence_reason IS NOT NULL",
            name="acceptable_absence_has_reason",
        ),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome <> 'pending_explanation' OR explanation_due_on IS NOT NULL",
            name="awaiting_explanation_has_due_date",
        ),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome <> 'not_held_service_reason' OR service_reason IS NOT NULL",
            name="not_held_has_reason",
        ),
    )
    op.create_index("ix_check_ins_case_time", "check_ins", ["case_id", "scheduled_at"])
    op.create_index(
        "ix_check_ins_open_time",
        "check_ins",
        ["scheduled_at"],
        sqlite_where=sa.text(OPEN_CHECK_IN),
        postgresql_where=sa.text(OPEN_CHECK_IN),
    )
    op.create_index(
        "ix_check_ins_awaiting_explanation",
        "check_ins",
        ["explanation_due_on"],
        sqlite_where=sa.text(AWAITING),
        postgresql_where=sa.text(AWAITING),
    )
    op.create_table(
        "check_in_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("check_in_id", sa.Integer(), sa.ForeignKey("check_ins.id"), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("requested_by", sa.String(10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("previous_at", sa.DateTime(), nullable=False),
        sa.Column("previous_mode", sa.String(10), nullable=False),
        sa.Column("previous_place", sa.String(300), nullable=False),
        sa.Column("new_at", sa.DateTime(), nullable=True),
        sa.Column("changed_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('rescheduled', 'cancelled')", name="known_kind"),
        sa.CheckConstraint("requested_by IN ('person', 'service')", name="known_requester"),
    )
    op.create_index(op.f("ix_check_in_changes_check_in_id"), "check_in_changes", ["check_in_id"])
    op.create_table(
        "check_in_condition_notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("check_in_id", sa.Integer(), sa.ForeignKey("check_ins.id", ondelete="CASCADE"), nullable=False),
        sa.Column("condition_id", sa.Integer(), sa.ForeignKey("contract_conditions.id"), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.UniqueConstraint("check_in_id", "condition_id", name="one_note_per_condition"),
    )
    op.create_index(op.f("ix_check_in_condition_notes_check_in_id"), "check_in_condition_notes", ["check_in_id"])


def downgrade() -> None:
    op.drop_table("check_in_condition_notes")
    op.drop_table("check_in_changes")
    op.drop_table("check_ins")
